#pragma once
// The event-loop lag dock: lag over time as a line per event-loop thread, following the timeline's
// visible range, with avg / p99 / max of the samples in that window. Series are decimated to about
// two points per pixel, so redrawing costs the same for any trace size.

#include "model/model.h"

#include <QWidget>

#include <memory>

class QChart;
class QChartView;
class QLabel;
class QStackedWidget;
class QTimer;
class QValueAxis;

namespace weft::ui {

class LagChartPanel final : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxSeries = 6;

    explicit LagChartPanel(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const Model> model);

    Time windowBegin() const { return m_begin; }
    Time windowEnd() const { return m_end; }
    QChart* chart() const { return m_chart; }
    QLabel* statsLabel() const { return m_stats; }
    // Points currently plotted over all series.
    qsizetype pointCount() const;

public slots:
    // Coalesced: the chart is rebuilt once per event-loop turn however often the range changes.
    void setVisibleRange(weft::Time begin, weft::Time end);
    void rebuildNow();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void applyTheme(); // the chart theme that matches the window palette (light or dark)
    std::shared_ptr<const Model> m_model;
    Time m_begin = 0;
    Time m_end = 0;
    QStackedWidget* m_stack;
    QLabel* m_empty;
    QLabel* m_stats;
    QChart* m_chart;
    QChartView* m_chartView;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QTimer* m_rebuild;
};

} // namespace weft::ui
