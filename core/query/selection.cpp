#include "query/selection.h"

#include "model/model.h"

#include <cstdint>

namespace weft {

TaskIndex owning_task(const Model& model, Selection s) {
    switch (s.kind) {
    case Selection::Kind::Task:
        return s.index < model.tasks.size() ? TaskIndex(s.index) : TaskIndex();
    case Selection::Kind::AwaitPoint:
        return s.index < model.awaits.size() ? model.awaits[s.index].task : TaskIndex();
    case Selection::Kind::RunSlice:
        return s.index < model.runs.size() ? model.runs.task[s.index] : TaskIndex();
    case Selection::Kind::AsyncSpan:
        return s.index < model.async_spans.size() ? model.async_spans[s.index].task : TaskIndex();
    case Selection::Kind::Blocking:
        return s.index < model.blocking.size() ? model.blocking[s.index].task : TaskIndex();
    default:
        return {};
    }
}

uint32_t counter_track_of(const Model& model, uint32_t sample) {
    for (uint32_t c = 0; c < model.counters.size(); ++c) {
        const Range r = model.counters[c].samples;
        if (sample >= r.first && sample < r.end()) return c;
    }
    return UINT32_MAX;
}

ThreadIndex thread_of_span(const Model& model, uint32_t span) {
    if (span >= model.thread_spans.size()) return {};
    const uint16_t depth = model.thread_spans[span].depth;
    for (uint32_t t = 0; t < model.threads.size(); ++t) {
        const auto& depths = model.threads[t].span_depths;
        if (depth < depths.size() && span >= depths[depth].first && span < depths[depth].end()) return ThreadIndex{t};
    }
    // A span whose depth field disagrees with its lane (damaged data): look at every lane.
    for (uint32_t t = 0; t < model.threads.size(); ++t)
        for (const Range& r : model.threads[t].span_depths)
            if (span >= r.first && span < r.end()) return ThreadIndex{t};
    return {};
}

} // namespace weft
