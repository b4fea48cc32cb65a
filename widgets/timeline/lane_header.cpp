#include "timeline/lane_header.h"

#include "models/text.h"

#include "query/color_key.h"
#include "query/draw_list.h"
#include "query/task_names.h"
#include "timeline/timeline_colors.h"

#include <QFileInfo>
#include <QFontMetrics>
#include <QPainter>
#include <QPolygon>

#include <algorithm>

namespace weft::ui {

namespace {
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
constexpr int kIndentPx = 12;
constexpr int kArrowPx = 12;

QString thread_text(const Model& model, uint32_t index) {
    if (index >= model.threads.size()) return {};
    const Thread& t = model.threads[index];
    QString name = t.name.empty() ? QStringLiteral("thread ") + QString::number(t.os_thread_id) : qs(t.name);
    if (t.event_loop) name += QStringLiteral(" (event loop)");
    return name;
}

QString marks_text(const Model& model, uint32_t index) {
    if (index >= model.threads.size()) return {};
    const Thread& t = model.threads[index];
    if (t.instants.empty()) return QStringLiteral("samples");
    if (t.samples.empty()) return QStringLiteral("instants");
    return QStringLiteral("instants, samples");
}

// A counter's bound for the header: short, in the track's own unit.
QString bound_text(double v) { return QString::number(v, 'g', 4); }
} // namespace

QString lane_header_text(const Model& model, const LaneLayout& layout, const LaneRow& row) {
    // A thread's first row carries its name, whatever it shows.
    if (row.thread_head) return thread_text(model, row.index);
    switch (row.kind) {
    case RowKind::Process: {
        if (row.index >= model.processes.size()) return {};
        // "pid · program": the program's file name; its path is in the tooltip
        const Process& p = model.processes[row.index];
        const QString program = p.exe.empty() ? QStringLiteral("process") : QFileInfo(qs(p.exe)).fileName();
        QString text =
            QString::number(p.pid) + QStringLiteral(" \u00b7 ") + (program.isEmpty() ? qs(p.exe) : program);
        const size_t hidden = layout.hidden_threads(model, ProcessIndex{row.index});
        if (hidden > 0) text += QStringLiteral("  (") + QString::number(hidden) + QStringLiteral(" hidden)");
        return text;
    }
    case RowKind::TaskPack: {
        // The group's name on its first row, with how many tasks it holds.
        if (row.depth != 0) return {};
        const PackGroup& g = layout.pack_group(row);
        return qs(task_group_label(model, g.key, g.grouping)) + QStringLiteral("  \u00d7") +
               QString::number(g.task_count);
    }
    case RowKind::ThreadRuns: return thread_text(model, row.index);
    case RowKind::ThreadMarks: return marks_text(model, row.index);
    case RowKind::GlobalMarks: return QStringLiteral("Global instants");
    case RowKind::Counter:
        return row.index < model.counters.size() ? qs(counter_name(model, model.counters[row.index])) : QString();
    case RowKind::ThreadBlocking: return QStringLiteral("blocking");
    case RowKind::ThreadLag: return QStringLiteral("loop lag");
    case RowKind::ThreadSpans: return QStringLiteral("spans ") + QString::number(row.depth);
    case RowKind::TaskGroup: return QStringLiteral("Tasks");
    case RowKind::Task: {
        if (row.index >= model.tasks.size()) return {};
        const Task& t = model.tasks[row.index];
        QString text = qs(task_display_name(model, TaskIndex{row.index}));
        if (!t.children.empty()) text += QStringLiteral("  (") + QString::number(t.children.count) + QStringLiteral(")");
        return text;
    }
    case RowKind::TaskSpans: return row.depth == 0 ? QStringLiteral("async spans") : QString();
    }
    return {};
}

QString lane_header_tooltip(const Model& model, const LaneLayout& layout, const LaneRow& row) {
    QString text = lane_header_text(model, layout, row);
    if (row.kind == RowKind::TaskPack) {
        const PackGroup& g = layout.pack_group(row);
        text = qs(task_group_label(model, g.key, g.grouping)) + QStringLiteral("\n") +
               countText(g.task_count, QStringLiteral("task"), QStringLiteral("tasks")) +
               QStringLiteral(" packed into ") +
               countText(g.rows, QStringLiteral("row"), QStringLiteral("rows")) +
               QStringLiteral(" (a task goes into the first row free when it starts)\n") +
               QStringLiteral("Select a task and press Enter to give it a row of its own, with its children");
        return text;
    }
    if (row.kind == RowKind::Counter && row.index < model.counters.size()) {
        const CounterTrack& c = model.counters[row.index];
        text += QStringLiteral("\nrange: ") + bound_text(c.min) + QStringLiteral(" \u2013 ") + bound_text(c.max) +
                QStringLiteral("\n") + countText(c.samples.count, QStringLiteral("sample"), QStringLiteral("samples"));
    } else if (row.kind == RowKind::Process && row.index < model.processes.size() &&
               !model.processes[row.index].exe.empty()) {
        text += QStringLiteral("\n") + qs(model.processes[row.index].exe);
    } else if (row.thread_head && row.kind != RowKind::ThreadRuns) {
        // The heading hides what the row itself shows: say it.
        LaneRow plain = row;
        plain.thread_head = false;
        text += QStringLiteral("\n") + lane_header_text(model, layout, plain) +
                QStringLiteral(" (the thread has no run slices)");
    }
    if (row.pinned && row.thread_head)
        text += QStringLiteral("\npinned: stays in view while the lanes scroll");
    return text;
}

QRect lane_header_arrow(const LaneRow& row, const QRect& r) {
    const int x = r.left() + 4 + row.indent * kIndentPx;
    return QRect(x, r.top() + (r.height() - kArrowPx) / 2, kArrowPx, kArrowPx);
}

void paint_lane_headers(QPainter& p, const QRect& rect, const Model& model, const LaneLayout& layout,
                        const DrawList& list, int scroll_y, int selected_row, int hovered_row) {
    const TimelinePalette& pal = timeline_palette();
    p.fillRect(rect, pal.header_background);
    QFont font = p.font();
    const QFont normal = font;
    font.setBold(true);
    const QFont bold = font;
    const int pinned_height = layout.pinned_height();
    const QRect pinned_clip(rect.left(), rect.top(), rect.width(), pinned_height);
    const QRect scrolled_clip = rect.adjusted(0, pinned_height, 0, 0);
    list.for_each_row([&](size_t i) {
        if (i >= layout.size()) return;
        const LaneRow& row = layout.row(i);
        p.setClipRect(row.pinned ? pinned_clip : scrolled_clip);
        const QRect r(rect.left(), rect.top() + layout.view_y(row, scroll_y), rect.width(), row.height);
        if (static_cast<int>(i) == selected_row)
            p.fillRect(r, pal.ruler_fill);
        else if (static_cast<int>(i) == hovered_row)
            p.fillRect(r, pal.row_alternate);
        const QRect arrow = lane_header_arrow(row, r);
        if (row.expandable) {
            p.setPen(Qt::NoPen);
            p.setBrush(pal.header_dim_text);
            const QPoint c = arrow.center();
            QPolygon tri;
            if (row.expanded)
                tri << QPoint(c.x() - 4, c.y() - 2) << QPoint(c.x() + 4, c.y() - 2) << QPoint(c.x(), c.y() + 3);
            else
                tri << QPoint(c.x() - 2, c.y() - 4) << QPoint(c.x() + 3, c.y()) << QPoint(c.x() - 2, c.y() + 4);
            p.drawPolygon(tri);
        }
        int text_left = arrow.right() + 3;
        if (row.pinned && row.thread_head) {
            // A pinned thread: a dot in the selection colour before its name.
            p.setPen(Qt::NoPen);
            p.setBrush(pal.ruler_edge);
            p.drawEllipse(QRect(text_left, r.center().y() - 3, 7, 7));
            text_left += 10;
        }
        if (row.kind == RowKind::Task && row.index < model.tasks.size()) {
            // A swatch of the task's colour ties the header to its marks.
            p.fillRect(QRect(text_left, r.top() + 4, 4, r.height() - 8),
                       color_for_key(color_key_for_id(model.tasks[row.index].task_id)));
            text_left += 7;
        }
        const bool heading = row.kind == RowKind::Process || row.kind == RowKind::TaskGroup;
        QFont row_font = heading ? bold : normal;
        if (r.height() < QFontMetrics(normal).height() + 2) {
            // Thin rows (blocking, loop lag) get a smaller font rather than clipped text.
            row_font.setPixelSize(std::max(7, r.height() - 3));
        }
        p.setFont(row_font);
        const bool dim =
            !row.thread_head && (row.kind == RowKind::TaskPack || row.kind == RowKind::ThreadBlocking ||
                                 row.kind == RowKind::ThreadLag || row.kind == RowKind::ThreadSpans ||
                                 row.kind == RowKind::TaskSpans || row.kind == RowKind::ThreadMarks ||
                                 row.kind == RowKind::GlobalMarks);
        p.setPen(dim ? pal.header_dim_text : pal.header_text);
        int text_right = r.right() - 2;
        if (row.kind == RowKind::Counter && row.index < model.counters.size()) {
            // The track's scale, beside its name: the chart's top and bottom.
            const CounterTrack& c = model.counters[row.index];
            QFont small = normal;
            small.setPixelSize(std::max(7, r.height() / 2 - 4));
            p.setFont(small);
            p.setPen(pal.header_dim_text);
            const QRect scale(r.right() - 60, r.top() + 1, 56, r.height() - 2);
            p.drawText(scale, Qt::AlignRight | Qt::AlignTop, bound_text(c.max));
            p.drawText(scale, Qt::AlignRight | Qt::AlignBottom, bound_text(c.min));
            text_right = scale.left() - 4;
            p.setPen(pal.header_text);
        }
        p.setFont(row_font);
        const QRect text_rect(text_left, r.top(), std::max(0, text_right - text_left), r.height());
        const QString text = p.fontMetrics().elidedText(lane_header_text(model, layout, row), Qt::ElideMiddle,
                                                        text_rect.width());
        p.drawText(text_rect, Qt::AlignVCenter | Qt::AlignLeft, text);
        if (row.kind == RowKind::Task) {
            // asyncio's default name, which the coroutine's replaced, dimmed after it if it fits
            const QString replaced = qs(task_replaced_name(model, TaskIndex{row.index}));
            const int x = text_rect.left() + p.fontMetrics().horizontalAdvance(text) + 6;
            if (!replaced.isEmpty() && x + p.fontMetrics().horizontalAdvance(replaced) <= text_rect.right()) {
                p.setPen(pal.header_dim_text);
                p.drawText(QRect(x, r.top(), text_rect.right() - x, r.height()), Qt::AlignVCenter | Qt::AlignLeft,
                           replaced);
            }
        }
        p.setPen(pal.row_separator);
        p.drawLine(r.left(), r.bottom(), r.right(), r.bottom());
    });
    p.setClipRect(rect);
    if (pinned_height > 0)
        p.fillRect(QRect(rect.left(), rect.top() + pinned_height - 1, rect.width(), 2), pal.header_dim_text);
    p.setFont(normal);
    p.setPen(pal.row_separator);
    p.drawLine(rect.right(), rect.top(), rect.right(), rect.bottom());
}

} // namespace weft::ui
