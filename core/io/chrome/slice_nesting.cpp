#include "io/chrome/slice_nesting.h"

#include <algorithm>

namespace weft::chrome {

namespace {

std::string_view trim(std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\n' || t.front() == '\t' || t.front() == '\r'))
        t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\t' || t.back() == '\r'))
        t.remove_suffix(1);
    return t;
}

// The arguments of a B with those of its E added, as catapult shows them: one object.
uint32_t merge_args(ImportState& st, uint32_t begin_args, uint32_t end_args) {
    if (begin_args == 0) return end_args;
    if (end_args == 0 || end_args == begin_args) return begin_args;
    const std::string_view a = trim(st.strings.get(begin_args));
    const std::string_view b = trim(st.strings.get(end_args));
    if (a.size() < 2 || b.size() < 2 || a.front() != '{' || a.back() != '}' || b.front() != '{' || b.back() != '}')
        return begin_args;
    std::string merged(a.substr(0, a.size() - 1));
    merged += ',';
    merged += b.substr(1);
    return st.strings.intern(merged);
}

} // namespace

void ThreadSlices::build(std::span<const RawEvent> events, ImportState& st) {
    m_slices.clear();
    m_lane_first.clear();
    m_by_event.clear();
    m_lanes = 0;
    m_built = true;

    // Pair B with E.
    size_t count = 0;
    bool bound = false; // any slice named by a v2 flow (of_event() will be asked)
    for (const RawEvent& e : events) {
        const bool slice = e.ph == 'B' || e.ph == 'X';
        count += slice;
        bound = bound || (slice && e.ref != 0);
    }
    m_slices.reserve(count);
    std::vector<uint32_t> open;
    for (uint32_t i = 0; i < events.size(); ++i) {
        const RawEvent& e = events[i];
        if (e.ph == 'B') {
            open.push_back(static_cast<uint32_t>(m_slices.size()));
            m_slices.push_back(Slice{e.ts, kOpenEnd, i, e.args});
        } else if (e.ph == 'X') {
            m_slices.push_back(Slice{e.ts, e.ts + e.dur, i, e.args});
        } else if (e.ph == 'E') {
            size_t k = open.size();
            while (k-- > 0) {
                const RawEvent& b = events[m_slices[open[k]].event];
                if ((e.name == 0 || b.name == e.name) && (e.cat == 0 || b.cat == e.cat)) break;
            }
            if (k == static_cast<size_t>(-1)) {
                st.note("end events (E) that close no open B: ignored");
                continue;
            }
            Slice& s = m_slices[open[k]];
            s.end = std::max(e.ts, s.begin);
            s.args = merge_args(st, s.args, e.args);
            open.erase(open.begin() + static_cast<std::ptrdiff_t>(k));
        }
    }
    if (m_slices.empty()) return;

    // Nest: by begin, longer first, then file order.
    auto opens_first = [&](const Slice& a, const Slice& b) {
        if (a.begin != b.begin) return a.begin < b.begin;
        if (a.end != b.end) return a.end > b.end;
        return events[a.event].seq < events[b.event].seq;
    };
    if (!std::is_sorted(m_slices.begin(), m_slices.end(), opens_first))
        std::sort(m_slices.begin(), m_slices.end(), opens_first);
    std::vector<std::vector<uint32_t>> stacks(kMaxOverlapLanes + 1);
    uint64_t spilled = 0, clipped = 0;
    for (uint32_t i = 0; i < m_slices.size(); ++i) {
        Slice& s = m_slices[i];
        for (uint8_t lane = 0;; ++lane) {
            std::vector<uint32_t>& stack = stacks[lane];
            while (!stack.empty() && m_slices[stack.back()].end <= s.begin) stack.pop_back();
            const bool fits = stack.empty() || s.end <= m_slices[stack.back()].end;
            if (!fits && lane < kMaxOverlapLanes) continue;
            if (!fits) {
                s.end = m_slices[stack.back()].end; // out of lanes: cut to fit
                ++clipped;
            }
            if (lane > 0) ++spilled;
            s.lane = lane;
            s.depth = static_cast<uint16_t>(std::min<size_t>(stack.size(), 0xFFFF));
            s.parent = stack.empty() ? ~0u : stack.back();
            stack.push_back(i);
            m_lanes = std::max<uint8_t>(m_lanes, static_cast<uint8_t>(lane + 1));
            break;
        }
    }
    if (spilled) st.note("slices that overlap a slice of their thread without nesting in it: shown in an overlap lane", spilled);
    if (clipped) st.note("slices cut short to nest in their thread (too many overlap lanes)", clipped);

    // Group by lane, keeping the opening order within each; parents follow.
    m_lane_first.assign(m_lanes + 1u, 0);
    for (const Slice& s : m_slices) ++m_lane_first[s.lane + 1u];
    for (size_t l = 0; l < m_lanes; ++l) m_lane_first[l + 1] += m_lane_first[l];
    if (m_lanes > 1) {
        std::vector<uint32_t> fill(m_lane_first.begin(), m_lane_first.end() - 1);
        std::vector<uint32_t> moved(m_slices.size());
        for (uint32_t i = 0; i < m_slices.size(); ++i) moved[i] = fill[m_slices[i].lane]++;
        std::vector<Slice> ordered(m_slices.size());
        for (uint32_t i = 0; i < m_slices.size(); ++i) {
            Slice s = m_slices[i];
            if (s.parent != ~0u) s.parent = moved[s.parent];
            ordered[moved[i]] = s;
        }
        m_slices.swap(ordered);
    }
    if (!bound) return;
    m_by_event.reserve(m_slices.size());
    for (uint32_t i = 0; i < m_slices.size(); ++i) m_by_event.emplace_back(m_slices[i].event, i);
    std::sort(m_by_event.begin(), m_by_event.end());
}

uint32_t ThreadSlices::enclosing(Nanos t) const {
    for (uint8_t lane = 0; lane < m_lanes; ++lane) {
        const auto first = m_slices.begin() + m_lane_first[lane];
        const auto last = m_slices.begin() + m_lane_first[lane + 1u];
        const auto it = std::partition_point(first, last, [t](const Slice& s) { return s.begin <= t; });
        if (it == first) continue;
        // The last slice begun by t, then up its parents: in a nested lane the innermost slice
        // holding t is the latest begun one that still holds it.
        auto k = static_cast<uint32_t>(it - m_slices.begin() - 1);
        while (k != ~0u && m_slices[k].end < t) k = m_slices[k].parent;
        if (k != ~0u) return k;
    }
    return ~0u;
}

uint32_t ThreadSlices::next_beginning(Nanos t, uint32_t seq, std::span<const RawEvent> events) const {
    if (m_lanes == 0) return ~0u;
    const auto first = m_slices.begin();
    const auto last = m_slices.begin() + m_lane_first[1];
    for (auto it = std::partition_point(first, last, [t](const Slice& s) { return s.begin < t; }); it != last; ++it) {
        if (it->begin > t || events[it->event].seq > seq) return static_cast<uint32_t>(it - first);
    }
    return ~0u;
}

uint32_t ThreadSlices::of_event(uint32_t event) const {
    const auto it = std::lower_bound(m_by_event.begin(), m_by_event.end(), std::pair(event, 0u));
    return it != m_by_event.end() && it->first == event ? it->second : ~0u;
}

} // namespace weft::chrome
