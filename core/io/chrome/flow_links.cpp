#include "io/chrome/flow_links.h"

#include <algorithm>

namespace weft::chrome {

namespace {

class Linker {
public:
    Linker(const std::vector<ThreadSlices>& slices, std::vector<AsyncSlice>& async, ImportState& st)
        : m_slices(slices), m_async(async), m_st(st) {}

    void v1(std::span<const Member> members, std::vector<FlowLink>& out);
    void v2(std::vector<FlowLink>& out);
    void parent_tasks(const std::vector<FlowLink>& links);

private:
    const RawEvent& event(uint32_t thread, uint32_t index) const { return m_st.threads[thread].events[index]; }

    FlowPoint at_slice(uint32_t thread, uint32_t k, Nanos time) const {
        const Slice& s = m_slices[thread].slices()[k];
        FlowPoint p;
        p.thread = thread;
        p.lane = s.lane;
        p.time = time;
        p.depth = s.depth;
        return p;
    }
    FlowPoint loose(uint32_t thread, Nanos time) {
        m_st.note("flow points outside any slice: kept at their time on their thread");
        FlowPoint p;
        p.thread = thread;
        p.time = time;
        return p;
    }
    FlowPoint around(uint32_t thread, Nanos t) {
        const uint32_t k = m_slices[thread].enclosing(t);
        return k != ~0u ? at_slice(thread, k, t) : loose(thread, t);
    }
    FlowPoint next(uint32_t thread, Nanos t, uint32_t seq) {
        const auto& events = m_st.threads[thread].events;
        const uint32_t k = m_slices[thread].next_beginning(t, seq, {events.data(), events.size()});
        return k != ~0u ? at_slice(thread, k, m_slices[thread].slices()[k].begin) : loose(thread, t);
    }
    Nanos ending(Nanos end) const { return end == kOpenEnd ? m_st.max_ts : end; }

    // The task (top-level async slice) with a slice open on `thread` at `t`, begun last; ~0.
    uint32_t task_at(uint32_t thread, Nanos t) const;

