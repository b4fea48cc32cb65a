// What lies under the pointer on TimelineView, beyond the click's hit test: a tooltip for every
// kind of mark, row header and flow arrow, and the flow arrow under a point.
#include "timeline/timeline_view.h"

#include "analysis/awaited_task.h"
#include "models/text.h"
#include "query/lanes.h"
#include "timeline/lane_header.h"
#include "timeline/timeline_shapes.h"

#include <QPainterPath>
#include <QPainterPathStroker>

namespace weft::ui {

namespace {

constexpr int kMaxStackLines = 8;

QString qs(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
QString value_text(double v) { return QString::number(v, 'g', 8); }

QString flow_end_line(const Model& m, const FlowEnd& end) {
    const QString name = flowEndSpanName(m, end);
    return (name.isEmpty() ? QString() : name + QStringLiteral(" on ")) + threadName(m, end.thread) +
           QStringLiteral(" at ") + exactTimeText(end.time);
}

QString flow_text(const Model& m, const DrawArrow& a) {
    if (a.flow >= m.flows.size()) return {};
    const Flow& f = m.flows[a.flow];
    QString text = qs(selection_name(m, {Selection::Kind::Flow, a.flow}));
    const QString category = categoryText(m, f.location);
    if (!category.isEmpty()) text += QStringLiteral(" (") + category + QLatin1Char(')');
    if (a.count > 1)
        text += QStringLiteral("\n") + QString::number(a.count) +
                QStringLiteral(" flows between these points (zoom in to separate them); the first:");
    text += QStringLiteral("\nfrom: ") + flow_end_line(m, f.from);
    text += QStringLiteral("\nto: ") + flow_end_line(m, f.to);
    text += QStringLiteral("\ntook: ") + durationText(f.to.time - f.from.time);
    return text;
}

QString instant_text(const Model& m, uint32_t index) {
    const Instant& in = m.instants[index];
    QString text = qs(selection_name(m, {Selection::Kind::Instant, index}));
    const QString category = categoryText(m, in.location);
    if (!category.isEmpty()) text += QStringLiteral(" (") + category + QLatin1Char(')');
    switch (in.scope) {
    case InstantScope::Thread: text += QStringLiteral("\ninstant on ") + threadName(m, in.thread); break;
    case InstantScope::Process: text += QStringLiteral("\ninstant of the whole process"); break;
    default: text += QStringLiteral("\ninstant of the whole trace"); break;
    }
    text += QStringLiteral("\nat: ") + exactTimeText(in.time);
    if (in.args.value != 0) text += QStringLiteral("\nargs: ") + argsOneLine(m, in.args);
    return text;
}

QString sample_text(const Model& m, uint32_t index) {
    const Sample& s = m.samples[index];
    QString text = toQString(m.string(s.name));
    if (text.isEmpty()) text = QStringLiteral("sample");
    text += QStringLiteral(" of ") + threadName(m, s.thread) + QStringLiteral("\nat: ") + exactTimeText(s.time);
    if (s.weight != 1) text += QStringLiteral("\nweight: ") + QString::number(s.weight);
    const Range frames = lanes::clamp_range(s.frames, m.frames.size());
    for (uint32_t i = 0; i < frames.count && i < kMaxStackLines; ++i)
        text += QStringLiteral("\n  ") + locationText(m, m.frames[frames.first + i]);
    if (frames.count > kMaxStackLines)
        text += QStringLiteral("\n  \u2026 ") + QString::number(frames.count - kMaxStackLines) + QStringLiteral(" more");
    return text;
}

QString counter_text(const Model& m, const DrawMark& mark, Selection at) {
    const uint32_t track_index = counter_track_of(m, mark.selection.index);
    if (track_index == UINT32_MAX) return {};
    const CounterTrack& track = m.counters[track_index];
    QString text = qs(counter_name(m, track));
    // The value holding under the pointer, exactly, whatever the step folded.
    if (at.kind == Selection::Kind::CounterSample && at.index < m.counter_samples.size())
        text += QStringLiteral("\nvalue: ") + value_text(m.counter_samples.value[at.index]) + QStringLiteral("\nsince: ") +
                exactTimeText(m.counter_samples.time[at.index]);
    if (mark.folded()) {
        const double lo = track.min + static_cast<double>(mark.value_lo) * (track.max - track.min);
        const double hi = track.min + static_cast<double>(mark.value_hi) * (track.max - track.min);
        text += QStringLiteral("\n") + QString::number(mark.count) + QStringLiteral(" samples in this pixel, from ") +
                value_text(lo) + QStringLiteral(" to ") + value_text(hi);
    }
    return text;
}

// Where an await is, which task awaits, and the task it waited on when its awaitable names one.
QString await_lines(const Model& m, uint32_t index) {
    const AwaitPoint& a = m.awaits[index];
    QString text;
    const QString where = locationText(m, a.location);
    if (!where.isEmpty()) text += QStringLiteral("\nwhere: ") + where;
    if (a.task.valid()) text += QStringLiteral("\ntask: ") + taskName(m, a.task);
    const TaskIndex awaited = analysis::awaited_task(m, index);
    if (awaited.valid())
        text += QStringLiteral("\nawaited task: ") + taskName(m, awaited) + QStringLiteral(", done at ") +
                exactTimeText(m.task(awaited).completed);
    return text;
}

} // namespace

const DrawArrow* TimelineView::arrowAt(QPoint pos) const {
    if (!m_model || !lanesRect().contains(pos)) return nullptr;
    const int left = lanesRect().left();
    QPainterPathStroker stroker;
    stroker.setWidth(7);
    // The last painted is on top: the selection's flows.
    for (size_t i = m_draw.arrows.size(); i-- > 0;) {
        const DrawArrow& a = m_draw.arrows[i];
        if (a.kind != ArrowKind::Flow) continue;
        const int y0 = rowCenterY(static_cast<int>(a.from_row));
        const int y1 = rowCenterY(static_cast<int>(a.to_row));
        if (y0 < 0 || y1 < 0) continue;
        const QPointF from(left + a.from_x, y0), to(left + a.to_x, y1);
        const QRectF bounds = QRectF(from, to).normalized().adjusted(-130, -45, 130, 45);
        if (!bounds.contains(pos)) continue;
        if (stroker.createStroke(flow_arrow_path(from, to)).contains(QPointF(pos))) return &a;
    }
    return nullptr;
}

QString TimelineView::tooltipAt(QPoint pos) const {
    if (!m_model) return {};
    const int row = rowAt(pos);
    if (row < 0) return {};
    const Model& m = *m_model;
    if (pos.x() < lanesRect().left())
        return lane_header_tooltip(m, m_layout, m_layout.row(static_cast<size_t>(row)));
    const double x = pos.x() - lanesRect().left();
    const DrawMark* mark = m_draw.mark_at(static_cast<size_t>(row), x, 2.0);
    if (!mark) {
        const DrawArrow* arrow = arrowAt(pos);
        return arrow ? flow_text(m, *arrow) : QString();
    }
    if (mark->kind == MarkKind::Counter)
        return counter_text(m, *mark, hit_test(m, m_layout, m_zoom.mapping(), static_cast<size_t>(row), x));
    const QString duration = durationText(mark->end - mark->begin);
    if (mark->folded()) {
        const QString what = mark->kind == MarkKind::Instant  ? QStringLiteral(" instants")
                             : mark->kind == MarkKind::Sample ? QStringLiteral(" samples")
                                                              : QStringLiteral(" items");
        return QString::number(mark->count) + what + QStringLiteral(" folded (zoom in to see them)\n") +
               QStringLiteral("span: ") + duration;
    }
    const Selection sel = mark->selection;
    if (sel.kind == Selection::Kind::Instant && sel.index < m.instants.size()) return instant_text(m, sel.index);
    if (sel.kind == Selection::Kind::Sample && sel.index < m.samples.size()) return sample_text(m, sel.index);
    QString text = qs(selection_name(m, sel));
    switch (mark->kind) {
    case MarkKind::TaskScheduled: text += QStringLiteral(" \u2014 scheduled (ready, not running)"); break;
    case MarkKind::TaskLifetime:
        text += QStringLiteral(" \u2014 lifetime");
        if ((mark->aux & kEndedMask) == kEndedCancelled) text += QStringLiteral(", cancelled");
        if ((mark->aux & kEndedMask) == kEndedFailed && sel.index < m.tasks.size()) {
            const std::string_view message = m.string(m.tasks[sel.index].error_message);
            text += QStringLiteral(", failed") +
                    (message.empty() ? QString() : QStringLiteral(": ") + toQString(message));
        }
        if (mark->aux & kInnerFailed) text += QStringLiteral("\na task it spawned failed (expand it to see which)");
        break;
    case MarkKind::Migration: text += QStringLiteral(" \u2014 migrated to another thread"); break;
    default: break;
    }
    if (sel.kind == Selection::Kind::ThreadSpan && sel.index < m.thread_spans.size()) {
        const QString category = categoryText(m, m.thread_spans[sel.index].location);
        if (!category.isEmpty()) text += QStringLiteral(" (") + category + QLatin1Char(')');
    }
    if (sel.kind == Selection::Kind::AwaitPoint && sel.index < m.awaits.size()) text += await_lines(m, sel.index);
    text += QStringLiteral("\nduration: ") + duration;
    text += QStringLiteral("\nstart: ") + exactTimeText(mark->begin);
    if (mark->unfinished) text += QStringLiteral("\nunfinished (open at trace end)");
    if (mark->kind == MarkKind::Lag && sel.index < m.lag.size())
        text += QStringLiteral("\nlag: ") + durationText(m.lag[sel.index].lag);
    return text;
}

} // namespace weft::ui
