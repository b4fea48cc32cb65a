#include "timeline/time_axis.h"

#include "query/time_format.h"
#include "timeline/timeline_colors.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace weft::ui {

namespace {
QString qs(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
constexpr qsizetype kLongLabel = 12;
} // namespace

QString tick_label(const ViewMapping& view, const AxisTicks& ticks, size_t i) {
    if (i >= ticks.major.size()) return {};
    const Time first = ticks.major.front();
    const QString absolute_first = qs(format_timestamp(first, view.span()));
    if (absolute_first.size() <= kLongLabel) return qs(format_timestamp(ticks.major[i], view.span()));
    if (i == 0) return absolute_first;
    return QStringLiteral("+") + qs(format_duration(ticks.major[i] - first));
}

void paint_time_axis(QPainter& p, const QRect& rect, const ViewMapping& view, const AxisTicks& ticks,
                     Time hover_time) {
    const TimelinePalette& pal = timeline_palette();
    p.fillRect(rect, pal.axis_background);
    p.setPen(pal.axis_text);
    const QFontMetrics fm = p.fontMetrics();
    const int base = rect.bottom();
    p.setPen(pal.axis_text.lighter(160));
    for (Time t : ticks.minor) {
        const int x = rect.left() + static_cast<int>(std::lround(view.x_of(t)));
        p.drawLine(x, base - 3, x, base);
    }
    p.setPen(pal.axis_text);
    for (size_t i = 0; i < ticks.major.size(); ++i) {
        const int x = rect.left() + static_cast<int>(std::lround(view.x_of(ticks.major[i])));
        p.drawLine(x, base - 8, x, base);
        const QString label = tick_label(view, ticks, i);
        p.drawText(x + 3, rect.top() + fm.ascent() + 2, label);
    }
    if (hover_time != kNoTime) {
        const double x = view.x_of(hover_time);
        if (x >= 0 && x <= view.width) {
            const QString label = qs(format_timestamp(hover_time, view.span()));
            const int w = fm.horizontalAdvance(label) + 8;
            const int left = std::clamp(rect.left() + static_cast<int>(x) - w / 2, rect.left(), rect.right() - w);
            const QRect box(left, rect.bottom() - fm.height() - 1, w, fm.height());
            p.fillRect(box, pal.hover_line);
            p.setPen(Qt::white);
            p.drawText(box, Qt::AlignCenter, label);
        }
    }
    p.setPen(pal.row_separator);
    p.drawLine(rect.left(), base, rect.right(), base);
}

void paint_time_grid(QPainter& p, const QRect& rect, const ViewMapping& view, const AxisTicks& ticks) {
    p.setPen(timeline_palette().grid);
    for (Time t : ticks.major) {
        const int x = rect.left() + static_cast<int>(std::lround(view.x_of(t)));
        p.drawLine(x, rect.top(), x, rect.bottom());
    }
}

void paint_ruler(QPainter& p, const QRect& axis, const QRect& lanes, const ViewMapping& view, Time begin,
                 Time end) {
    if (begin == kNoTime || end == kNoTime) return;
    if (end < begin) std::swap(begin, end);
    const TimelinePalette& pal = timeline_palette();
    const double x0 = std::clamp(view.x_of(begin), -2.0, view.width + 2);
    const double x1 = std::clamp(view.x_of(end), -2.0, view.width + 2);
    const int left = lanes.left() + static_cast<int>(std::floor(x0));
    const int right = lanes.left() + static_cast<int>(std::ceil(x1));
    p.fillRect(QRect(QPoint(left, lanes.top()), QPoint(std::max(left, right), lanes.bottom())), pal.ruler_fill);
    p.setPen(pal.ruler_edge);
    p.drawLine(left, axis.top(), left, lanes.bottom());
    p.drawLine(right, axis.top(), right, lanes.bottom());
    const QString label = QStringLiteral("\u2194 ") + qs(format_duration(end - begin));
    const QFontMetrics fm = p.fontMetrics();
    const int w = fm.horizontalAdvance(label) + 10;
    const int centre = (left + right) / 2;
    const QRect box(std::clamp(centre - w / 2, axis.left(), std::max(axis.left(), axis.right() - w)),
                    axis.top() + 1, w, fm.height() + 2);
    p.fillRect(box, pal.ruler_edge);
    p.setPen(Qt::white);
    p.drawText(box, Qt::AlignCenter, label);
}

} // namespace weft::ui
