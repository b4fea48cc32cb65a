#include "timeline/timeline_renderer.h"

#include "query/color_key.h"
#include "timeline/timeline_colors.h"
#include "timeline/timeline_shapes.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>
#include <QPolygon>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

namespace weft::ui {

namespace {

constexpr int kMinLabelPx = 24;

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

// The vertical band of a mark inside its row: states of a task share the row at different heights
// so running, awaiting and scheduled read apart at a glance.
QRect mark_rect(const DrawMark& m, const QRect& row, int left) {
    const int x0 = left + static_cast<int>(std::floor(m.x0));
    const int x1 = left + static_cast<int>(std::ceil(m.x1));
    const int w = std::max(1, x1 - x0);
    const int h = row.height();
    switch (m.kind) {
    case MarkKind::TaskLifetime: return QRect(x0, row.top() + h / 2 - 1, w, 2);
    case MarkKind::TaskScheduled:
    case MarkKind::TaskAwaiting: return QRect(x0, row.top() + h / 4 + 1, w, std::max(2, h / 2 - 1));
    case MarkKind::Migration: return QRect(x0 - 1, row.top(), 2, h - 1);
    default: return QRect(x0, row.top() + 1, w, h - 3);
    }
}

void paint_label(QPainter& p, const QRect& r, const QString& text, const QColor& fill) {
    const QFontMetrics fm = p.fontMetrics();
    const QRect inner = r.adjusted(3, 0, -2, 0);
    if (inner.width() < 8 || inner.height() < fm.height() - 4) return;
    p.setPen(text_on(fill));
    const QString shown = fm.horizontalAdvance(text) <= inner.width()
                              ? text
                              : fm.elidedText(text, Qt::ElideRight, inner.width());
    if (shown.size() <= 1 && text.size() > 1) return; // only an ellipsis: say nothing
    p.drawText(inner, Qt::AlignVCenter | Qt::AlignLeft | Qt::TextSingleLine, shown);
}

} // namespace

void paint_draw_list(QPainter& p, const DrawList& list, const LaneLayout& layout, const RenderState& s) {
    const TimelinePalette& pal = timeline_palette();
    struct Ended {
        int x;
        QRect row;
        uint32_t how;
        size_t r;
        QRect fold; // a fold of tasks: marked along its bottom edge rather than with a diamond
        QRect life; // a lifetime: its extent, for kInnerFailed
    };
    std::vector<Ended> ended;
    p.save();
    p.setClipRect(s.lanes);
    p.fillRect(s.lanes, pal.background);
    const int left = s.lanes.left();
    auto row_rect = [&](size_t r) {
        const LaneRow& row = layout.row(r);
        return QRect(left, s.lanes.top() + layout.view_y(row, s.scroll_y), s.lanes.width(), row.height);
    };
    // Scrolled rows pass under the pinned ones: each row is clipped to its own section.
    const int pinned_height = layout.pinned_height();
    const QRect pinned_clip(s.lanes.left(), s.lanes.top(), s.lanes.width(), pinned_height);
    const QRect scrolled_clip = s.lanes.adjusted(0, pinned_height, 0, 0);
    auto clip_row = [&](size_t r) { p.setClipRect(layout.row(r).pinned ? pinned_clip : scrolled_clip); };

    list.for_each_row([&](size_t r) {
        if (r >= layout.size()) return;
        const LaneRow& row = layout.row(r);
        clip_row(r);
        const QRect rr = row_rect(r);
        if (row.kind == RowKind::Process || row.kind == RowKind::TaskGroup)
            p.fillRect(rr, pal.header_background);
        else if (static_cast<int>(r) == s.hovered_row)
            p.fillRect(rr, pal.row_alternate.darker(103));
        else if (r % 2 == 1)
            p.fillRect(rr, pal.row_alternate);
    });

    const QFontMetrics fm = p.fontMetrics();
    const DrawMark* selected = nullptr;
    size_t selected_row = 0;
    QRect selected_rect;
    QRect selected_task; // a selected task in a packed row: its extent there
    struct Match {
        QRect rect;
        size_t r;
    };
    std::vector<Match> matches; // marks of Find's matches, outlined over everything
    auto is_match = [&](const DrawMark& m) {
        return s.highlights && !s.highlights->empty() && m.count == 1 &&
               std::binary_search(s.highlights->begin(), s.highlights->end(), selection_key(m.selection));
    };
    list.for_each_row([&](size_t r) {
        if (r >= list.row_marks.size()) return;
        const Range range = list.row_marks[r];
        if (range.empty()) return;
        clip_row(r);
        const QRect rr = row_rect(r);
        double counter_previous_y = std::numeric_limits<double>::quiet_NaN();
        std::optional<CounterColors> counter_colors; // one track per row: made once
        for (uint32_t i = range.first; i < range.end(); ++i) {
            const DrawMark& m = list.marks[i];
            const QColor fill = mark_fill(m);
            const bool is_selected = m.count == 1 && m.selection == s.selection && !s.selection.empty();
            if (m.kind == MarkKind::Instant || m.kind == MarkKind::Sample || m.kind == MarkKind::Counter) {
                if (m.kind == MarkKind::Counter) {
                    if (!counter_colors) counter_colors.emplace(fill);
                    paint_counter_step(p, m, rr, left, *counter_colors, counter_previous_y);
                    counter_previous_y = std::isnan(m.value) ? m.value : counter_y(rr, m.value);
                } else if (m.kind == MarkKind::Instant) {
                    paint_instant(p, m, rr, left, fill);
                } else {
                    paint_sample(p, m, rr, left, fill);
                }
                if (is_match(m))
                    matches.push_back(
                        {m.kind == MarkKind::Counter ? mark_rect(m, rr, left) : point_mark_rect(m, rr, left),
                         r});
                if (is_selected) {
                    selected = &m;
                    selected_row = r;
                    selected_rect =
                        m.kind == MarkKind::Counter ? mark_rect(m, rr, left) : point_mark_rect(m, rr, left);
                }
                continue;
            }
            const QRect mr = mark_rect(m, rr, left);
            p.fillRect(mr, fill);
            if (m.kind != MarkKind::Migration && is_match(m))
                matches.push_back({m.kind == MarkKind::TaskLifetime
                                       ? QRect(mr.left(), rr.top(), mr.width(), rr.height())
                                       : mr,
                                   r});
            if (m.kind == MarkKind::Migration) {
                QPolygon tri;
                tri << QPoint(mr.left() - 3, rr.top()) << QPoint(mr.right() + 4, rr.top())
                    << QPoint(mr.center().x(), rr.top() + 5);
                p.setPen(Qt::NoPen);
                p.setBrush(fill);
                p.drawPolygon(tri);
                continue;
            }
            if (m.kind == MarkKind::TaskRunning && m.aux != 0 && mr.height() > 8)
                p.fillRect(QRect(mr.left(), mr.bottom() - 2, mr.width(), 3),
                           color_for_key(color_key_for_id(m.aux - 1)).darker(140));
            if (m.unfinished && mr.width() > 6)
                p.fillRect(QRect(mr.right() - 1, mr.top(), 2, mr.height()), fill.darker(170));
            if (m.kind == MarkKind::TaskLifetime && m.aux != 0)
                ended.push_back({mr.right(), rr, m.aux, r, {}, mr});
            if (m.kind == MarkKind::TaskFold && m.aux != 0)
                ended.push_back({mr.center().x(), rr, m.aux, r, mr, {}});
            if (m.kind == MarkKind::TaskLifetime && m.selection == s.selection &&
                layout.row(r).kind == RowKind::TaskPack) {
                selected_task = QRect(mr.left(), rr.top(), mr.width(), rr.height());
                selected_row = r;
            }
            if (is_selected && m.kind != MarkKind::TaskLifetime) {
                selected = &m;
                selected_row = r;
                selected_rect = mr;
            }
            if (mr.width() < kMinLabelPx || mr.height() < fm.height() - 4) continue;
            const QRect label_rect = mr.intersected(s.lanes); // keep text visible on clipped marks
            if (m.folded())
                paint_label(p, label_rect, QString::number(m.count) + QStringLiteral(" \u00d7"), fill);
            else if (!m.label.empty() && m.kind != MarkKind::TaskLifetime)
                paint_label(p, label_rect, qs(m.label), fill);
        }
    });

    // A task that failed or was cancelled: a diamond where it ended, over its row's other marks.
    // One with a failure below it (a task it spawned, at any depth, not shown): a thin red line
    // under its lifetime.
    p.setPen(Qt::NoPen);
    for (const Ended& e : ended) {
        clip_row(e.r);
        const uint32_t how = e.how & kEndedMask;
        if (!e.fold.isNull()) {
            // Many tasks at an overview: a diamond each would cover the row; a red base says "some
            // of these failed" (a thinner one: "something they spawned failed") and leaves the
            // shading readable.
            if (how != 0)
                p.fillRect(QRect(e.fold.left(), e.fold.bottom() - 2, e.fold.width(), 3),
                           how == kEndedFailed ? pal.failed : pal.cancelled);
            else
                p.fillRect(QRect(e.fold.left(), e.fold.bottom(), e.fold.width(), 1), pal.failed);
            continue;
        }
        if (e.how & kInnerFailed) p.fillRect(QRect(e.life.left(), e.row.bottom() - 2, e.life.width(), 2), pal.failed);
        if (how == 0) continue;
        const int cy = e.row.center().y(), d = std::clamp(e.row.height() / 3, 3, 6);
        QPolygon diamond;
        diamond << QPoint(e.x, cy - d) << QPoint(e.x + d, cy) << QPoint(e.x, cy + d) << QPoint(e.x - d, cy);
        p.setBrush(how == kEndedFailed ? pal.failed : pal.cancelled);
        p.drawPolygon(diamond);
    }

    // Find's matches: an outline in the match colour, at least a few pixels wide to be seen.
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(pal.match, 2));
    for (const Match& m : matches) {
        clip_row(m.r);
        QRect box = m.rect.adjusted(0, 0, -1, -1);
        if (box.width() < 4) box.adjust(-2, 0, 2, 0);
        p.drawRect(box);
    }
    p.setPen(Qt::NoPen);
    if (selected || !selected_task.isNull()) clip_row(selected_row);
    if (selected) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(pal.selection, 2));
        p.drawRect(selected_rect.adjusted(0, 0, -1, -1));
    } else if (!selected_task.isNull()) {
        // A task among others in a packed row: outlined as firmly as any selected mark.
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(pal.selection, 2));
        p.drawRect(selected_task.adjusted(0, 0, -1, -1));
    } else if (s.selection.kind == Selection::Kind::Task) {
        // A selected task is outlined along its whole row.
        list.for_each_row([&](size_t r) {
            const LaneRow& row = layout.row(r);
            if (row.kind == RowKind::Task && row.index == s.selection.index) {
                clip_row(r);
                p.setBrush(Qt::NoBrush);
                p.setPen(QPen(pal.selection, 1, Qt::DashLine));
                p.drawRect(row_rect(r).adjusted(0, 0, -1, -1));
            }
        });
    }
    p.setClipRect(s.lanes);
    if (pinned_height > 0) {
        // The edge of the pinned section, a little stronger than a row's.
        p.fillRect(QRect(s.lanes.left(), s.lanes.top() + pinned_height - 1, s.lanes.width(), 2),
                   pal.header_dim_text);
    }

    // Global instants: a faint line through every row, so what happened to the whole trace lines
    // up with what each thread did then.
    for (const DrawMark& g : list.global_marks) {
        const int x = left + static_cast<int>(std::lround(g.x0));
        p.fillRect(QRect(x, s.lanes.top(), std::max(1, static_cast<int>(std::lround(g.x1 - g.x0)) + 1), s.lanes.height()),
                   pal.global_line);
    }

    p.setRenderHint(QPainter::Antialiasing, true);
    for (const DrawArrow& a : list.arrows) {
        if (a.from_row >= layout.size() || a.to_row >= layout.size()) continue;
        const QRect from = row_rect(a.from_row);
        const QRect to = row_rect(a.to_row);
        const QPointF f(left + a.from_x, from.center().y());
        const QPointF t(left + a.to_x, to.center().y());
        if (a.kind == ArrowKind::Spawn)
            paint_spawn_arrow(p, f, t, pal.arrow);
        else
            paint_flow_arrow(p, f, t, a.strong ? pal.flow_strong : pal.flow, a.strong, a.count);
    }
    if (list.flows_omitted > 0) {
        // Say that the arrows are a sample, where the eye ends up after reading the view.
        const QString note = QStringLiteral("+") + QString::number(list.flows_omitted) +
                             QStringLiteral(" flows not drawn: zoom in to see them all");
        const QRect box = fm.boundingRect(note).adjusted(-6, -2, 6, 2);
        const QRect at(s.lanes.right() - box.width() - 8, s.lanes.bottom() - box.height() - 6, box.width(), box.height());
        p.setPen(Qt::NoPen);
        p.setBrush(pal.axis_background);
        p.drawRoundedRect(at, 3, 3);
        p.setPen(pal.axis_text);
        p.drawText(at, Qt::AlignCenter, note);
    }
    p.restore();
}

} // namespace weft::ui
