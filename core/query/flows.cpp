#include "query/flows.h"

#include "model/lane.h"
#include "query/lanes.h"

#include <numeric>
#include <span>

namespace weft {

int64_t thread_span_of(const Model& model, const FlowEnd& end) {
    if (!end.on_thread_span() || end.thread.value >= model.threads.size()) return -1;
    const Thread& thread = model.threads[end.thread.value];
    if (end.depth >= thread.span_depths.size()) return -1;
    const Range r = lanes::clamp_range(thread.span_depths[end.depth], model.thread_spans.size());
    const std::span<const ThreadSpan> lane = std::span(model.thread_spans).subspan(r.first, r.count);
    const int64_t p = lane_index_at(lane, end.time);
    return p < 0 ? -1 : static_cast<int64_t>(r.first) + p;
}

Selection flow_end_target(const Model& model, const FlowEnd& end) {
    if (end.async_span.valid() && end.async_span.value < model.async_spans.size())
        return {Selection::Kind::AsyncSpan, end.async_span.value};
    const int64_t span = thread_span_of(model, end);
    if (span >= 0) return {Selection::Kind::ThreadSpan, static_cast<uint32_t>(span)};
    return {};
}

bool flow_end_touches(const Model& model, const FlowEnd& e, Selection s) {
    using K = Selection::Kind;
    switch (s.kind) {
    case K::ThreadSpan: {
        if (s.index >= model.thread_spans.size() || e.async_span.valid()) return false;
        const ThreadSpan& span = model.thread_spans[s.index];
        // Cheap tests first; the binary search settles which of two touching spans owns the end.
        return e.depth == span.depth && e.time >= span.begin && e.time <= span.end &&
               thread_span_of(model, e) == static_cast<int64_t>(s.index);
    }
    case K::AsyncSpan: return e.async_span.valid() && e.async_span.value == s.index;
    case K::Task:
        return e.async_span.valid() && e.async_span.value < model.async_spans.size() &&
               model.async_spans[e.async_span.value].task.value == s.index;
    case K::Instant:
        return s.index < model.instants.size() && e.thread == model.instants[s.index].thread &&
               e.time == model.instants[s.index].time;
    default: return false;
    }
}

std::vector<uint32_t> flows_of(const Model& model, Selection s, size_t limit) {
    std::vector<uint32_t> out;
    if (s.kind == Selection::Kind::Flow) {
        if (s.index < model.flows.size()) out.push_back(s.index);
        return out;
    }
    using K = Selection::Kind;
    const bool can_have_flows = s.kind == K::ThreadSpan || s.kind == K::AsyncSpan || s.kind == K::Instant ||
                                (s.kind == K::Task && s.index < model.tasks.size() && !model.tasks[s.index].spans.empty());
    if (!can_have_flows) return out;
    for (uint32_t f = 0; f < model.flows.size() && out.size() < limit; ++f)
        if (flow_end_touches(model, model.flows[f].from, s) || flow_end_touches(model, model.flows[f].to, s))
            out.push_back(f);
    return out;
}

void FlowIndex::clear() {
    m_by_end.clear();
    m_end_time.clear();
}

void FlowIndex::build(const Model& model) {
    m_by_end.resize(model.flows.size());
    std::iota(m_by_end.begin(), m_by_end.end(), 0u);
    std::stable_sort(m_by_end.begin(), m_by_end.end(),
                     [&](uint32_t a, uint32_t b) { return model.flows[a].to.time < model.flows[b].to.time; });
    m_end_time.resize(m_by_end.size());
    for (size_t k = 0; k < m_by_end.size(); ++k) m_end_time[k] = model.flows[m_by_end[k]].to.time;
}

} // namespace weft
