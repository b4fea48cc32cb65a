#include "timeline/timeline_shapes.h"

#include <QPainter>
#include <QPainterPath>
#include <QPolygonF>

#include <algorithm>
#include <cmath>
#include <utility>

namespace weft::ui {

namespace {
constexpr double kInstantHalfWidth = 4.5;
constexpr double kHeadLength = 7.0;

// The control points of a flow's curve.
std::pair<QPointF, QPointF> flow_controls(QPointF from, QPointF to) {
    const double dx = to.x() - from.x();
    const double dy = to.y() - from.y();
    QPointF c1;
    QPointF c2;
    if (std::abs(dy) < 1.0) {
        // Same row: an arc above it, so the arrow does not hide the row's own marks.
        const double lift = std::clamp(std::abs(dx) * 0.35, 10.0, 40.0);
        c1 = from + QPointF(dx * 0.25, -lift);
        c2 = to + QPointF(-dx * 0.25, -lift);
    } else {
        // Leave and enter horizontally; a short flow still bends enough to show its direction.
        const double bend = std::clamp(std::abs(dx) * 0.5, 18.0, 120.0);
        c1 = from + QPointF(bend, 0);
        c2 = to - QPointF(bend, 0);
    }
    return {c1, c2};
}
} // namespace

void paint_spawn_arrow(QPainter& p, QPointF from, QPointF to, const QColor& colour) {
    QPainterPath path(from);
    // Leave the source row vertically, enter the target horizontally: the head sits on the start
    // of the spawned task.
    to += QPointF(6, 0);
    path.cubicTo(QPointF(from.x(), (from.y() + to.y()) / 2), QPointF(to.x() - 14, to.y()), to);
    p.setPen(QPen(colour, 1.5));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    // A small head pointing right at the target.
    QPolygonF head;
    head << to << to + QPointF(-6, -3.5) << to + QPointF(-6, 3.5);
    p.setBrush(colour);
    p.drawPolygon(head);
}

QPainterPath flow_arrow_path(QPointF from, QPointF to) {
    const auto [c1, c2] = flow_controls(from, to);
    QPainterPath path(from);
    path.cubicTo(c1, c2, to);
    return path;
}

void paint_flow_arrow(QPainter& p, QPointF from, QPointF to, const QColor& colour, bool strong, uint32_t count) {
    const auto [c1, c2] = flow_controls(from, to);
    // A polyline of the curve, drawn with a cosmetic pen: the painter's fast stroker. A path with
    // a curve, or a pen wider than a pixel, goes through the general stroker and costs many times
    // more; only the selection's flows and folds are drawn wider.
    constexpr int kSegments = 16;
    QPointF points[kSegments + 1];
    for (int i = 0; i <= kSegments; ++i) {
        const double t = static_cast<double>(i) / kSegments;
        const double u = 1 - t;
        points[i] = from * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) + to * (t * t * t);
    }
    const double width = strong ? 1.8 : (count <= 1 ? 1.0 : std::min(3.0, 1.0 + std::log2(static_cast<double>(count)) * 0.4));
    QPen pen(colour, width);
    pen.setCosmetic(true);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawPolyline(points, kSegments + 1);

    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    const double dot = strong ? 2.5 : 1.8;
    p.drawEllipse(from, dot, dot);
    // The head points along the curve's last tangent.
    QPointF dir = to - c2;
    const double len = std::hypot(dir.x(), dir.y());
    dir = len > 0.01 ? dir / len : QPointF(1, 0);
    const QPointF normal(-dir.y(), dir.x());
    const double head = strong ? kHeadLength + 1 : kHeadLength;
    const QPointF tri[3] = {to, to - dir * head + normal * (head * 0.45), to - dir * head - normal * (head * 0.45)};
    p.drawConvexPolygon(tri, 3);
}

