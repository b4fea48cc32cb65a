#include "query/zoom_state.h"

#include <algorithm>
#include <cmath>

namespace weft {

namespace {
// Keeps bounds well inside int64 so that spans and sums never overflow, whatever a file says.
constexpr Time kTimeLimit = Time{1} << 61;
Time clamp_time(Time t) { return std::clamp(t, -kTimeLimit, kTimeLimit); }
} // namespace

void ZoomState::set_bounds(Time begin, Time end) {
    begin = clamp_time(begin);
    end = clamp_time(end);
    if (end < begin) std::swap(begin, end);
    const Time span = std::max<Time>(end - begin, 1);
    const Time margin = std::max<Time>(span / 50, 1);
    m_bounds_begin = begin - margin;
    m_bounds_end = end + margin;
    fit_all();
}

void ZoomState::set_width(double px) {
    m_width = px > 1 ? px : 1;
    clamp();
}

Time ZoomState::min_span() const {
    return std::max<Time>(static_cast<Time>(std::ceil(m_width * kMinNsPerPx)), 1);
}

void ZoomState::clamp() {
    const Time bounds_span = m_bounds_end - m_bounds_begin;
    Time span = m_end - m_begin;
    span = std::max(span, min_span());
    span = std::min(span, std::max(bounds_span, min_span()));
    if (bounds_span < span) {
        // The whole trace is narrower than the deepest zoom: centre it.
        m_begin = m_bounds_begin - (span - bounds_span) / 2;
        m_end = m_begin + span;
        return;
    }
    Time b = std::clamp(m_begin, m_bounds_begin, m_bounds_end - span);
    m_begin = b;
    m_end = b + span;
}

bool ZoomState::set_range(Time begin, Time end) {
    const Time old_b = m_begin, old_e = m_end;
    begin = clamp_time(begin);
    end = clamp_time(end);
    if (end < begin) std::swap(begin, end);
    const Time span = end - begin;
    const Time min = min_span();
    if (span < min) {
        // Widen around the centre rather than drifting to the right.
        const Time centre = begin + span / 2;
        begin = centre - min / 2;
        end = begin + min;
    }
    m_begin = begin;
    m_end = end;
    clamp();
    return old_b != m_begin || old_e != m_end;
}

bool ZoomState::fit_all() { return set_range(m_bounds_begin, m_bounds_end); }

bool ZoomState::zoom(double factor, double anchor_x) {
    if (!(factor > 0) || !std::isfinite(factor)) return false;
    const ViewMapping m = mapping();
    anchor_x = std::clamp(anchor_x, 0.0, m_width);
    const double anchor_t = static_cast<double>(m_begin) + anchor_x * m.ns_per_px();
    double new_span = static_cast<double>(m.span()) / factor;
    new_span = std::clamp(new_span, static_cast<double>(min_span()),
                          static_cast<double>(std::max(m_bounds_end - m_bounds_begin, min_span())));
    const double new_begin = anchor_t - anchor_x / m_width * new_span;
    return set_range(static_cast<Time>(std::llround(new_begin)),
                     static_cast<Time>(std::llround(new_begin + new_span)));
}

bool ZoomState::pan_px(double dx) {
    const double dt = -dx * mapping().ns_per_px();
    const Time shift = static_cast<Time>(std::llround(std::clamp(dt, -4e18, 4e18)));
    const Time span = m_end - m_begin;
    const Time b = clamp_time(m_begin + std::clamp(shift, -kTimeLimit, kTimeLimit));
    return set_range(b, b + span);
}

bool ZoomState::reveal(Time begin, Time end, double margin) {
    begin = clamp_time(begin);
    end = clamp_time(end);
    if (end < begin) std::swap(begin, end);
    const Time span = m_end - m_begin;
    if (begin >= m_begin && end <= m_end) return false;
    const Time item = end - begin;
    if (item <= span) {
        // Fits at the current zoom: pan only, centring it.
        const Time b = begin + item / 2 - span / 2;
        return set_range(b, b + span);
    }
    const Time pad = static_cast<Time>(static_cast<double>(item) * margin);
    return set_range(begin - pad, end + pad);
}

} // namespace weft
