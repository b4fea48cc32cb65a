#include "app/load_progress.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

namespace weft::ui {

LoadProgress::LoadProgress(QWidget* parent)
    : QFrame(parent), m_label(new QLabel(this)), m_bar(new QProgressBar(this)), m_cancel(new QPushButton(tr("Cancel"), this)) {
    setFrameShape(QFrame::StyledPanel);
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(true);
    m_bar->setMinimumWidth(260);
    connect(m_cancel, &QPushButton::clicked, this, &LoadProgress::cancelRequested);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_bar, 1);
    layout->addWidget(m_cancel);
    hide();
}

void LoadProgress::begin(const QString& path) {
    m_label->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
    m_label->setToolTip(path);
    m_bar->setValue(0);
    m_bar->setFormat(QStringLiteral("%p%"));
    show();
}

void LoadProgress::setProgress(qint64 done, qint64 total) {
    if (total <= 0) {
        m_bar->setRange(0, 0); // busy indicator: the size is unknown
        return;
    }
    m_bar->setRange(0, 1000);
    m_bar->setValue(static_cast<int>(std::min<qint64>(1000, done * 1000 / total)));
    const QLocale locale;
    m_bar->setFormat(QStringLiteral("%p% — ") % locale.formattedDataSize(done) % QStringLiteral(" / ") %
                     locale.formattedDataSize(total));
}

void LoadProgress::end() { hide(); }

} // namespace weft::ui
