// Finishing pass for flows: each flow id's Out is paired with its In, in time order, and each end
// is bound to what it names: a thread span by depth (looked up when needed, lanes::span_at_depth)
// or an async span by id, found here among the spans of its process begun by then.

#include "model/builder_state.h"

#include <algorithm>

namespace weft::detail {

namespace {

// (process, span_id) -> model async span, for the spans a flow end names.
class AsyncSpanLookup {
public:
    explicit AsyncSpanLookup(const Model& m) {
        m_keys.reserve(m.async_spans.size());
        for (uint32_t k = 0; k < m.async_spans.size(); ++k) {
            const AsyncSpan& s = m.async_spans[k];
            m_keys.push_back(Key{s.process.value, s.span_id, s.begin, k});
        }
        std::sort(m_keys.begin(), m_keys.end());
    }

    // The span with that id in that process begun last at or before `time` (ids may be reused),
    // else the first one begun after it; invalid if the process has no such id.
    AsyncSpanIndex find(uint32_t process, uint64_t span_id, Time time) const {
        const auto lo = std::lower_bound(m_keys.begin(), m_keys.end(), Key{process, span_id, kNoTime, 0});
        auto hi = std::upper_bound(lo, m_keys.end(), Key{process, span_id, time, kNone});
        if (hi == lo) {
            if (lo == m_keys.end() || lo->process != process || lo->span_id != span_id) return {};
            return AsyncSpanIndex{lo->index};
        }
        return AsyncSpanIndex{(hi - 1)->index};
    }

private:
    struct Key {
        uint32_t process;
        uint64_t span_id;
        Time begin;
        uint32_t index;
        auto operator<=>(const Key&) const = default;
    };
    std::vector<Key> m_keys;
};

} // namespace

void build_flows(BuilderState& st, Canonical& c) {
    Model& m = st.model;
    std::vector<RawFlowPoint>& points = st.flow_points;
    if (points.empty()) return;
    for (RawFlowPoint& p : points) {
        p.stream = c.stream_new[p.stream];
        p.process = c.process_new[p.process];
    }
    // By id, then time; at equal times an Out before an In, so an instantaneous flow pairs.
    std::stable_sort(points.begin(), points.end(), [](const RawFlowPoint& a, const RawFlowPoint& b) {
        if (a.flow_id != b.flow_id) return a.flow_id < b.flow_id;
        if (a.time != b.time) return a.time < b.time;
        return a.phase < b.phase;
    });
    const AsyncSpanLookup spans(m);
    auto end_of = [&](const RawFlowPoint& p) {
        FlowEnd e;
        e.time = p.time;
        e.thread = ThreadIndex{p.stream};
        e.depth = p.depth;
        if (p.span_id != 0) e.async_span = spans.find(p.process, p.span_id, p.time);
        return e;
    };
    Diagnostics& diag = m.diagnostics;
    for (size_t k = 0; k < points.size();) {
        const uint64_t id = points[k].flow_id;
        const RawFlowPoint* open = nullptr;
        for (; k < points.size() && points[k].flow_id == id; ++k) {
            const RawFlowPoint& p = points[k];
            if (p.phase == FlowPhase::Out) {
                if (open) ++diag.unfinished_flows; // a second start: the first one never ended
                open = &p;
                continue;
            }
            if (!open) {
                ++diag.orphan_flow_ends;
                continue;
            }
            Flow flow;
            flow.from = end_of(*open);
            flow.to = end_of(p);
            flow.location = open->location.value != 0 ? open->location : p.location;
            flow.flow_id = id;
            m.flows.push_back(flow);
            open = nullptr;
        }
        if (open) ++diag.unfinished_flows;
    }
    std::stable_sort(m.flows.begin(), m.flows.end(),
                     [](const Flow& a, const Flow& b) { return a.from.time < b.from.time; });
    std::vector<RawFlowPoint>().swap(points);
}

} // namespace weft::detail
