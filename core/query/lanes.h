#pragma once
// Lane accessors over the model for fold_lane() and the hit test: each presents one row's items as
// positions 0..size()-1 with begin(p), end(p) and the model index(p). All are sorted by begin and
// non-overlapping by the model's construction (model.h). Ranges are clamped to their tables so a
// damaged model reads fewer items instead of out of bounds.

#include "model/model.h"
#include "query/lod_fold.h"
#include "query/task_packing.h"

#include <algorithm>
#include <span>

namespace weft::lanes {

inline Range clamp_range(Range r, size_t table_size) {
    if (r.first >= table_size) return {};
    return {r.first, static_cast<uint32_t>(std::min<size_t>(r.count, table_size - r.first))};
}

struct Runs {
    const RunSlices* runs;
    Range range;
    Runs(const Model& m, Range r) : runs(&m.runs), range(clamp_range(r, m.runs.size())) {}
    size_t size() const { return range.count; }
    Time begin(size_t p) const { return runs->begin[range.first + p]; }
    Time end(size_t p) const { return runs->end[range.first + p]; }
    uint32_t index(size_t p) const { return static_cast<uint32_t>(range.first + p); }
};

// One range of a model table, clamped to it: its items as positions 0..size()-1, each with its
// index in the table. The lanes below add how an item spans time.
template <class T>
struct TableRange {
    std::span<const T> items;
    uint32_t first = 0;
    TableRange(const std::vector<T>& table, Range r) {
        const Range c = clamp_range(r, table.size());
        items = std::span(table).subspan(c.first, c.count);
        first = c.first;
    }
    size_t size() const { return items.size(); }
    uint32_t index(size_t p) const { return static_cast<uint32_t>(first + p); }
};

template <class T>
struct Table : TableRange<T> {
    using TableRange<T>::TableRange;
    Time begin(size_t p) const { return this->items[p].begin; }
    Time end(size_t p) const { return this->items[p].end; }
};
using ThreadSpans = Table<ThreadSpan>;
using Blocking = Table<BlockingEvent>;
using Awaits = Table<AwaitPoint>;

struct Lag : TableRange<LagSample> {
    Lag(const Model& m, Range r) : TableRange(m.lag, r) {}
    Time begin(size_t p) const { return items[p].time - std::max<Time>(items[p].lag, 0); }
    Time end(size_t p) const { return items[p].time; }
};

// Point events (instants, samples) of one range, sorted by time: zero-width items, so fold_lane()
// folds any that are closer than a few pixels into one counted mark.
template <class T>
struct Points : TableRange<T> {
    using TableRange<T>::TableRange;
    Time begin(size_t p) const { return this->items[p].time; }
    Time end(size_t p) const { return this->items[p].time; }
};
using Instants = Points<Instant>;
using Samples = Points<Sample>;

// A task's run slices, through Model::task_slices.
struct TaskRuns {
    const RunSlices* runs;
    std::span<const uint32_t> slices;
    TaskRuns(const Model& m, const Task& t) : runs(&m.runs) {
        const Range c = clamp_range(t.slices, m.task_slices.size());
        slices = std::span(m.task_slices).subspan(c.first, c.count);
        // Trust only a prefix whose run indices exist.
        size_t ok = 0;
        while (ok < slices.size() && slices[ok] < m.runs.size()) ++ok;
        slices = slices.first(ok);
    }
    size_t size() const { return slices.size(); }
    Time begin(size_t p) const { return runs->begin[slices[p]]; }
    Time end(size_t p) const { return runs->end[slices[p]]; }
    uint32_t index(size_t p) const { return slices[p]; }
};

// A task's scheduled (ready, not running) periods, derived: from creation to the first run, and
// from each await's end to the next run. Position 0 is the creation one, p > 0 follows await p - 1.
struct TaskScheduled {
    TaskRuns runs;
    Awaits awaits;
    Time created;
    Time task_end;
    TaskScheduled(const Model& m, const Task& t) : TaskScheduled(m, t, task_extent(m, t)) {}
    TaskScheduled(const Model& m, const Task& t, TaskExtent extent)
        : runs(m, t), awaits(m.awaits, t.awaits), created(extent.begin), task_end(extent.end) {}
    size_t size() const { return awaits.size() + 1; }
    Time begin(size_t p) const { return p == 0 ? created : awaits.end(p - 1); }
    Time end(size_t p) const {
        const Time b = begin(p);
        // The first run beginning at or after b.
        size_t lo = 0, hi = runs.size();
        while (lo < hi) {
            const size_t mid = lo + (hi - lo) / 2;
            if (runs.begin(mid) < b)
                lo = mid + 1;
            else
                hi = mid;
        }
        const Time e = lo < runs.size() ? runs.begin(lo) : task_end;
        return std::max(e, b);
    }
};

// A packed row of async spans (LaneLayout::items()).
struct AsyncSpans {
    const std::vector<AsyncSpan>* spans;
    std::span<const AsyncSpanIndex> items;
    size_t size() const { return items.size(); }
    Time begin(size_t p) const { return (*spans)[items[p].value].begin; }
    Time end(size_t p) const { return (*spans)[items[p].value].end; }
    uint32_t index(size_t p) const { return items[p].value; }
};

// A packed row of tasks, each over its task_extent() (LaneLayout::pack_items(), pack_begins(),
// pack_ends()).
struct PackedTasks {
    std::span<const TaskIndex> items;
    std::span<const Time> begins;
    std::span<const Time> ends;
    size_t size() const { return items.size(); }
    Time begin(size_t p) const { return begins[p]; }
    Time end(size_t p) const { return ends[p]; }
    uint32_t index(size_t p) const { return items[p].value; }
};

// The position of the item under t (containing it, else beginning within slack), or size().
template <class Lane>
size_t find_at(const Lane& lane, Time t, double slack_ns) {
    const size_t n = lane.size();
    const double td = static_cast<double>(t);
    const size_t p = first_ending_at_or_after(lane, 0, n, td - slack_ns);
    if (p < n && static_cast<double>(lane.begin(p)) <= td + slack_ns) return p;
    return n;
}

} // namespace weft::lanes
