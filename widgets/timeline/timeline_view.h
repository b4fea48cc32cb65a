#pragma once
// The central zoomable timeline: lanes of threads and tasks over a time axis.
//
// Holds a shared, immutable Model; every paint builds the draw list of the visible rows with the
// core LOD query (query/draw_list.h) and replays it, so a frame costs what the screen shows, not
// what the trace holds. Two indexes are built once per model for that: counter value ranges and
// flows by end time; for a large trace on a worker thread, as the GUI thread never scans a whole
// trace (until they arrive, counters fold by scanning and only the selection's flows are drawn).
// The flows of the selected item are always drawn; all flows in view only when showAllFlows() is on. Navigation (keys, wheel, drags) is in timeline_input.cpp and documented in
// docs/user-guide/timeline.md.

#include "model/model.h"
#include "query/counter_index.h"
#include "query/draw_list.h"
#include "query/flows.h"
#include "query/lane_layout.h"
#include "query/selection.h"
#include "query/zoom_state.h"

#include <QFutureWatcher>
#include <QPoint>
#include <QWidget>

#include <memory>

class QContextMenuEvent;
class QPainter;
class QKeyEvent;
class QScrollBar;

namespace weft::ui {

// What TimelineView indexes once per model to draw it per pixel.
struct TimelineIndexes {
    CounterIndex counters;
    FlowIndex flows;
};

class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    // A new trace resets everything: fit all, no selection, every thread shown. A live snapshot of
    // the same capture keeps collapsed, hidden and pinned threads (task expansion is the caller's).
    enum class ModelChange { NewTrace, Snapshot };
    void setModel(std::shared_ptr<const weft::Model> model, ModelChange change = ModelChange::NewTrace);
    std::shared_ptr<const weft::Model> model() const { return m_model; }
    weft::Time visibleBegin() const { return m_zoom.begin(); }
    weft::Time visibleEnd() const { return m_zoom.end(); }
    weft::Selection selection() const { return m_selection; }

    // For tests, benchmarks and the status bar.
    const LaneLayout& laneLayout() const { return m_layout; }
    // The lane-name column: dragged wider or narrower at its edge, remembered in QSettings.
    int headerWidth() const { return m_header_width; }
    void setHeaderWidth(int px); // clamped to what leaves the lanes room
    static constexpr int kDefaultHeaderWidth = 220;
    static constexpr int kMinHeaderWidth = 80;
    const DrawList& drawList() const { return m_draw; }
    ViewMapping mapping() const { return m_zoom.mapping(); }
    QRect lanesRect() const;
    QRect axisRect() const;
    QRect headerRect() const;
    int rowAt(QPoint pos) const; // layout row under a widget position, or -1
    // The vertical centre of a row in widget coordinates (for tests), or -1 if it has none.
    int rowCenterY(int row) const;
    void setTaskExpanded(TaskIndex task, bool expanded);
    // Expands many tasks with one rebuild of the rows (a live snapshot restoring the user's view:
    // packing a long trace's tasks again per task would cost a rebuild each).
    void expandTasks(const std::vector<TaskIndex>& tasks);
    // Sibling tasks are packed into rows by name or by spawn location; remembered in QSettings.
    TaskGrouping taskGrouping() const { return m_layout.task_grouping(); }
    void setTaskGrouping(TaskGrouping grouping);
    // Thread rows: collapse to the heading, hide (the process heading counts hidden threads), pin
    // to the top of the lanes where they stay while the rest scrolls.
    void setThreadCollapsed(ThreadIndex thread, bool collapsed);
    void setThreadHidden(ThreadIndex thread, bool hidden);
    void setThreadPinned(ThreadIndex thread, bool pinned);
    void showHiddenThreads(ProcessIndex process);
    int verticalScroll() const;
    bool showAllFlows() const { return m_show_all_flows; }
    // The counter and flow indexes of the current model are built (at once for a small trace,
    // in the background for a large one).
    bool indexesReady() const { return m_indexes != nullptr; }
    // The flows drawn for the selection (indices into Model::flows).
    const std::vector<uint32_t>& selectedFlows() const { return m_selected_flows; }
    // The flow arrow under a widget position, or nullptr.
    const DrawArrow* arrowAt(QPoint pos) const;
    // The measured range (shift/right-drag), or {kNoTime, kNoTime}.
    TimeRange rulerRange() const { return {m_ruler_begin, m_ruler_end}; }

