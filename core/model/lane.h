#pragma once
// Queries over a lane: a sequence of intervals sorted by begin and non-overlapping, so that the ends
// are sorted too. A thread's run slices and a thread's spans at one depth are lanes. Both queries are
// binary searches; the precondition is the caller's (ModelBuilder guarantees it for the Model).

#include "model/ids.h"

#include <algorithm>
#include <cstdint>
#include <span>

namespace weft {

struct IndexRange {
    uint32_t first = 0;
    uint32_t last = 0; // one past the end
    constexpr uint32_t size() const { return last - first; }
    constexpr bool empty() const { return first >= last; }
};

// Indices [first, last) of the intervals that overlap the closed window [t0, t1]: end >= t0 and
// begin <= t1. Empty when t1 < t0.
inline IndexRange lane_overlapping(std::span<const Time> begins, std::span<const Time> ends, Time t0,
                                   Time t1) {
    if (t1 < t0 || begins.empty()) return {};
    const size_t n = std::min(begins.size(), ends.size());
    // First interval whose end reaches t0: ends are sorted because the lane does not overlap.
    const auto first = std::lower_bound(ends.begin(), ends.begin() + static_cast<ptrdiff_t>(n), t0);
    // One past the last interval that begins at or before t1.
    const auto last = std::upper_bound(begins.begin(), begins.begin() + static_cast<ptrdiff_t>(n), t1);
    IndexRange r;
    r.first = static_cast<uint32_t>(first - ends.begin());
    r.last = static_cast<uint32_t>(last - begins.begin());
    if (r.last < r.first) r.last = r.first;
    return r;
}

// The index of the interval containing t (begin <= t <= end), or -1 when t falls in a gap.
inline int64_t lane_index_at(std::span<const Time> begins, std::span<const Time> ends, Time t) {
    const size_t n = std::min(begins.size(), ends.size());
    const auto it = std::upper_bound(begins.begin(), begins.begin() + static_cast<ptrdiff_t>(n), t);
    if (it == begins.begin()) return -1;
    const size_t i = static_cast<size_t>(it - begins.begin()) - 1;
    return ends[i] >= t ? static_cast<int64_t>(i) : -1;
}

// The same queries over an array of structs with `begin` and `end` members (thread spans, awaits).
template <class T>
IndexRange lane_overlapping(std::span<const T> items, Time t0, Time t1) {
    if (t1 < t0 || items.empty()) return {};
    const auto first = std::partition_point(items.begin(), items.end(), [&](const T& x) { return x.end < t0; });
    const auto last = std::partition_point(items.begin(), items.end(), [&](const T& x) { return x.begin <= t1; });
    IndexRange r;
    r.first = static_cast<uint32_t>(first - items.begin());
    r.last = static_cast<uint32_t>(last - items.begin());
    if (r.last < r.first) r.last = r.first;
    return r;
}

template <class T>
int64_t lane_index_at(std::span<const T> items, Time t) {
    const auto it = std::partition_point(items.begin(), items.end(), [&](const T& x) { return x.begin <= t; });
    if (it == items.begin()) return -1;
    const size_t i = static_cast<size_t>(it - items.begin()) - 1;
    return items[i].end >= t ? static_cast<int64_t>(i) : -1;
}

} // namespace weft
