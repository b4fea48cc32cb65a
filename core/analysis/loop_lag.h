#pragma once
// Event-loop lag statistics over the whole trace or a time window.

#include "model/model.h"

namespace weft::analysis {

struct LagStats {
    uint64_t samples = 0;
    double avg_ms = 0;
    double max_ms = 0;
    double p99_ms = 0;
};

// Samples with time in [t0, t1] (all of them by default), optionally of one thread only.
LagStats lag_stats(const Model& model, Time t0 = kNoTime, Time t1 = kNoTime, ThreadIndex thread = {});

} // namespace weft::analysis
