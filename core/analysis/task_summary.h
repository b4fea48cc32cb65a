#pragma once
// Whole-trace task counts: by outcome, depth, and the busiest tasks.

#include "model/model.h"

#include <vector>

namespace weft::analysis {

struct TaskCounts {
    uint64_t total = 0;
    uint64_t ok = 0;
    uint64_t cancelled = 0;
    uint64_t error = 0;
    uint64_t unfinished = 0;
    uint32_t max_depth = 0;
    uint64_t migrated = 0; // ran on more than one thread
};

TaskCounts count_tasks(const Model& model);

// Tasks sorted by busy time, descending, at most `limit`.
std::vector<TaskIndex> busiest_tasks(const Model& model, size_t limit);

} // namespace weft::analysis