    const std::vector<ThreadSlices>& m_slices;
    std::vector<AsyncSlice>& m_async;
    ImportState& m_st;
    struct Open {
        uint32_t thread;
        Nanos begin, end;
        uint32_t root;
        bool operator<(const Open& o) const { return thread != o.thread ? thread < o.thread : begin < o.begin; }
    };
    std::vector<Open> m_by_thread; // every async slice by (begin thread, begin)
};

void Linker::v1(std::span<const Member> members, std::vector<FlowLink>& out) {
    if (members.empty()) return;
    const RawEvent& first = event(members.front().thread, members.front().event);
    FlowLink link;
    link.name = first.name;
    link.cat = first.cat;
    bool open = false;
    for (const Member& m : members) {
        const RawEvent& e = event(m.thread, m.event);
        if (e.ph == 's') {
            if (open) out.push_back(link); // a start that never ended, replaced
            link.from = around(m.thread, e.ts);
            link.to = FlowPoint{};
            open = true;
            continue;
        }
        const bool enclosing = e.ph == 't' || (e.flags & kBindEnclosing) != 0;
        const FlowPoint point = enclosing ? around(m.thread, e.ts) : next(m.thread, e.ts, e.seq);
        if (!open) link.from = FlowPoint{}; // an end without a start: counted by the model
        link.to = point;
        out.push_back(link);
        open = e.ph == 't';
        if (open) link.from = point; // a step continues the flow from here
    }
    if (open) {
        link.to = FlowPoint{};
        out.push_back(link);
    }
}

void Linker::v2(std::vector<FlowLink>& out) {
    struct Bound {
        uint32_t group;
        Nanos ts;
        uint32_t seq;
        uint32_t thread;
        uint32_t index;     // the event (thread slice) or the async slice
        bool async;
        uint8_t flags;
    };
    std::vector<Bound> bound;
    for (uint32_t t = 0; t < m_st.threads.size(); ++t) {
        const auto& events = m_st.threads[t].events;
        for (uint32_t i = 0; i < events.size(); ++i) {
            const RawEvent& e = events[i];
            if ((e.ph == 'B' || e.ph == 'X') && e.ref != 0) bound.push_back({e.ref, e.ts, e.seq, t, i, false, e.flags});
        }
    }
    if (!m_st.async_binds.empty()) {
        for (uint32_t a = 0; a < m_async.size(); ++a) {
            const AsyncSlice& s = m_async[a];
            if (s.begin_event == ~0u) continue;
            const RawEvent& e = event(s.begin_thread, s.begin_event);
            const auto it = std::lower_bound(m_st.async_binds.begin(), m_st.async_binds.end(), std::pair(e.seq, 0u));
            if (it != m_st.async_binds.end() && it->first == e.seq)
                bound.push_back({it->second, e.ts, e.seq, s.begin_thread, a, true, e.flags});
        }
    }
    std::sort(bound.begin(), bound.end(), [](const Bound& a, const Bound& b) {
        if (a.group != b.group) return a.group < b.group;
        return a.ts != b.ts ? a.ts < b.ts : a.seq < b.seq;
    });
    for (size_t k = 0; k < bound.size();) {
        const uint32_t group = bound[k].group;
        FlowLink link;
        bool has_out = false, used = false;
        for (; k < bound.size() && bound[k].group == group; ++k) {
            const Bound& b = bound[k];
            FlowPoint in, outp;
            uint32_t name = 0, cat = 0;
            if (b.async) {
                const AsyncSlice& s = m_async[b.index];
                in.thread = s.begin_thread;
                in.time = s.begin;
                in.async_slice = b.index;
                outp.thread = s.end_thread;
                outp.time = ending(s.end);
                outp.async_slice = b.index;
                name = s.name;
                cat = s.cat;
            } else {
                const uint32_t slice = m_slices[b.thread].of_event(b.index);
                if (slice == ~0u) continue;
                const Slice& s = m_slices[b.thread].slices()[slice];
                in = at_slice(b.thread, slice, s.begin);
                outp = at_slice(b.thread, slice, ending(s.end));
                const RawEvent& e = event(b.thread, b.index);
                name = e.name;
                cat = e.cat;
            }
            if (b.flags & kFlowIn) {
                if (!has_out) {
                    link.from = FlowPoint{};
                    link.name = name;
                    link.cat = cat;
                }
                link.to = in;
                out.push_back(link);
                used = true;
            }
            if (b.flags & kFlowOut) {
                if (has_out && !used) {
                    link.to = FlowPoint{};
                    out.push_back(link); // a start nobody took up, replaced
                }
                link.from = outp;
                link.name = name;
                link.cat = cat;
                has_out = true;
                used = false;
            }
        }
        if (has_out && !used) {
            link.to = FlowPoint{};
            out.push_back(link);
        }
    }
}

uint32_t Linker::task_at(uint32_t thread, Nanos t) const {
    auto it = std::upper_bound(m_by_thread.begin(), m_by_thread.end(), Open{thread, t, 0, 0});
    // Slices of one thread are not nested: look back a bounded way for one still open at t.
    for (int steps = 0; steps < 64 && it != m_by_thread.begin(); ++steps) {
        --it;
        if (it->thread != thread) break;
        if (it->end >= t) return it->root;
    }
    return ~0u;
}

void Linker::parent_tasks(const std::vector<FlowLink>& links) {
    m_by_thread.reserve(m_async.size());
    std::vector<Open> roots;
    for (uint32_t a = 0; a < m_async.size(); ++a) {
        const AsyncSlice& s = m_async[a];
        m_by_thread.push_back(Open{s.begin_thread, s.begin, s.end, s.root});
        if (s.parent == ~0u) roots.push_back(Open{s.begin_thread, s.begin, s.end, a});
    }
    std::sort(m_by_thread.begin(), m_by_thread.end());
    std::sort(roots.begin(), roots.end());
    auto task_starting = [&](const FlowPoint& p) -> uint32_t {
        if (p.async_slice != ~0u) {
            const AsyncSlice& s = m_async[p.async_slice];
            return s.parent == ~0u && p.time == s.begin ? p.async_slice : ~0u;
        }
        const auto it = std::lower_bound(roots.begin(), roots.end(), Open{p.thread, p.time, 0, 0});
        return it != roots.end() && it->thread == p.thread && it->begin == p.time ? it->root : ~0u;
    };
    for (const FlowLink& link : links) {
        if (!link.from.valid() || !link.to.valid()) continue;
        const uint32_t child = task_starting(link.to);
        if (child == ~0u || m_async[child].parent_task != ~0u) continue;
        const uint32_t parent = link.from.async_slice != ~0u ? m_async[link.from.async_slice].root
                                                             : task_at(link.from.thread, link.from.time);
        if (parent == ~0u || parent == child) continue;
        // Never close a cycle: the child must not be an ancestor of its new parent.
        uint32_t up = parent;
        for (int guard = 0; up != ~0u && up != child && guard < 100000; ++guard) up = m_async[up].parent_task;
        if (up == child) continue;
        m_async[child].parent_task = parent;
    }
}

} // namespace

std::vector<FlowLink> build_flow_links(const GroupMembers& members, const std::vector<ThreadSlices>& slices,
                                       std::vector<AsyncSlice>& async, ImportState& st) {
    std::vector<FlowLink> links;
    Linker linker(slices, async, st);
    for (uint32_t g = 1; g < members.groups(); ++g)
        if (st.groups[g - 1].kind == GroupKind::Flow) linker.v1(members.of(g), links);
    linker.v2(links);
    if (!async.empty()) linker.parent_tasks(links);
    return links;
}

} // namespace weft::chrome
