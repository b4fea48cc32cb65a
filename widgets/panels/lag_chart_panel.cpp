#include "panels/lag_chart_panel.h"

#include "analysis/loop_lag.h"
#include "models/lag_series.h"
#include "models/text.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QLabel>
#include <QLineSeries>
#include <QStackedWidget>
#include <QTimer>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace weft::ui {

namespace {

// The x axis unit for a window `span` ns wide: labels stay short and distinct.
struct Unit {
    double ns;
    QString name;
};
Unit unitFor(Time span) {
    if (span >= 20'000'000'000) return {1e9, QStringLiteral("s")};
    if (span >= 20'000'000) return {1e6, QStringLiteral("ms")};
    if (span >= 20'000) return {1e3, QStringLiteral("µs")};
    return {1.0, QStringLiteral("ns")};
}

// 1, 2 or 5 times a power of ten, at least `raw`.
double niceStep(double raw) {
    if (!(raw > 0)) return 1.0;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= raw) return m * power;
    return 10.0 * power;
}

QString ms(double v) { return durationText(static_cast<Time>(v * 1e6)); }

} // namespace

void LagChartPanel::applyTheme() {
    // The chart's own light or dark theme, as the window's palette is; the series is coloured anew
    // at each rebuild.
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QChart::ChartTheme theme = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (m_chart->theme() != theme) m_chart->setTheme(theme);
    m_chart->setBackgroundRoundness(0);
}

void LagChartPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        applyTheme();
        rebuildNow();
    }
}

LagChartPanel::LagChartPanel(QWidget* parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)), m_empty(new QLabel(this)), m_stats(new QLabel(this)),
      m_chart(new QChart), m_chartView(new QChartView(m_chart, this)), m_x(new QValueAxis(this)),
      m_y(new QValueAxis(this)), m_rebuild(new QTimer(this)) {
    applyTheme();
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);
    m_chart->legend()->setAlignment(Qt::AlignTop);
    m_x->setLabelFormat(QStringLiteral("%.6g"));
    m_y->setLabelFormat(QStringLiteral("%.3g"));
    m_y->setTitleText(tr("lag (ms)"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_chartView->setRenderHint(QPainter::Antialiasing, false);
    m_chartView->setMinimumHeight(120);

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setText(tr("No trace loaded"));
    m_empty->setEnabled(false);
    m_stats->setTextFormat(Qt::RichText);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(m_chartView);

    m_rebuild->setSingleShot(true);
    m_rebuild->setInterval(0);
    connect(m_rebuild, &QTimer::timeout, this, &LagChartPanel::rebuildNow);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    layout->addWidget(m_stats);
    layout->addWidget(m_stack, 1);
}

void LagChartPanel::setModel(std::shared_ptr<const Model> model) {
    m_model = std::move(model);
    m_chart->removeAllSeries();
    if (m_model) {
        m_begin = m_model->begin;
        m_end = m_model->end;
        for (ThreadIndex t : lagThreads(*m_model)) {
            if (m_chart->series().size() >= kMaxSeries) break;
            auto* series = new QLineSeries;
            series->setName(threadName(*m_model, t));
            series->setProperty("thread", t.value);
            m_chart->addSeries(series);
            series->attachAxis(m_x);
            series->attachAxis(m_y);
        }
        m_chart->legend()->setVisible(m_chart->series().size() > 1);
    }
    const bool empty = !m_model || m_chart->series().isEmpty();
    m_empty->setText(m_model ? tr("This trace has no event-loop lag samples") : tr("No trace loaded"));
    m_stack->setCurrentWidget(empty ? static_cast<QWidget*>(m_empty) : m_chartView);
    rebuildNow();
}

void LagChartPanel::setVisibleRange(Time begin, Time end) {
    if (end < begin) std::swap(begin, end);
    if (begin == m_begin && end == m_end) return;
    m_begin = begin;
    m_end = end;
    m_rebuild->start();
}

qsizetype LagChartPanel::pointCount() const {
    qsizetype n = 0;
    for (QAbstractSeries* s : m_chart->series())
        if (auto* line = qobject_cast<QLineSeries*>(s)) n += line->count() / 3; // a stem per sample
    return n;
}

void LagChartPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    m_rebuild->start();
}

void LagChartPanel::rebuildNow() {
    m_rebuild->stop();
    if (!m_model) {
        m_stats->clear();
        return;
    }
    const Model& model = *m_model;
    const analysis::LagStats stats = analysis::lag_stats(model, m_begin, m_end);
    if (stats.samples == 0) {
        m_stats->setText(tr("<b>Event-loop lag</b> — no samples in the visible range"));
    } else {
        m_stats->setText(tr("<b>Event-loop lag</b> in view: avg <b>%1</b> · p99 <b>%2</b> · max <b>%3</b> · %4")
                             .arg(ms(stats.avg_ms), ms(stats.p99_ms), ms(stats.max_ms),
                                  countText(stats.samples, tr("sample"), tr("samples"))));
    }

    const Time span = std::max<Time>(m_end - m_begin, 1);
    const Unit unit = unitFor(span);
    const int pixels = std::max(50, static_cast<int>(m_chart->plotArea().width()));
    double maxLag = 0;
    for (QAbstractSeries* s : m_chart->series()) {
        auto* line = qobject_cast<QLineSeries*>(s);
        if (!line) continue;
        const ThreadIndex thread(line->property("thread").toUInt());
        const std::vector<LagPoint> points = decimatedLag(model, thread, m_begin, m_end, pixels);
        QList<QPointF> xy;
        xy.reserve(3 * static_cast<qsizetype>(points.size()));
        for (const LagPoint& p : points) {
            // Each sample is a stem up from the axis: a sample is one callback's wait, and a line
            // from one to the next would draw lag the loop never had (an idle loop has none).
            const double lagMs = static_cast<double>(p.lag) / 1e6;
            const double x = static_cast<double>(p.time) / unit.ns; // from Time 0, as the timeline
            xy.append(QPointF(x, 0));
            xy.append(QPointF(x, lagMs));
            xy.append(QPointF(x, 0));
            if (p.time >= m_begin && p.time <= m_end) maxLag = std::max(maxLag, lagMs);
        }
        line->replace(xy);
    }
    // The timeline's origin (Time 0, the earliest process start), not the first event: the same
    // moment reads the same on both.
    m_x->setTitleText(tr("time since process start (%1)").arg(unit.name));
    const double x0 = static_cast<double>(m_begin) / unit.ns;
    const double x1 = static_cast<double>(m_end) / unit.ns;
    m_x->setRange(x0, x1);
    // The range must match the timeline exactly, so ticks are placed on round values inside it
    // instead of rounding the range itself.
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0.0);
    m_x->setTickInterval(niceStep((x1 - x0) / std::max(2, pixels / 110)));
    m_y->setRange(0, maxLag > 0 ? maxLag * 1.1 : 1.0);
    m_y->applyNiceNumbers();
}

} // namespace weft::ui
