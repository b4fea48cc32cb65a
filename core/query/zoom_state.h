#pragma once
// Zoom and pan of the timeline as a value: the trace bounds, the visible range and the width.
// Every change keeps the range inside the (padded) trace bounds and no narrower than the minimum
// span, so the widget can apply user input blindly.

#include "query/view_mapping.h"

namespace weft {

class ZoomState {
public:
    // Deepest zoom: this many nanoseconds per pixel (1 ns per 10 px).
    static constexpr double kMinNsPerPx = 0.1;

    // Sets the trace bounds [begin, end]; a margin of 2% is added on both sides so the first and
    // last events don't sit on the edge. Fits all.
    void set_bounds(Time begin, Time end);
    void set_width(double px);
    // Sets the visible range, clamped. Returns true if it changed.
    bool set_range(Time begin, Time end);
    bool fit_all();
    // factor > 1 zooms in, < 1 zooms out; the time under anchor_x stays under anchor_x.
    bool zoom(double factor, double anchor_x);
    // Positive dx moves the content right (shows earlier times), like dragging it.
    bool pan_px(double dx);
    // Makes [begin, end] visible with `margin` (fraction of the span) around it, zooming out if needed.
    bool reveal(Time begin, Time end, double margin = 0.1);

    Time begin() const { return m_begin; }
    Time end() const { return m_end; }
    Time bounds_begin() const { return m_bounds_begin; }
    Time bounds_end() const { return m_bounds_end; }
    double width() const { return m_width; }
    Time min_span() const;
    ViewMapping mapping() const { return ViewMapping{m_begin, m_end, m_width}; }

private:
    void clamp();

    Time m_bounds_begin = 0;
    Time m_bounds_end = 1000;
    Time m_begin = 0;
    Time m_end = 1000;
    double m_width = 1000;
};

} // namespace weft
