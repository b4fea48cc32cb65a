#pragma once
// Await points aggregated per code location: where tasks spend their time waiting.

#include "model/model.h"

#include <vector>

namespace weft::analysis {

struct AwaitLocationStats {
    LocationId location{0};
    StringId awaitable{0};   // the most frequent awaitable at this location
    uint64_t count = 0;
    Time total = 0;
    Time mean = 0;
    Time p50 = 0;
    Time p95 = 0;
    Time p99 = 0;
    Time max = 0;
    std::vector<uint32_t> instances; // indices into Model::awaits, longest first
};

// Await points whose duration is >= min_duration, grouped by location, sorted by total descending.
// Unfinished awaits count with their duration up to the end of the trace.
std::vector<AwaitLocationStats> await_stats_by_location(const Model& model, Time min_duration = 0);

} // namespace weft::analysis
