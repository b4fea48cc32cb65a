#include "analysis/range_summary.h"

#include <algorithm>
#include <map>
#include <utility>

namespace weft::analysis {

namespace {
// The length of [b, e) inside [lo, hi).
Time inside(Time b, Time e, Time lo, Time hi) { return std::max<Time>(0, std::min(e, hi) - std::max(b, lo)); }
bool overlaps(Time b, Time e, Time lo, Time hi) { return b < hi && e > lo; }
} // namespace

RangeSummary range_summary(const Model& model, Time begin, Time end) {
    RangeSummary r;
    if (end < begin) std::swap(begin, end);
    r.begin = begin;
    r.end = end;
    for (const Task& t : model.tasks) {
        const Time born = t.created == kNoTime ? t.first_run : t.created;
        const Time died = t.end_or(model.end);
        if (born != kNoTime && overlaps(born, std::max(died, born + 1), begin, end)) ++r.tasks_alive;
        if (t.created != kNoTime && t.created >= begin && t.created < end) ++r.tasks_created;
        if (t.completed != kNoTime && t.completed >= begin && t.completed < end) {
            ++r.tasks_completed;
            if (t.state == TaskState::Error) ++r.tasks_failed;
        }
    }
    for (uint32_t ti = 0; ti < model.threads.size(); ++ti) {
        const Range slices = model.threads[ti].run_slices;
        RangeThread row{ThreadIndex{ti}};
        // A thread's slices are sorted and do not overlap, so their ends are sorted too: start at
        // the first that ends after the range begins.
        const size_t lo = std::min<size_t>(slices.first, model.runs.size());
        const size_t hi = std::min<size_t>(size_t{slices.first} + slices.count, model.runs.size());
        const auto ends = model.runs.end.begin();
        for (auto i = static_cast<size_t>(std::upper_bound(ends + lo, ends + hi, begin) - ends); i < hi; ++i) {
            if (model.runs.begin[i] >= end) break;
            row.running += inside(model.runs.begin[i], model.runs.end[i], begin, end);
            ++row.slices;
        }
        if (row.slices) r.threads.push_back(row);
    }
    std::sort(r.threads.begin(), r.threads.end(),
              [](const RangeThread& a, const RangeThread& b) { return a.running > b.running; });
    std::map<std::pair<uint32_t, uint32_t>, RangeAwaits> awaits;
    for (const AwaitPoint& a : model.awaits) {
        if (!overlaps(a.begin, std::max(a.end, a.begin + 1), begin, end)) continue;
        RangeAwaits& g = awaits[{a.awaitable.value, a.location.value}];
        g.awaitable = a.awaitable;
        g.location = a.location;
        ++g.count;
        g.total += inside(a.begin, a.end, begin, end);
    }
    for (auto& [key, g] : awaits) r.awaits.push_back(g);
    std::sort(r.awaits.begin(), r.awaits.end(),
              [](const RangeAwaits& a, const RangeAwaits& b) { return a.total > b.total; });
    for (const BlockingEvent& b : model.blocking) {
        if (!overlaps(b.begin, b.end, begin, end)) continue;
        ++r.blocking;
        r.blocking_time += inside(b.begin, b.end, begin, end);
    }
    r.lag = lag_stats(model, begin, end);
    return r;
}

} // namespace weft::analysis
