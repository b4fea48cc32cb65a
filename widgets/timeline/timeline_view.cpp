#include "timeline/timeline_view.h"

#include "app/settings_keys.h"
#include "query/axis_ticks.h"
#include "query/flow_arrows.h"
#include "timeline/lane_header.h"
#include "timeline/time_axis.h"
#include "timeline/timeline_colors.h"
#include "timeline/timeline_renderer.h"

#include <QPainter>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <thread>
#include <cmath>

namespace weft::ui {

namespace {
constexpr int kAxisHeight = 26;
// Up to this many counter samples and flows the indexes take a few milliseconds: built at once.
constexpr size_t kIndexAtOnce = 200'000;

std::shared_ptr<const TimelineIndexes> build_indexes(const std::shared_ptr<const Model>& model) {
    auto indexes = std::make_shared<TimelineIndexes>();
    indexes->counters.build(*model);
    indexes->flows.build(*model);
    return indexes;
}
} // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 120);
    follow_application_palette();
    m_vscroll = new QScrollBar(Qt::Vertical, this);
    m_vscroll->setSingleStep(20);
    connect(m_vscroll, &QScrollBar::valueChanged, this, [this] { update(); });
    m_header_width =
        clampHeaderWidth(QSettings().value(settings::kLaneNameWidth, kDefaultHeaderWidth).toInt());
    m_layout.set_task_grouping(QSettings().value(settings::kTaskGrouping).toString() ==
                                       QStringLiteral("spawn")
                                   ? TaskGrouping::SpawnLocation
                                   : TaskGrouping::Name);
    m_zoom.set_width(std::max(1, lanesRect().width()));
}

TimelineView::~TimelineView() = default;

int TimelineView::clampHeaderWidth(int px) const {
    // Wide enough for a name, narrow enough to leave the lanes most of the view.
    return std::clamp(px, kMinHeaderWidth, std::max(kMinHeaderWidth, std::max(width(), 640) * 2 / 3));
}

void TimelineView::setHeaderWidth(int px) {
    px = clampHeaderWidth(px);
    if (px == m_header_width) return;
    m_header_width = px;
    const bool changed = [&] {
        const Time b = m_zoom.begin(), e = m_zoom.end();
        m_zoom.set_width(lanesRect().width());
        return b != m_zoom.begin() || e != m_zoom.end();
    }();
    rangeChanged(changed);
    update();
}

void TimelineView::saveHeaderWidth() const { QSettings().setValue(settings::kLaneNameWidth, m_header_width); }

bool TimelineView::onHeaderEdge(QPoint pos) const { return std::abs(pos.x() - m_header_width) <= 3; }

QRect TimelineView::axisRect() const {
    const int sb = m_vscroll ? m_vscroll->sizeHint().width() : 0;
    return QRect(m_header_width, 0, std::max(1, width() - m_header_width - sb), kAxisHeight);
}

QRect TimelineView::lanesRect() const {
    const QRect axis = axisRect();
    return QRect(axis.left(), axis.bottom() + 1, axis.width(), std::max(1, height() - kAxisHeight));
}

QRect TimelineView::headerRect() const {
    return QRect(0, kAxisHeight, m_header_width, std::max(1, height() - kAxisHeight));
}

int TimelineView::verticalScroll() const { return m_vscroll->value(); }

int TimelineView::rowAt(QPoint pos) const {
    if (pos.y() < kAxisHeight || pos.x() >= lanesRect().right() + 1) return -1;
    return m_layout.row_at_view_y(pos.y() - kAxisHeight, m_vscroll->value());
}

int TimelineView::rowCenterY(int row) const {
    if (row < 0 || static_cast<size_t>(row) >= m_layout.size()) return -1;
    const LaneRow& r = m_layout.row(static_cast<size_t>(row));
    return kAxisHeight + m_layout.view_y(r, m_vscroll->value()) + r.height / 2;
}

void TimelineView::setModel(std::shared_ptr<const Model> model, ModelChange change) {
    m_model = std::move(model);
    if (change == ModelChange::Snapshot)
        m_layout.reset_task_state();
    else
        m_layout.reset_state();
    buildIndexes();
    m_ruler_begin = m_ruler_end = kNoTime;
    m_draw.clear();
    rebuildLayout();
    m_vscroll->setValue(0);
    if (m_model)
        m_zoom.set_bounds(m_model->begin, std::max(m_model->end, m_model->begin + 1));
    else
        m_zoom.set_bounds(0, 1000);
    emit visibleRangeChanged(m_zoom.begin(), m_zoom.end());
    const bool had_selection = !m_selection.empty();
    m_selection = {};
    updateSelectedFlows();
    if (had_selection) emit selectionChanged(m_selection);
    update();
}

