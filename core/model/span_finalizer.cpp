// Finishing pass for async spans: begins and ends, possibly from different streams, are paired by
// (process, span_id) in time order, then ordered by begin, linked to their parents and to the tasks
// that began them.

#include "model/builder_state.h"
#include "model/radix_sort.h"

#include <algorithm>
#include <numeric>

namespace weft::detail {

namespace {

struct Key {
    uint32_t process;
    uint64_t id;
    Time time;
    uint32_t stream;
    auto operator<=>(const Key&) const = default;
};

// Each span's parent, as an index in begin order (`new_of` maps pairing order to it), kNone for
// none. `spans` are in pairing order, (process, span_id, begin); `parent_ids[a]` is span a's parent
// id. The parent is the latest span with that id in the same process begun by the child's begin.
// Producers number spans with a counter, so one process's ids are nearly dense: then a table
// indexed by id finds a parent's spans in one read. Sparse ids take a binary search over a compact
// copy of the ids, which stays in cache where a search over the spans themselves would not.
std::vector<uint32_t> find_parents(const std::vector<AsyncSpan>& spans, const std::vector<uint64_t>& parent_ids,
                                   const std::vector<uint32_t>& new_of) {
    const size_t n = spans.size();
    std::vector<uint32_t> parent = filled_vector<uint32_t>(n, kNone);
    constexpr uint64_t kDensity = 4; // table slots per span at most
    std::vector<uint64_t> ids = filled_vector<uint64_t>(n, 0);
    for (size_t k = 0; k < n; ++k) ids[k] = spans[k].span_id;
    std::vector<uint32_t> table; // id - ids[from] -> first span with that id, kNone if none
    size_t from = 0, to = 0;     // the child's process: [from, to) in the pairing order
    for (size_t a = 0; a < n; ++a) {
        const AsyncSpan& child = spans[a];
        if (a >= to) {
            from = to = a;
            while (to < n && spans[to].process == child.process) ++to;
            table.clear();
            const uint64_t range = ids[to - 1] - ids[from];
            if (range < kDensity * (to - from)) {
                table.assign(static_cast<size_t>(range) + 1, kNone);
                for (size_t k = to; k-- > from;) table[static_cast<size_t>(ids[k] - ids[from])] = static_cast<uint32_t>(k);
            }
        }
        const uint64_t want = parent_ids[a];
        if (want == 0) continue;
        size_t lo = 0, hi = 0;
        if (!table.empty()) {
            if (want < ids[from] || want - ids[from] >= table.size()) continue;
            const uint32_t x = table[static_cast<size_t>(want - ids[from])];
            if (x == kNone) continue;
            lo = x;
            hi = lo + 1;
            if (hi < to && ids[hi] == want) // an id reused after its span ended
                hi = static_cast<size_t>(std::upper_bound(ids.begin() + static_cast<std::ptrdiff_t>(hi),
                                                          ids.begin() + static_cast<std::ptrdiff_t>(to), want) -
                                         ids.begin());
        } else {
            const auto first = ids.begin() + static_cast<std::ptrdiff_t>(from);
            const auto last = ids.begin() + static_cast<std::ptrdiff_t>(to);
            const auto l = std::lower_bound(first, last, want);
            const auto h = std::upper_bound(l, last, want);
            if (l == h) continue;
            lo = static_cast<size_t>(l - ids.begin());
            hi = static_cast<size_t>(h - ids.begin());
        }
        const auto group_lo = spans.begin() + static_cast<std::ptrdiff_t>(lo);
        const auto group_hi = spans.begin() + static_cast<std::ptrdiff_t>(hi);
        const auto it = std::partition_point(group_lo, group_hi,
                                             [&](const AsyncSpan& x) { return x.begin <= child.begin; });
        const auto p = static_cast<size_t>((it == group_lo ? group_lo : it - 1) - spans.begin());
        if (p != a) parent[new_of[a]] = new_of[p];
    }
    return parent;
}

// Puts `spans` in the order `order` gives (spans[k] becomes the old spans[order[k]]) in place, one
// cycle of the permutation at a time, so that no second array of spans is written. Consumes
// `order`: it marks what is done.
void permute_in_place(std::vector<AsyncSpan>& spans, std::vector<uint32_t>& order) {
    const size_t n = spans.size();
    for (size_t k = 0; k < n; ++k) {
        if (order[k] == kNone || order[k] == k) continue;
        const AsyncSpan held = spans[k];
        size_t at = k;
        while (order[at] != k) {
            const uint32_t from = order[at];
            spans[at] = spans[from];
            order[at] = kNone;
            at = from;
        }
        spans[at] = held;
        order[at] = kNone;
    }
}

} // namespace

void build_async_spans(BuilderState& st, Canonical& c) {
    Model& m = st.model;
    Diagnostics& diag = m.diagnostics;
    auto& begins = st.span_begins;
    auto& ends = st.span_ends;
    for (RawSpanBegin& b : begins) {
        b.process = c.process_new[b.process];
        b.stream = c.stream_new[b.stream];
        if (b.task != kNone) b.task = c.task_new[b.task];
    }
    for (RawSpanEnd& e : ends) {
        e.process = c.process_new[e.process];
        e.stream = c.stream_new[e.stream];
    }
    auto begin_key = [](const RawSpanBegin& b) { return Key{b.process, b.span_id, b.time, b.stream}; };
    auto end_key = [](const RawSpanEnd& e) { return Key{e.process, e.span_id, e.time, e.stream}; };
    // Producers number spans with a counter, so one stream's records are often in order already.
    auto begin_less = [&](const auto& a, const auto& b) { return begin_key(a) < begin_key(b); };
    auto end_less = [&](const auto& a, const auto& b) { return end_key(a) < end_key(b); };
    // By (process, span_id) first: radix passes on both, then the rare records that share them.
    auto process_of = [](const auto& r) { return uint64_t{r.process}; };
    auto span_id_of = [](const auto& r) { return r.span_id; };
    sort_by_keys(begins, begin_less, process_of, span_id_of);
    sort_by_keys(ends, end_less, process_of, span_id_of);

    // Paired straight into the Model's array, which is then put in begin order in place: no
    // second array of spans is ever written.
    std::vector<AsyncSpan>& spans = m.async_spans;
    std::vector<uint64_t> parent_ids;
    reserve_exact(spans, begins.size());
    reserve_exact(parent_ids, begins.size());
    size_t i = 0, j = 0;
    while (i < begins.size() || j < ends.size()) {
        // One (process, span_id) group at a time.
        uint32_t process;
        uint64_t id;
        if (j >= ends.size() || (i < begins.size() && std::pair(begins[i].process, begins[i].span_id) <=
                                                          std::pair(ends[j].process, ends[j].span_id))) {
            process = begins[i].process;
            id = begins[i].span_id;
        } else {
            process = ends[j].process;
            id = ends[j].span_id;
        }
        auto in_group_b = [&] { return i < begins.size() && begins[i].process == process && begins[i].span_id == id; };
        auto in_group_e = [&] { return j < ends.size() && ends[j].process == process && ends[j].span_id == id; };
        bool open = false;
        while (in_group_b() || in_group_e()) {
            // At equal times an end closes the open span before a begin reopens the id.
            const bool take_begin = in_group_b() && (!in_group_e() || begins[i].time < ends[j].time ||
                                                     (begins[i].time == ends[j].time && !open));
            if (take_begin) {
                const RawSpanBegin& b = begins[i++];
                if (open) {
                    ++diag.duplicate_span_ids; // the id is still in use: ignored
                    continue;
                }
                AsyncSpan s;
                s.span_id = b.span_id;
                s.begin = b.time;
                s.end = b.time;
                s.process = ProcessIndex{b.process};
                s.name = b.name;
                s.location = b.location;
                s.args = b.args;
                s.begin_thread = ThreadIndex{b.stream};
                s.begin_block = b.block;
                s.task = b.task != kNone ? TaskIndex{b.task} : TaskIndex{};
                spans.push_back(s);
                parent_ids.push_back(b.parent_id);
                open = true;
            } else {
                const RawSpanEnd& e = ends[j++];
                if (!open) {
                    ++diag.orphan_async_span_ends;
                    continue;
                }
                spans.back().end = std::max(e.time, spans.back().begin);
                spans.back().end_thread = ThreadIndex{e.stream};
                spans.back().end_block = e.block;
                open = false;
            }
        }
        if (open) {
            spans.back().end = std::max(c.trace_end, spans.back().begin);
            spans.back().unfinished = true;
            ++diag.unfinished_async_spans;
        }
    }
    begins.release();
    ends.release();

    // `spans` is ordered by (process, span_id, begin): the lookup order for parents. The Model wants
    // begin order.
    const size_t n = spans.size();
    // Sorted as flat keys rather than indices into `spans`, so comparisons stay in cache. The index
    // is the last key, so the order is total and the same as comparing the spans themselves.
    struct OrderKey {
        Time begin;
        uint32_t process;
        uint32_t index;
        uint64_t span_id;
    };
    PodBuffer<OrderKey> keys;
    keys.resize_for_overwrite(n);
    for (size_t k = 0; k < n; ++k)
        keys[k] = OrderKey{spans[k].begin, spans[k].process.value, static_cast<uint32_t>(k), spans[k].span_id};
    auto by_begin = [](const OrderKey& x, const OrderKey& y) {
        if (x.begin != y.begin) return x.begin < y.begin;
        if (x.process != y.process) return x.process < y.process;
        if (x.span_id != y.span_id) return x.span_id < y.span_id;
        return x.index < y.index;
    };
    // Counter-numbered spans mostly begin in id order: then there is nothing to do.
    sort_by_keys(keys, by_begin, [](const OrderKey& k) { return ordered_bits(k.begin); });
    std::vector<uint32_t> order = filled_vector<uint32_t>(n, 0);
    for (size_t k = 0; k < n; ++k) order[k] = keys[k].index;
    keys.release();
    std::vector<uint32_t> new_of = filled_vector<uint32_t>(n, 0);
    for (size_t k = 0; k < n; ++k) new_of[order[k]] = static_cast<uint32_t>(k);

    std::vector<uint32_t> parent = find_parents(spans, parent_ids, new_of);
    std::vector<uint64_t>().swap(parent_ids);

    permute_in_place(spans, order);
    std::vector<uint32_t>().swap(order);
    std::vector<uint32_t>().swap(new_of);
    const std::vector<uint16_t> depth = forest_depths(parent);
    for (size_t k = 0; k < n; ++k) {
        m.async_spans[k].parent = parent[k] != kNone ? AsyncSpanIndex{parent[k]} : AsyncSpanIndex{};
        m.async_spans[k].depth = depth[k];
    }

    // Spans per task, in begin order. The tasks get their ranges in build_awaits_and_times.
    const size_t tasks = m.tasks.size();
    c.span_first = filled_vector<uint32_t>(tasks + 1, 0);
    std::vector<uint32_t>& first = c.span_first;
    for (const AsyncSpan& s : m.async_spans)
        if (s.task.valid()) ++first[s.task.value + 1];
    for (size_t k = 0; k < tasks; ++k) first[k + 1] += first[k];
    reserve_exact(m.task_spans, first[tasks]);
    m.task_spans.resize(first[tasks]);
    std::vector<uint32_t> fill = copied_vector(first.begin(), first.end() - 1);
    for (size_t k = 0; k < n; ++k) {
        const AsyncSpan& s = m.async_spans[k];
        if (s.task.valid()) m.task_spans[fill[s.task.value]++] = AsyncSpanIndex{static_cast<uint32_t>(k)};
    }
}

} // namespace weft::detail
