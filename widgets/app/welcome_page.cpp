#include "app/welcome_page.h"

#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace weft::ui {

WelcomePage::WelcomePage(QWidget* parent) : QWidget(parent), m_recent(new QLabel(this)) {
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);

    auto* title = new QLabel(tr("<h2>No trace open</h2>"), this);
    title->setAlignment(Qt::AlignCenter);
    auto* hint = new QLabel(tr("Open a <b>.weft</b> file, or a Chrome / Perfetto trace-event <b>.json</b> "
                               "(also <b>.json.gz</b>), with <b>Ctrl+O</b>, drop one onto this window, "
                               "or pass it on the command line: <code>weft FILE</code>"), this);
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    auto* open = new QPushButton(tr("Open trace…"), this);
    open->setDefault(true);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openDialogRequested);
    m_recent->setAlignment(Qt::AlignCenter);
    m_recent->setTextFormat(Qt::RichText);
    connect(m_recent, &QLabel::linkActivated, this, [this](const QString& link) {
        emit openRequested(QUrl(link).toLocalFile());
    });

    auto* layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(title);
    layout->addWidget(hint);
    layout->addSpacing(12);
    layout->addWidget(open, 0, Qt::AlignHCenter);
    layout->addSpacing(18);
    layout->addWidget(m_recent);
    layout->addStretch(3);
}

void WelcomePage::setRecentFiles(const QStringList& files) {
    if (files.isEmpty()) {
        m_recent->clear();
        return;
    }
    QString html = tr("<p style='color:#666'>Recent traces</p>");
    for (const QString& file : files) {
        html += QStringLiteral("<a href='") % QUrl::fromLocalFile(file).toString().toHtmlEscaped() % QStringLiteral("'>") %
                QFileInfo(file).fileName().toHtmlEscaped() % QStringLiteral("</a> <span style='color:#888'>") %
                QFileInfo(file).absolutePath().toHtmlEscaped() % QStringLiteral("</span><br>");
    }
    m_recent->setText(html);
}

} // namespace weft::ui
