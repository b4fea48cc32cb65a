#include "analysis/loop_lag.h"

#include "analysis/percentile.h"

#include <algorithm>
#include <span>

namespace weft::analysis {

LagStats lag_stats(const Model& model, Time t0, Time t1, ThreadIndex thread) {
    std::span<const LagSample> samples(model.lag);
    if (thread.valid()) {
        if (thread.value >= model.threads.size()) return {};
        const Range r = model.threads[thread.value].lag;
        if (r.end() > samples.size()) return {};
        samples = samples.subspan(r.first, r.count); // one thread's samples are sorted by time
        if (t0 != kNoTime)
            samples = samples.subspan(static_cast<size_t>(
                std::partition_point(samples.begin(), samples.end(), [&](const LagSample& s) { return s.time < t0; }) -
                samples.begin()));
        if (t1 != kNoTime)
            samples = samples.first(static_cast<size_t>(
                std::partition_point(samples.begin(), samples.end(), [&](const LagSample& s) { return s.time <= t1; }) -
                samples.begin()));
    }
    std::vector<Time> lags;
    lags.reserve(samples.size());
    for (const LagSample& s : samples) {
        if (t0 != kNoTime && s.time < t0) continue;
        if (t1 != kNoTime && s.time > t1) continue;
        lags.push_back(s.lag);
    }
    LagStats stats;
    stats.samples = lags.size();
    if (lags.empty()) return stats;
    double sum = 0;
    Time max = lags.front();
    for (Time l : lags) {
        sum += static_cast<double>(l);
        max = std::max(max, l);
    }
    stats.avg_ms = sum / static_cast<double>(lags.size()) / 1e6;
    stats.max_ms = static_cast<double>(max) / 1e6;
    stats.p99_ms = static_cast<double>(detail::percentile(lags, 99)) / 1e6;
    return stats;
}

} // namespace weft::analysis
