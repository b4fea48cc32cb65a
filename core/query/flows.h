#pragma once
// Flows (causal links between two points of the trace, drawn as arrows) as the viewer asks about
// them: what an end is bound to, which flows touch a selected item, and which have an end in a
// time window. Model::flows is sorted by start only; FlowIndex adds the order by end.

#include "model/model.h"
#include "query/selection.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace weft {

// The thread span an end is bound to (the span at its depth on its thread, open at its time), or -1.
int64_t thread_span_of(const Model& model, const FlowEnd& end);

// What an end is bound to, as a selection: its async span, else its thread span, else nothing.
Selection flow_end_target(const Model& model, const FlowEnd& end);

// Whether a flow end is on the selected item (see flows_of()).
bool flow_end_touches(const Model& model, const FlowEnd& end, Selection selection);

// The flows with an end on the selected item, in and out: on a thread span, on an async span, on
// any async span of a task, at an instant (same thread, same time), or the selected flow itself.
// Indices into Model::flows, ascending, at most `limit`. A scan of all flows: for a selection, not
// for every frame.
std::vector<uint32_t> flows_of(const Model& model, Selection selection, size_t limit = 256);

class FlowIndex {
public:
    void build(const Model& model);
    void clear();
    bool covers(const Model& model) const { return m_by_end.size() == model.flows.size(); }

    // Calls visit(flow index) for the flows with their start or end in [t0, t1], each once: those
    // starting there by start time, then those only ending there by end time. With more than
    // `max_visits` candidates, visits every k-th of each order instead, so a long window is
    // sampled evenly rather than cut at its left part. visit returns false to stop.
    template <class Visit>
    void visit_window(const Model& model, Time t0, Time t1, size_t max_visits, Visit&& visit) const;

private:
    std::vector<uint32_t> m_by_end; // flow indices by to.time
    std::vector<Time> m_end_time;   // to.time in that order
};

namespace detail {
inline std::pair<size_t, size_t> flow_starts_in(const Model& model, Time t0, Time t1) {
    const auto first = std::partition_point(model.flows.begin(), model.flows.end(),
                                            [&](const Flow& f) { return f.from.time < t0; });
    const auto last = std::partition_point(first, model.flows.end(), [&](const Flow& f) { return f.from.time <= t1; });
    return {static_cast<size_t>(first - model.flows.begin()), static_cast<size_t>(last - model.flows.begin())};
}
} // namespace detail

template <class Visit>
void FlowIndex::visit_window(const Model& model, Time t0, Time t1, size_t max_visits, Visit&& visit) const {
    if (t1 < t0) return;
    const auto [s0, s1] = detail::flow_starts_in(model, t0, t1);
    const size_t e0 = static_cast<size_t>(std::lower_bound(m_end_time.begin(), m_end_time.end(), t0) - m_end_time.begin());
    const size_t e1 = static_cast<size_t>(std::upper_bound(m_end_time.begin(), m_end_time.end(), t1) - m_end_time.begin());
    const size_t total = (s1 - s0) + (e1 - e0);
    const size_t stride = max_visits == 0 || total <= max_visits ? 1 : (total + max_visits - 1) / max_visits;
    for (size_t i = s0; i < s1; i += stride)
        if (!visit(static_cast<uint32_t>(i))) return;
    for (size_t k = e0; k < e1; k += stride) {
        const uint32_t f = m_by_end[k];
        if (f >= model.flows.size()) continue;
        const Time from = model.flows[f].from.time;
        if (from >= t0 && from <= t1) continue; // visited with the starts
        if (!visit(f)) return;
    }
}

} // namespace weft
