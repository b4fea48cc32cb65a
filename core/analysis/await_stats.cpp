#include "analysis/await_stats.h"

#include "analysis/percentile.h"
#include "model/tick_clock.h"

#include <algorithm>
#include <unordered_map>

namespace weft::analysis {

std::vector<AwaitLocationStats> await_stats_by_location(const Model& model, Time min_duration) {
    // Group index per location id, created on first use.
    std::vector<uint32_t> group_of(model.locations.size() + 1, UINT32_MAX);
    std::vector<AwaitLocationStats> groups;
    for (uint32_t i = 0; i < model.awaits.size(); ++i) {
        const AwaitPoint& a = model.awaits[i];
        if (a.end - a.begin < min_duration) continue;
        const uint32_t loc = a.location.value < model.locations.size() ? a.location.value : 0;
        if (group_of[loc] == UINT32_MAX) {
            group_of[loc] = static_cast<uint32_t>(groups.size());
            groups.emplace_back();
            groups.back().location = LocationId{loc};
        }
        groups[group_of[loc]].instances.push_back(i);
    }

    std::unordered_map<uint32_t, uint64_t> awaitables;
    for (AwaitLocationStats& g : groups) {
        auto duration = [&](uint32_t i) { return model.awaits[i].end - model.awaits[i].begin; };
        std::sort(g.instances.begin(), g.instances.end(), [&](uint32_t a, uint32_t b) {
            return duration(a) != duration(b) ? duration(a) > duration(b) : a < b;
        });
        const size_t n = g.instances.size();
        g.count = n;
        awaitables.clear();
        for (uint32_t i : g.instances) {
            g.total = TickClock::saturating_add(g.total, duration(i)); // hostile files could overflow a sum
            ++awaitables[model.awaits[i].awaitable.value];
        }
        g.mean = g.total / static_cast<Time>(n);
        g.max = duration(g.instances.front());
        // Instances are in descending order: ascending rank r is at n - 1 - r.
        auto at = [&](double p) { return duration(g.instances[n - 1 - detail::percentile_rank(n, p)]); };
        g.p50 = at(50);
        g.p95 = at(95);
        g.p99 = at(99);
        uint64_t best = 0;
        for (const auto& [id, count] : awaitables) {
            if (count > best || (count == best && id < g.awaitable.value)) {
                best = count;
                g.awaitable = StringId{id};
            }
        }
    }
    std::sort(groups.begin(), groups.end(), [](const AwaitLocationStats& a, const AwaitLocationStats& b) {
        return a.total != b.total ? a.total > b.total : a.location < b.location;
    });
    return groups;
}

} // namespace weft::analysis
