#pragma once
// Tick positions for the time axis: a 1-2-5 step chosen so labels are at least `min_spacing_px`
// apart, aligned to multiples of the step so they don't jitter while panning.

#include "query/view_mapping.h"

#include <vector>

namespace weft {

struct AxisTicks {
    Time step = 1;          // between major ticks, ns
    std::vector<Time> major; // labelled
    std::vector<Time> minor; // 5 per major step (or 2 for a 2-step), unlabelled
};

AxisTicks axis_ticks(const ViewMapping& view, double min_spacing_px = 90);

} // namespace weft