void TimelineView::buildIndexes() {
    m_indexes.reset();
    const quint64 generation = ++m_index_generation;
    if (!m_model) return;
    if (m_model->counter_samples.size() + m_model->flows.size() <= kIndexAtOnce) {
        m_indexes = build_indexes(m_model);
        return;
    }
    using Watcher = QFutureWatcher<std::shared_ptr<const TimelineIndexes>>;
    auto* watcher = new Watcher(this);
    connect(watcher, &Watcher::finished, this, [this, watcher, generation] {
        if (generation == m_index_generation) {
            m_indexes = watcher->result();
            update();
        }
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run(build_indexes, m_model));
}

void TimelineView::setHighlights(const std::vector<Selection>& matches, const std::vector<Time>& begins) {
    m_highlight_keys.clear();
    m_highlight_keys.reserve(matches.size());
    for (Selection s : matches)
        m_highlight_keys.push_back(selection_key(s));
    std::sort(m_highlight_keys.begin(), m_highlight_keys.end());
    m_highlight_times = begins; // sorted, as the matches are (query/search.h)
    update();
}

void TimelineView::setShowAllFlows(bool show) {
    if (show == m_show_all_flows) return;
    m_show_all_flows = show;
    update();
}

void TimelineView::updateSelectedFlows() {
    m_selected_flows.clear();
    if (m_model && !m_selection.empty()) m_selected_flows = flows_of(*m_model, m_selection);
}

void TimelineView::rebuildLayout() {
    if (m_model)
        m_layout.build(*m_model);
    else
        m_layout = LaneLayout{};
    updateScrollBar();
}

void TimelineView::updateScrollBar() {
    const int page = lanesRect().height();
    m_vscroll->setPageStep(page);
    m_vscroll->setRange(0, std::max(0, m_layout.total_height() - page));
}

void TimelineView::rangeChanged(bool changed) {
    if (!changed) return;
    emit visibleRangeChanged(m_zoom.begin(), m_zoom.end());
    update();
}

void TimelineView::setVisibleRange(Time begin, Time end) { rangeChanged(m_zoom.set_range(begin, end)); }

void TimelineView::fitAll() { rangeChanged(m_zoom.fit_all()); }

void TimelineView::fitSelection() {
    if (!m_model || m_selection.empty()) return;
    const TimeRange r = selection_range(*m_model, m_selection);
    if (!r.valid()) return;
    if (r.end == r.begin) {
        // A point in time has no extent to fit: centre it and keep the zoom.
        const Time half = (m_zoom.end() - m_zoom.begin()) / 2;
        rangeChanged(m_zoom.set_range(r.begin - half, r.begin + half));
        return;
    }
    const Time pad = std::max<Time>((r.end - r.begin) / 10, 1);
    rangeChanged(m_zoom.set_range(r.begin - pad, r.end + pad));
}

void TimelineView::zoomBy(double factor) { rangeChanged(m_zoom.zoom(factor, anchorX())); }

void TimelineView::panByPixels(double dx) { rangeChanged(m_zoom.pan_px(dx)); }

void TimelineView::scrollToRow(int row) {
    if (row < 0 || static_cast<size_t>(row) >= m_layout.size()) return;
    const LaneRow& r = m_layout.row(static_cast<size_t>(row));
    if (r.pinned) return; // always in view
    // Scrolled rows show below the pinned ones: the visible band is [top + pinned, top + page).
    const int pinned = m_layout.pinned_height();
    const int page = lanesRect().height();
    const int top = m_vscroll->value();
    // Out of view: bring it to a third of the way down, so what follows it (an expanded task's
    // spans and children) shows too, and the rows above it give its context.
    if (r.y < top + pinned || r.y + r.height > top + page)
        m_vscroll->setValue(r.y - pinned - (page - pinned) / 3);
}

void TimelineView::setSelection(Selection selection) {
    if (!m_model) return;
    const bool changed = selection != m_selection;
    m_selection = selection;
    // Give the selection a row: expand the task tree down to it.
    TaskIndex task;
    switch (selection.kind) {
    case Selection::Kind::Task: task = TaskIndex{selection.index}; break;
    case Selection::Kind::AwaitPoint:
        if (selection.index < m_model->awaits.size()) task = m_model->awaits[selection.index].task;
        break;
    case Selection::Kind::AsyncSpan:
        if (selection.index < m_model->async_spans.size()) {
            task = m_model->async_spans[selection.index].task;
            if (task.valid()) m_layout.set_task_expanded(task, true);
        }
        break;
    default: break;
    }
    if (task.valid() && m_layout.row_of_task(task) < 0) m_layout.expand_to(*m_model, task);
    revealProcessOf(selection);
    if (task.valid()) rebuildLayout();
    updateSelectedFlows();
    scrollToRow(m_layout.row_of(*m_model, selection));
    update();
    if (changed) emit selectionChanged(m_selection);
}

void TimelineView::revealProcessOf(Selection s) {
    const Model& m = *m_model;
    ThreadIndex thread;
    ProcessIndex process;
    switch (s.kind) {
    case Selection::Kind::RunSlice: thread = m_layout.thread_of_run(s.index); break;
    case Selection::Kind::ThreadSpan: thread = thread_of_span(m, s.index); break;
    case Selection::Kind::Blocking: if (s.index < m.blocking.size()) thread = m.blocking[s.index].thread; break;
    case Selection::Kind::LagSample: if (s.index < m.lag.size()) thread = m.lag[s.index].thread; break;
    case Selection::Kind::Sample: if (s.index < m.samples.size()) thread = m.samples[s.index].thread; break;
    case Selection::Kind::Flow: if (s.index < m.flows.size()) thread = m.flows[s.index].from.thread; break;
    case Selection::Kind::Instant:
        if (s.index < m.instants.size() && m.instants[s.index].scope != InstantScope::Global)
            thread = m.instants[s.index].thread;
        break;
    case Selection::Kind::CounterSample: {
        const uint32_t track = counter_track_of(m, s.index);
        if (track != UINT32_MAX) process = m.counters[track].process;
        break;
    }
    default: break;
    }
    bool changed = false;
    if (thread.valid() && thread.value < m.threads.size()) {
        process = m.thread(thread).process;
        // A hidden or collapsed thread shows again when something on it is selected.
        if (m_layout.thread_hidden(m, thread) || m_layout.thread_collapsed(m, thread)) {
            m_layout.set_thread_hidden(m, thread, false);
            m_layout.set_thread_collapsed(m, thread, false);
            changed = true;
        }
    }
    if (process.valid() && m_layout.process_collapsed(process)) {
        m_layout.set_process_collapsed(process, false);
        changed = true;
    }
    if (changed) rebuildLayout();
}

void TimelineView::revealAndSelect(Selection selection) {
    if (!m_model) return;
    const TimeRange r = selection_range(*m_model, selection);
    if (r.valid()) rangeChanged(m_zoom.reveal(r.begin, r.end));
    setSelection(selection);
}

void TimelineView::clearSelection() {
    const bool had_ruler = m_ruler_begin != kNoTime;
    const bool had = !m_selection.empty() || had_ruler;
    m_ruler_begin = m_ruler_end = kNoTime;
    if (had_ruler) emit rulerMeasured(kNoTime, kNoTime);
    if (!m_selection.empty()) {
        m_selection = {};
        updateSelectedFlows();
        emit selectionChanged(m_selection);
    }
    if (had) update();
}

void TimelineView::expandTasks(const std::vector<TaskIndex>& tasks) {
    if (!m_model || tasks.empty()) return;
    for (TaskIndex t : tasks) m_layout.set_task_expanded(t, true);
    layoutChanged();
}

void TimelineView::setTaskExpanded(TaskIndex task, bool expanded) {
    if (!m_model) return;
    m_layout.set_task_expanded(task, expanded);
    layoutChanged();
}

void TimelineView::layoutChanged() {
    if (!m_model) return;
    rebuildLayout();
    scrollToRow(m_layout.row_of(*m_model, m_selection));
    update();
}

void TimelineView::setTaskGrouping(TaskGrouping grouping) {
    QSettings().setValue(settings::kTaskGrouping, grouping == TaskGrouping::SpawnLocation
                                                      ? QStringLiteral("spawn")
                                                      : QStringLiteral("name"));
    if (grouping == m_layout.task_grouping()) return;
    m_layout.set_task_grouping(grouping);
    layoutChanged();
}

void TimelineView::setThreadCollapsed(ThreadIndex thread, bool collapsed) {
    if (!m_model) return;
    m_layout.set_thread_collapsed(*m_model, thread, collapsed);
    layoutChanged();
}

void TimelineView::setThreadHidden(ThreadIndex thread, bool hidden) {
    if (!m_model) return;
    m_layout.set_thread_hidden(*m_model, thread, hidden);
    layoutChanged();
}

void TimelineView::setThreadPinned(ThreadIndex thread, bool pinned) {
    if (!m_model) return;
    m_layout.set_thread_pinned(*m_model, thread, pinned);
    layoutChanged();
}

void TimelineView::showHiddenThreads(ProcessIndex process) {
    if (!m_model) return;
    m_layout.show_hidden_threads(*m_model, process);
    layoutChanged();
}

void TimelineView::toggleRow(int row) {
    if (!m_model || row < 0) return;
    if (m_layout.toggle(*m_model, static_cast<size_t>(row))) {
        updateScrollBar();
        update();
    }
}

void TimelineView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) {
        follow_application_palette();
        update();
    }
}