QRect point_mark_rect(const DrawMark& m, const QRect& row, int left) {
    const double x0 = left + m.x0;
    const double x1 = left + m.x1;
    if (m.kind == MarkKind::Sample) {
        const int top = row.top() + row.height() / 2;
        const int l = static_cast<int>(std::floor(x0)) - 1;
        return QRect(l, top, std::max(3, static_cast<int>(std::ceil(x1)) + 1 - l), row.bottom() - top);
    }
    const int h = std::clamp(row.height() * 6 / 10, 6, 10);
    const int l = static_cast<int>(std::floor(x0 - kInstantHalfWidth));
    const int r = static_cast<int>(std::ceil(x1 + kInstantHalfWidth));
    return QRect(l, row.top() + 1, r - l, h);
}

void paint_instant(QPainter& p, const DrawMark& m, const QRect& row, int left, const QColor& fill) {
    // Whole pixels and no antialiasing: a zoomed-in view holds thousands of these, and a small
    // antialiased polygon costs several times a plain one.
    const QRect box = point_mark_rect(m, row, left);
    if (m.folded()) {
        p.fillRect(box, fill.darker(115));
        p.fillRect(box.adjusted(1, 1, -1, -1), fill);
        return;
    }
    const int x = left + static_cast<int>(std::lround(m.x0));
    const int half = static_cast<int>(kInstantHalfWidth);
    const QPoint tri[3] = {QPoint(x - half, box.top()), QPoint(x + half, box.top()), QPoint(x, box.bottom())};
    p.setPen(fill.darker(150));
    p.setBrush(fill);
    p.drawConvexPolygon(tri, 3);
}

void paint_sample(QPainter& p, const DrawMark& m, const QRect& row, int left, const QColor& fill) {
    const QRect box = point_mark_rect(m, row, left);
    if (m.folded()) {
        // Lighter than a single tick: a dense band must not read as a run slice.
        QColor band = fill;
        band.setAlpha(120);
        p.fillRect(box.adjusted(1, 0, -1, 0), band);
        return;
    }
    const int x = left + static_cast<int>(std::lround(m.x0));
    p.fillRect(QRect(x, box.top(), 1, box.height()), fill);
}

double counter_y(const QRect& row, float value) {
    const double usable = std::max(2, row.height() - 5);
    return row.bottom() - 1 - std::clamp(static_cast<double>(value), 0.0, 1.0) * usable;
}

CounterColors::CounterColors(const QColor& track)
    // Opaque: neighbouring steps share their boundary column exactly, where a translucent fill
    // would darken it into stripes.
    : area(QColor::fromRgbF(track.redF() * 0.45f + 0.55f, track.greenF() * 0.45f + 0.55f, track.blueF() * 0.45f + 0.55f)
               .rgb()),
      edge(track.darker(160).rgb()) {}

void paint_counter_step(QPainter& p, const DrawMark& m, const QRect& row, int left, const CounterColors& colors,
                        double previous_y) {
    // Whole pixels, so that neighbouring steps meet without a gap or an overlap.
    const int x0 = left + static_cast<int>(std::lround(m.x0));
    const int x1 = std::max(x0 + 1, left + static_cast<int>(std::lround(m.x1)));
    const QColor& area = colors.area;
    const QColor& edge = colors.edge;
    if (!std::isnan(m.value)) {
        const int y = static_cast<int>(std::lround(counter_y(row, m.value)));
        p.fillRect(QRect(x0, y, x1 - x0, row.bottom() - y), area);
        p.fillRect(QRect(x0, y, x1 - x0, 1), edge);
        if (!std::isnan(previous_y)) {
            const int py = static_cast<int>(std::lround(previous_y));
            p.fillRect(QRect(x0, std::min(y, py), 1, std::abs(y - py) + 1), edge);
        }
    }
    if (m.folded() && !std::isnan(m.value_lo) && !std::isnan(m.value_hi)) {
        const int top = static_cast<int>(std::lround(counter_y(row, m.value_hi)));
        const int bottom = static_cast<int>(std::lround(counter_y(row, m.value_lo)));
        p.fillRect(QRect(x0, top, 1, bottom - top + 1), edge);
    }
}

} // namespace weft::ui
