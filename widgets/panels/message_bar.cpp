#include "panels/message_bar.h"

#include <QApplication>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStyle>
#include <QToolButton>

namespace weft::ui {

MessageBar::MessageBar(QWidget* parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)), m_toggle(new QToolButton(this)),
      m_close(new QToolButton(this)), m_detailView(new QPlainTextEdit(this)) {
    setObjectName(QStringLiteral("messageBar"));
    setFrameShape(QFrame::StyledPanel);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(m_text, &QLabel::linkActivated, this, &MessageBar::linkActivated);
    m_toggle->setText(tr("Details"));
    m_toggle->setCheckable(true);
    m_toggle->setAutoRaise(true);
    m_close->setText(QStringLiteral("✕"));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAutoRaise(true);
    m_detailView->setReadOnly(true);
    m_detailView->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_detailView->setMaximumHeight(140);
    m_detailView->hide();
    connect(m_toggle, &QToolButton::toggled, m_detailView, &QWidget::setVisible);
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon, 0, 0, Qt::AlignTop);
    layout->addWidget(m_text, 0, 1);
    layout->addWidget(m_toggle, 0, 2, Qt::AlignTop);
    layout->addWidget(m_close, 0, 3, Qt::AlignTop);
    layout->addWidget(m_detailView, 1, 1, 1, 3);
    layout->setColumnStretch(1, 1);
    hide();
}

void MessageBar::showMessage(Level level, const QString& text, const QStringList& details) {
    m_level = level;
    m_details = details;
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QString colors = QStringLiteral("background:#e8f1fb; border:1px solid #9cc3ea;");
    if (level == Level::Warning) {
        icon = QStyle::SP_MessageBoxWarning;
        colors = QStringLiteral("background:#fff4e0; border:1px solid #e9b659;");
    } else if (level == Level::Error) {
        icon = QStyle::SP_MessageBoxCritical;
        colors = QStringLiteral("background:#fdeaea; border:1px solid #e39a9a;");
    }
    setStyleSheet(QStringLiteral("#messageBar {") % colors % QStringLiteral(" border-radius:3px; } #messageBar QLabel { color:#222; }"));
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(20, 20));
    m_text->setText(text);
    m_detailView->setPlainText(details.join(QLatin1Char('\n')));
    m_toggle->setVisible(!details.isEmpty());
    m_toggle->setChecked(false);
    m_detailView->hide();
    show();
}

void MessageBar::dismiss() {
    if (isHidden()) return;
    hide();
    emit dismissed();
}

QString MessageBar::text() const { return m_text->text(); }

} // namespace weft::ui
