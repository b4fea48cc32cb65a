#pragma once
// What happened in a time range: what the ruler's range shows in Details, as Perfetto's area
// selection does. Every figure counts the part of an item inside [begin, end).

#include "analysis/loop_lag.h"
#include "model/model.h"

#include <vector>

namespace weft::analysis {

struct RangeThread {
    ThreadIndex thread;
    Time running = 0;    // run slices' time inside the range
    uint64_t slices = 0; // run slices that overlap it
};

struct RangeAwaits {
    StringId awaitable{0};
    LocationId location{0};
    uint64_t count = 0; // awaits that overlap the range
    Time total = 0;     // their time inside it
};

struct RangeSummary {
    Time begin = 0;
    Time end = 0;
    uint64_t tasks_alive = 0;     // alive at some point of the range
    uint64_t tasks_created = 0;   // created inside it
    uint64_t tasks_completed = 0; // completed inside it
    uint64_t tasks_failed = 0;    // of those, failed
    std::vector<RangeThread> threads;  // with any run time inside, most first
    std::vector<RangeAwaits> awaits;   // by awaitable and location, most time first
    uint64_t blocking = 0;             // blocking events that overlap the range
    Time blocking_time = 0;            // their time inside it
    LagStats lag;                      // samples inside it
};

RangeSummary range_summary(const Model& model, Time begin, Time end);

} // namespace weft::analysis