void TimelineView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    const int sb = m_vscroll->sizeHint().width();
    m_vscroll->setGeometry(width() - sb, kAxisHeight, sb, std::max(0, height() - kAxisHeight));
    const bool changed = [&] {
        const Time b = m_zoom.begin(), e = m_zoom.end();
        m_zoom.set_width(lanesRect().width());
        return b != m_zoom.begin() || e != m_zoom.end();
    }();
    updateScrollBar();
    rangeChanged(changed);
}

void TimelineView::buildDrawList() {
    m_draw.clear();
    if (!m_model) return;
    const QRect lanes = lanesRect();
    const int top = m_vscroll->value();
    const int first = std::max(0, m_layout.row_at_y(top + m_layout.pinned_height()));
    int last = m_layout.row_at_y(top + lanes.height());
    const size_t end = last < 0 ? m_layout.size() : static_cast<size_t>(last) + 1;
    const ViewMapping view = m_zoom.mapping();
    DrawOptions options;
    options.counters = m_indexes ? &m_indexes->counters : nullptr;
    options.workers = std::thread::hardware_concurrency() > 1 ? 2 : 1;
    build_draw_list(*m_model, m_layout, view, static_cast<size_t>(first), end, m_draw, options);
    if (m_selection.kind == Selection::Kind::Task)
        add_task_arrows(*m_model, m_layout, view, TaskIndex{m_selection.index}, m_draw);
    if (m_show_all_flows && m_indexes)
        add_visible_flow_arrows(*m_model, m_layout, view, m_indexes->flows, static_cast<size_t>(first), end, m_draw);
    // The selection's flows last: painted over the others, whichever rows they reach.
    add_flow_arrows(*m_model, m_layout, view, m_selected_flows, true, m_draw);
}

