#include "model/model.h"

namespace weft {

uint64_t Diagnostics::total() const {
    uint64_t noted = 0;
    for (const auto& note : notes) noted += note.second;
    return noted + unfinished_tasks + unfinished_runs + unfinished_awaits + unfinished_async_spans +
           unfinished_thread_spans + orphan_run_ends + orphan_await_ends + orphan_async_span_ends +
           orphan_thread_span_ends + events_for_unknown_tasks + duplicate_task_ids + duplicate_span_ids +
           time_backwards + unknown_events + blocks_without_stream + dropped_events + damaged_records +
           unfinished_flows + orphan_flow_ends;
}

std::string Model::location_label(LocationId id) const {
    if (id.value == 0 || id.value >= locations.size()) return {};
    const Location& loc = locations[id.value];
    std::string label(string(loc.file));
    if (loc.line != 0) {
        // Appended in two steps: `":" + to_string()` trips a false -Wrestrict in GCC 12 at -O3.
        label += ':';
        label += std::to_string(loc.line);
    }
    return label;
}

namespace {
template <class T>
size_t bytes(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
}
} // namespace

size_t Model::memory_bytes() const {
    size_t total = sizeof(Model);
    for (const std::string& s : strings) total += sizeof(std::string) + (s.capacity() > 15 ? s.capacity() : 0);
    total += bytes(locations) + bytes(processes) + bytes(threads);
    for (const Thread& t : threads) total += bytes(t.span_depths) + t.name.capacity();
    total += bytes(runs.begin) + bytes(runs.end) + bytes(runs.task);
    total += bytes(thread_spans) + bytes(tasks) + bytes(task_children) + bytes(task_slices) +
             bytes(task_spans) + bytes(awaits) + bytes(async_spans) + bytes(blocking) + bytes(frames) +
             bytes(lag) + bytes(flows) + bytes(instants) + bytes(counters) + bytes(counter_samples.time) +
             bytes(counter_samples.value) + bytes(samples) + bytes(blocks);
    for (const auto& note : diagnostics.notes) total += sizeof(note) + note.first.capacity();
    return total;
}

} // namespace weft
