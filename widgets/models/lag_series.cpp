#include "models/lag_series.h"

#include <algorithm>

namespace weft::ui {

std::vector<ThreadIndex> lagThreads(const Model& model) {
    std::vector<ThreadIndex> threads;
    for (uint32_t i = 0; i < model.threads.size(); ++i)
        if (!model.threads[i].lag.empty()) threads.push_back(ThreadIndex(i));
    std::stable_sort(threads.begin(), threads.end(), [&](ThreadIndex a, ThreadIndex b) {
        return model.thread(a).event_loop > model.thread(b).event_loop;
    });
    return threads;
}

std::vector<LagPoint> decimatedLag(const Model& model, ThreadIndex thread, Time t0, Time t1, int buckets) {
    std::vector<LagPoint> out;
    if (!thread.valid() || thread.value >= model.threads.size() || t1 < t0) return out;
    const Range range = model.thread(thread).lag;
    if (range.end() > model.lag.size() || range.end() < range.first || range.empty()) return out;
    const auto begin = model.lag.begin() + range.first;
    const auto end = model.lag.begin() + range.end();
    auto first = std::lower_bound(begin, end, t0, [](const LagSample& s, Time t) { return s.time < t; });
    auto last = std::upper_bound(first, end, t1, [](Time t, const LagSample& s) { return t < s.time; });
    if (first != begin) --first; // one sample before the window
    if (last != end) ++last;     // and one after it
    const size_t count = static_cast<size_t>(last - first);
    buckets = std::max(buckets, 1);
    if (count <= 2 * static_cast<size_t>(buckets) + 2) {
        out.reserve(count);
        for (auto it = first; it != last; ++it) out.push_back({it->time, it->lag});
        return out;
    }

    out.reserve(2 * static_cast<size_t>(buckets) + 2);
    // The outside neighbours are kept as they are; buckets cover [t0, t1].
    auto it = first;
    if (it->time < t0) out.push_back({it->time, it->lag}), ++it;
    auto stop = last;
    const bool tail = (stop - 1)->time > t1;
    if (tail) --stop;
    const double width = static_cast<double>(t1 - t0) / buckets;
    while (it != stop) {
        const int bucket = width > 0 ? std::min(buckets - 1, static_cast<int>(static_cast<double>(it->time - t0) / width)) : 0;
        const Time bucketEnd = width > 0 && bucket < buckets - 1 ? t0 + static_cast<Time>(width * (bucket + 1)) : t1 + 1;
        auto lo = it, hi = it;
        for (++it; it != stop && it->time < bucketEnd; ++it) {
            if (it->lag < lo->lag) lo = it;
            if (it->lag > hi->lag) hi = it;
        }
        if (lo == hi) {
            out.push_back({lo->time, lo->lag});
        } else if (lo < hi) {
            out.push_back({lo->time, lo->lag});
            out.push_back({hi->time, hi->lag});
        } else {
            out.push_back({hi->time, hi->lag});
            out.push_back({lo->time, lo->lag});
        }
    }
    if (tail) out.push_back({stop->time, stop->lag});
    return out;
}

} // namespace weft::ui
