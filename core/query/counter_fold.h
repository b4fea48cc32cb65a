#pragma once
// Level-of-detail folding of one counter track: a step chart, each value holding from its sample
// to the next. Steps at least a pixel wide are emitted one by one; the samples that begin in one
// pixel column fold into one step carrying their lowest and highest value and the last one, which
// holds until the next sample. The fold jumps over a column's samples with a binary search and
// takes their range from the CounterIndex, so a frame costs per pixel, not per sample.
//
// Precondition: the track's samples are sorted by time (model.h). Unsorted input (damaged data)
// draws imperfect steps, never loops: every step advances.

#include "model/model.h"
#include "query/counter_index.h"
#include "query/lanes.h"
#include "query/view_mapping.h"

#include <algorithm>
#include <cmath>
#include <span>

namespace weft {

struct CounterStep {
    uint32_t first = 0; // into Model::counter_samples
    uint32_t count = 1; // samples folded into this step
    Time begin = 0;     // the first sample's time
    Time end = 0;       // when the last value stops holding: the next sample, or the track's end
    double lo = 0;      // lowest and highest value of the folded samples (NaN when none has one)
    double hi = 0;
    double last = 0;    // the value holding from the last folded sample until `end`
};

// Calls emit(const CounterStep&) for the visible steps of `track`, left to right. `track_end` is
// where the last value stops (the trace's end). `index` may be null: ranges are then scanned.
template <class Emit>
void fold_counter(const CounterSamples& samples, Range track, Time track_end, const ViewMapping& view,
                  const CounterIndex* index, Emit&& emit) {
    const Range r = lanes::clamp_range(track, std::min(samples.time.size(), samples.value.size()));
    if (r.empty()) return;
    const std::span<const Time> times(samples.time.data() + r.first, r.count);
    const std::span<const double> all(samples.value);
    const size_t n = r.count;
    const double px = view.ns_per_px();

    // The sample holding at the left edge: the last one at or before it (or the first one).
    size_t i = static_cast<size_t>(std::upper_bound(times.begin(), times.end(), view.begin) - times.begin());
    i = i > 0 ? i - 1 : 0;
    while (i < n && times[i] <= view.end) {
        const Time b = times[i];
        const Time next = i + 1 < n ? times[i + 1] : std::max(track_end, b);
        const double v = all[r.first + i];
        if (static_cast<double>(next) - static_cast<double>(b) >= px) {
            emit(CounterStep{r.first + static_cast<uint32_t>(i), 1, b, next, v, v, v});
            ++i;
            continue;
        }
        const double column_end = static_cast<double>(view.begin) + (std::floor(view.x_of(b)) + 1.0) * px;
        size_t j = static_cast<size_t>(
            std::partition_point(times.begin() + static_cast<ptrdiff_t>(i) + 1, times.end(),
                                 [&](Time t) { return static_cast<double>(t) < column_end; }) -
            times.begin());
        j = std::max(j, i + 1);
        const size_t first = r.first + i, last = r.first + j;
        const ValueRange range = index ? index->range(all, first, last) : scan_value_range(all, first, last);
        const Time e = j < n ? std::max(times[j], times[j - 1]) : std::max(track_end, times[j - 1]);
        emit(CounterStep{static_cast<uint32_t>(first), static_cast<uint32_t>(j - i), b, e, range.lo, range.hi,
                         all[last - 1]});
        i = j;
    }
}

} // namespace weft
