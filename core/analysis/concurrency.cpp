#include "analysis/concurrency.h"

#include <algorithm>

namespace weft::analysis {

namespace {

struct Step {
    Time time;
    int32_t delta; // -1 sorts first: intervals are half-open [begin, end)
    bool operator<(const Step& o) const { return time != o.time ? time < o.time : delta < o.delta; }
};

// For each bucket, the maximum of the count of intervals alive at any instant inside it.
void bucket_maxima(std::vector<Step>& steps, Time t0, Time t1, uint32_t buckets,
                   std::vector<InFlightPoint>& out, uint32_t InFlightPoint::*field) {
    std::sort(steps.begin(), steps.end());
    size_t k = 0;
    int64_t count = 0;
    const double width = static_cast<double>(t1 - t0) / buckets;
    for (uint32_t i = 0; i < buckets; ++i) {
        const Time b0 = out[i].time;
        const Time b1 = i + 1 == buckets ? t1 : t0 + static_cast<Time>(width * (i + 1));
        while (k < steps.size() && steps[k].time <= b0) count += steps[k++].delta;
        int64_t best = count;
        while (k < steps.size() && steps[k].time < b1) {
            const Time t = steps[k].time;
            while (k < steps.size() && steps[k].time == t) count += steps[k++].delta;
            best = std::max(best, count);
        }
        out[i].*field = static_cast<uint32_t>(std::max<int64_t>(0, best));
    }
}

} // namespace

std::vector<InFlightPoint> tasks_in_flight(const Model& model, Time t0, Time t1, uint32_t buckets) {
    if (buckets == 0 || t1 <= t0) return {};
    std::vector<InFlightPoint> out(buckets);
    const double width = static_cast<double>(t1 - t0) / buckets;
    for (uint32_t i = 0; i < buckets; ++i) out[i].time = t0 + static_cast<Time>(width * i);

    std::vector<Step> steps;
    steps.reserve(model.tasks.size() * 2);
    for (const Task& t : model.tasks) {
        const Time end = t.end_or(model.end);
        if (end <= t.created) continue;
        steps.push_back({t.created, +1});
        steps.push_back({end, -1});
    }
    bucket_maxima(steps, t0, t1, buckets, out, &InFlightPoint::tasks);

    steps.clear();
    steps.reserve(model.runs.size() * 2);
    for (size_t i = 0; i < model.runs.size(); ++i) {
        if (model.runs.end[i] <= model.runs.begin[i]) continue;
        steps.push_back({model.runs.begin[i], +1});
        steps.push_back({model.runs.end[i], -1});
    }
    bucket_maxima(steps, t0, t1, buckets, out, &InFlightPoint::running);
    return out;
}

} // namespace weft::analysis
