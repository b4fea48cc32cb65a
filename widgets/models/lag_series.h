#pragma once
// Event-loop lag samples of one thread in a time window, thinned for a chart: per pixel bucket only
// the lowest and the highest sample survive (in time order), so spikes are never lost and a chart
// gets at most ~2 points per pixel whatever the trace size.

#include "model/model.h"

#include <vector>

namespace weft::ui {

struct LagPoint {
    Time time = 0;
    Time lag = 0;
};

// Threads that have at least one lag sample, event-loop threads first.
std::vector<ThreadIndex> lagThreads(const Model& model);

// Samples of `thread` with time in [t0, t1], plus the nearest one outside on each side so a line
// reaches the window's edges; decimated to at most 2 * `buckets` (+2) points when there are more.
std::vector<LagPoint> decimatedLag(const Model& model, ThreadIndex thread, Time t0, Time t1, int buckets);

} // namespace weft::ui
