#pragma once
// Tasks in flight over time (created and not yet completed), as a step series.

#include "model/model.h"

#include <vector>

namespace weft::analysis {

struct InFlightPoint {
    Time time = 0;
    uint32_t tasks = 0;   // tasks alive at `time`
    uint32_t running = 0; // tasks inside a run slice at `time`
};

// The maximum over each of `buckets` equal buckets of [t0, t1): cost O(tasks + slices), not O(buckets * n).
std::vector<InFlightPoint> tasks_in_flight(const Model& model, Time t0, Time t1, uint32_t buckets);

} // namespace weft::analysis
