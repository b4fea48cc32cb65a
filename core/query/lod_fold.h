#pragma once
// Level-of-detail folding of one lane of intervals.
//
// Precondition: the lane is sorted by begin and its items don't overlap, so ends are sorted too
// (model.h). Then "first item ending at or after t" is a binary search, and folding can jump over
// any number of sub-pixel items at once: the cost grows with the pixels of the view, not with the
// items of the lane. Unsorted input (a damaged trace) yields imperfect marks, never a crash or a
// loop: every step advances the position.

#include "query/view_mapping.h"

#include <algorithm>
#include <cstddef>

namespace weft {

struct LodOptions {
    double min_px = 3.0;       // items at least this wide are emitted one by one
    double merge_gap_px = 1.0; // narrow items closer than this join the same fold
    // A fold ends once it is this wide, so a dense stretch is a row of narrow folds, each with its
    // own count and coverage (shaded per few pixels), not one grey bar across the view.
    double max_fold_px = 8.0;
};

// First position p in [lo, hi) with lane.end(p) >= t, or hi. Lane: size(), begin(p), end(p).
// Gallops from lo before bisecting: a fold looks for the next item a few pixels on, which is
// usually near lo, and probing lo+1, lo+3, lo+7... touches a few neighbouring cache lines where a
// bisection of the whole rest of a long lane misses the cache at every step.
template <class Lane>
size_t first_ending_at_or_after(const Lane& lane, size_t lo, size_t hi, double t) {
    for (size_t step = 1; lo < hi;) {
        const size_t probe = lo + step - 1;
        if (probe >= hi || static_cast<double>(lane.end(probe)) >= t) {
            hi = std::min(hi, probe + 1);
            break;
        }
        lo = probe + 1;
        step *= 2;
    }
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (static_cast<double>(lane.end(mid)) < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// First position p in [lo, hi) with lane.begin(p) > t, or hi.
template <class Lane>
size_t first_beginning_after(const Lane& lane, size_t lo, size_t hi, double t) {
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (static_cast<double>(lane.begin(mid)) <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

// Calls emit(first_pos, count, begin, end) for each mark of the visible part of the lane, left to
// right: count == 1 is one item at least min_px wide or an isolated narrow one; count > 1 a fold
// of narrow items spanning [begin, end], about max_fold_px wide at most.
template <class Lane, class Emit>
void fold_lane(const Lane& lane, const ViewMapping& view, const LodOptions& options, Emit&& emit) {
    const size_t n = lane.size();
    if (n == 0) return;
    const double ns_per_px = view.ns_per_px();
    const double min_ns = options.min_px * ns_per_px;
    const double gap_ns = options.merge_gap_px * ns_per_px;
    const double t1 = static_cast<double>(view.end);
    const double max_fold_ns = options.max_fold_px * ns_per_px;

    size_t i = first_ending_at_or_after(lane, 0, n, static_cast<double>(view.begin));
    while (i < n) {
        const Time b = lane.begin(i);
        if (static_cast<double>(b) > t1) break;
        const Time e = std::max(lane.end(i), b);
        if (static_cast<double>(e) - static_cast<double>(b) >= min_ns) {
            emit(i, size_t{1}, b, e);
            ++i;
            continue;
        }
        // A fold: absorb every following narrow item that ends within a pixel of it.
        const size_t first = i;
        Time fold_end = e;
        ++i;
        while (i < n && static_cast<double>(fold_end) <= t1 &&
               static_cast<double>(fold_end) - static_cast<double>(b) < max_fold_ns) {
            const double limit =
                std::max(static_cast<double>(fold_end), static_cast<double>(b) + min_ns) + gap_ns;
            const size_t j = first_ending_at_or_after(lane, i, n, limit);
            if (j > i) {
                fold_end = std::max(fold_end, lane.end(j - 1));
                i = j;
                continue;
            }
            const Time bi = lane.begin(i);
            const Time ei = lane.end(i);
            if (static_cast<double>(bi) < limit && static_cast<double>(ei) - static_cast<double>(bi) < min_ns) {
                fold_end = std::max(fold_end, ei);
                ++i;
                continue;
            }
            break;
        }
        emit(first, i - first, b, fold_end);
    }
}

} // namespace weft
