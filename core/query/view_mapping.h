#pragma once
// The horizontal mapping of the timeline: a visible time range spread over a width in pixels.
// A plain value: the widget owns one, the LOD query and the hit test take it by value.

#include "model/ids.h"

namespace weft {

struct ViewMapping {
    Time begin = 0;    // time at x = 0
    Time end = 1;      // time at x = width; always > begin once normalised
    double width = 1;  // pixels, > 0

    Time span() const { return end > begin ? end - begin : 1; }
    double ns_per_px() const { return static_cast<double>(span()) / (width > 0 ? width : 1); }
    double px_per_ns() const { return 1.0 / ns_per_px(); }

    // Subtraction in double: times far outside the view (kNoTime, damaged clocks) must not overflow.
    double x_of(Time t) const {
        return (static_cast<double>(t) - static_cast<double>(begin)) * px_per_ns();
    }
    double x_of(double t) const { return (t - static_cast<double>(begin)) * px_per_ns(); }
    // The time at pixel x, rounded to the nearest nanosecond and saturated to the Time range.
    Time time_at(double x) const;
    double duration_px(Time d) const { return static_cast<double>(d) * px_per_ns(); }
};

} // namespace weft