void TimelineView::paintMatchTicks(QPainter& p, const QRect& axis, const ViewMapping& view) const {
    // One tick per pixel column holding a match: a binary search per tick, whatever the count.
    const auto& times = m_highlight_times;
    auto it = std::lower_bound(times.begin(), times.end(), view.begin);
    const QColor colour = timeline_palette().match;
    while (it != times.end() && *it <= view.end) {
        const double x = std::floor(view.x_of(*it));
        p.fillRect(QRect(axis.left() + static_cast<int>(x), axis.bottom() - 6, 2, 6), colour);
        it = std::lower_bound(it, times.end(), std::max(view.time_at(x + 2), *it + 1));
    }
}

void TimelineView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const TimelinePalette& pal = timeline_palette();
    const QRect lanes = lanesRect();
    const QRect axis = axisRect();
    p.fillRect(rect(), pal.background);
    m_zoom.set_width(lanes.width());
    const ViewMapping view = m_zoom.mapping();
    const AxisTicks ticks = axis_ticks(view);

    buildDrawList();
    RenderState state;
    state.lanes = lanes;
    state.scroll_y = m_vscroll->value();
    state.selection = m_selection;
    state.hovered_row = m_hover_row;
    state.highlights = &m_highlight_keys;
    paint_draw_list(p, m_draw, m_layout, state);
    p.save();
    p.setClipRect(lanes);
    paint_time_grid(p, lanes, view, ticks);
    if (m_hover_time != kNoTime) {
        const int x = lanes.left() + static_cast<int>(view.x_of(m_hover_time));
        p.setPen(pal.hover_line);
        p.drawLine(x, lanes.top(), x, lanes.bottom());
    }
    p.restore();

    paint_time_axis(p, axis, view, ticks, m_hover_time);
    paintMatchTicks(p, axis, view);
    if (m_ruler_begin != kNoTime) {
        p.save();
        p.setClipRect(axis.united(lanes));
        paint_ruler(p, axis, lanes, view, m_ruler_begin, m_ruler_end);
        p.restore();
    }
    p.fillRect(QRect(0, 0, m_header_width, kAxisHeight), pal.axis_background);
    if (m_model) {
        p.setPen(pal.axis_text);
        p.drawText(QRect(6, 0, m_header_width - 12, kAxisHeight), Qt::AlignVCenter | Qt::AlignLeft,
                   QString::number(m_model->event_count) + QStringLiteral(" events"));
        p.save();
        const QRect header = headerRect();
        p.setClipRect(header);
        paint_lane_headers(p, header, *m_model, m_layout, m_draw, m_vscroll->value(),
                           m_layout.row_of(*m_model, m_selection), m_hover_row);
        p.restore();
    } else {
        p.setPen(pal.header_dim_text);
        p.drawText(lanes, Qt::AlignCenter, QStringLiteral("No trace loaded"));
    }
}

} // namespace weft::ui
