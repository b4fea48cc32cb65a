#include "panels/summary_strip.h"

#include "analysis/loop_lag.h"
#include "analysis/task_summary.h"
#include "models/text.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QToolButton>
#include <QVBoxLayout>

namespace weft::ui {

namespace {
QString figure(const QString& value, const QString& detail = {}) {
    QString html = QStringLiteral("<span style='font-size:large;font-weight:600'>") % value.toHtmlEscaped() % QStringLiteral("</span>");
    if (!detail.isEmpty()) html += QStringLiteral(" <span style='color:#888'>") % detail % QStringLiteral("</span>");
    return html;
}

QString plain(const QLabel* label) {
    QString text = label->text();
    text.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    return text;
}
} // namespace

SummaryStrip::SummaryStrip(QWidget* parent) : QFrame(parent) {
    setFrameShape(QFrame::StyledPanel);
    setObjectName(QStringLiteral("summaryStrip"));
    setStyleSheet(QStringLiteral("#summaryStrip { background: palette(base); }"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 4, 10, 4);
    layout->setSpacing(24);
    m_duration = addFigure(tr("Duration"));
    m_tasks = addFigure(tr("Tasks"));
    m_lag = addFigure(tr("Event-loop lag"));
    m_blocking = addFigure(tr("Blocking"));

    auto* box = new QVBoxLayout;
    box->setSpacing(0);
    auto* caption = new QLabel(tr("Diagnostics"), this);
    caption->setStyleSheet(QStringLiteral("color: palette(placeholder-text); font-size: small; text-transform: uppercase;"));
    m_diagnostics = new QToolButton(this);
    m_diagnostics->setAutoRaise(true);
    m_diagnostics->setToolTip(tr("Problems found while reading and building the trace — click for the list"));
    m_diagnostics->setCursor(Qt::PointingHandCursor);
    connect(m_diagnostics, &QToolButton::clicked, this, &SummaryStrip::diagnosticsRequested);
    box->addWidget(caption);
    box->addWidget(m_diagnostics);
    layout->addLayout(box);
    layout->addStretch(1);
    setModel(nullptr);
}

QLabel* SummaryStrip::addFigure(const QString& caption) {
    auto* box = new QVBoxLayout;
    box->setSpacing(0);
    auto* title = new QLabel(caption, this);
    title->setStyleSheet(QStringLiteral("color: palette(placeholder-text); font-size: small; text-transform: uppercase;"));
    auto* value = new QLabel(this);
    value->setTextFormat(Qt::RichText);
    box->addWidget(title);
    box->addWidget(value);
    static_cast<QHBoxLayout*>(layout())->addLayout(box);
    return value;
}

void SummaryStrip::setModel(std::shared_ptr<const Model> model) {
    if (!model) {
        for (QLabel* l : {m_duration, m_tasks, m_lag, m_blocking}) l->setText(figure(QStringLiteral("—")));
        m_diagnostics->setText(QStringLiteral("—"));
        m_diagnostics->setEnabled(false);
        return;
    }
    m_duration->setText(figure(durationText(model->end - model->begin)));
    const analysis::TaskCounts counts = analysis::count_tasks(*model);
    QStringList parts;
    if (counts.error) parts << QStringLiteral("<span style='color:#c62828'>") % tr("%1 failed").arg(counts.error) % QStringLiteral("</span>");
    if (counts.cancelled) parts << tr("%1 cancelled").arg(counts.cancelled);
    if (counts.unfinished) parts << tr("%1 unfinished").arg(counts.unfinished);
    m_tasks->setText(figure(QLocale().toString(qulonglong(counts.total)), parts.join(QStringLiteral(" · "))));

    const analysis::LagStats lag = analysis::lag_stats(*model);
    if (lag.samples == 0) {
        m_lag->setText(figure(tr("no samples")));
    } else {
        m_lag->setText(figure(durationText(static_cast<Time>(lag.avg_ms * 1e6)) % tr(" avg"),
                              tr("max %1").arg(durationText(static_cast<Time>(lag.max_ms * 1e6)).toHtmlEscaped())));
    }
    const uint64_t diagnostics = model->diagnostics.total();
    m_diagnostics->setEnabled(true);
    m_diagnostics->setText(QLocale().toString(qulonglong(diagnostics)));
    QFont f = m_diagnostics->font();
    f.setBold(true);
    f.setPointSizeF(QFont().pointSizeF() * 1.2);
    m_diagnostics->setFont(f);
    m_diagnostics->setStyleSheet(diagnostics ? QStringLiteral("color: #c76a00;") : QString());
}

void SummaryStrip::setBlocking(int count, double thresholdMs) {
    m_blocking->setText(figure(QLocale().toString(count), tr("≥ %1 ms").arg(thresholdMs)));
}

QString SummaryStrip::text() const {
    return plain(m_duration) % QLatin1Char('|') % plain(m_tasks) % QLatin1Char('|') % plain(m_lag) % QLatin1Char('|') %
           plain(m_blocking) % QLatin1Char('|') % m_diagnostics->text();
}

} // namespace weft::ui