    // Find's matches (sorted by begin time, with their begin times): outlined where they are
    // drawn, and ticked on the time axis wherever they are, also inside folds and off-screen rows.
    void setHighlights(const std::vector<Selection>& matches, const std::vector<Time>& begins);
    size_t highlightCount() const { return m_highlight_keys.size(); }

    // W A S D + - = 0 F Esc without Ctrl, Alt or Meta: the keys that steer the timeline, which the
    // main window hands it from whichever panel has the focus (but a text field).
    static bool isNavigationKey(const QKeyEvent* event);

public slots:
    void setVisibleRange(weft::Time begin, weft::Time end);
    void fitAll();                                   // key 0
    void fitSelection();                             // key F
    void setSelection(weft::Selection selection);    // select; scroll lanes so it is visible
    void revealAndSelect(weft::Selection selection); // zoom/pan so it is visible, then select
    void clearSelection();                           // Esc
    void zoomBy(double factor);                      // anchored at the cursor if over the lanes
    void panByPixels(double dx);
    void setShowAllFlows(bool show); // every flow with an end in view, not only the selection's

signals:
    void visibleRangeChanged(weft::Time begin, weft::Time end);
    void selectionChanged(weft::Selection selection);
    void hoverTimeChanged(weft::Time time); // time under the cursor; kNoTime when outside
    void rulerMeasured(weft::Time begin, weft::Time end); // a ruler range was dragged; kNoTime: removed

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override; // a new application palette: light or dark colours
    bool event(QEvent* event) override; // tooltips
    void keyPressEvent(QKeyEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override; // timeline_menu.cpp
    void leaveEvent(QEvent* event) override;

private:
    enum class Drag { None, Pending, Pan, Ruler, RubberBand, HeaderEdge };

    void rebuildLayout();
    void paintMatchTicks(QPainter& painter, const QRect& axis, const ViewMapping& view) const;
    void layoutChanged(); // after a change of row state: rebuild, keep the selection in view, repaint
    int clampHeaderWidth(int px) const;
    void saveHeaderWidth() const;
    bool onHeaderEdge(QPoint pos) const;
    void updateScrollBar();
    void rangeChanged(bool changed);
    void buildDrawList();
    void scrollToRow(int row);
    void setHoverTime(Time time);
    void toggleRow(int row);
    double anchorX() const;
    QString tooltipAt(QPoint pos) const; // timeline_tooltip.cpp
    void updateSelectedFlows(); // after every change of m_selection
    void buildIndexes();
    // Uncollapses the process showing a thread-bound selection, so it has a row.
    void revealProcessOf(Selection selection);

    std::shared_ptr<const Model> m_model;
    LaneLayout m_layout;
    ZoomState m_zoom;
    DrawList m_draw;
    Selection m_selection;
    QScrollBar* m_vscroll = nullptr;
    int m_header_width = kDefaultHeaderWidth;
    std::shared_ptr<const TimelineIndexes> m_indexes; // of m_model; null while being built
    quint64 m_index_generation = 0;                   // a result of an older generation is stale
    bool m_show_all_flows = false;
    std::vector<uint32_t> m_selected_flows; // flows_of(m_selection), updated with it
    std::vector<uint64_t> m_highlight_keys; // Find's matches as selection_key(), sorted
    std::vector<Time> m_highlight_times;    // their begin times, sorted

    Time m_hover_time = kNoTime;
    int m_hover_row = -1;
    Time m_ruler_begin = kNoTime;
    Time m_ruler_end = kNoTime;
    Drag m_drag = Drag::None;
    Qt::MouseButton m_drag_button = Qt::NoButton;
    QPoint m_press_pos;
    QPoint m_last_pos;
    Time m_press_time = kNoTime;
    int m_press_scroll = 0;
    bool m_press_ctrl = false;
    bool m_press_shift = false;
};

} // namespace weft::ui
