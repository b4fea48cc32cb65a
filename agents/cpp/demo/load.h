#pragma once
// The demo's load mode: several threads recording task / run / await events in tight loops at a
// chosen total rate, to measure throughput and check that nothing is lost on the way to a viewer.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace weft::demo {

struct LoadOptions {
    int threads = 4;
    uint64_t rate = 1'000'000;                 // events per second over all threads; 0: flat out
    std::chrono::milliseconds duration{2000};  // ignored when `forever`
    bool forever = false;                      // until *stop is set
    const std::atomic<bool>* stop = nullptr;   // checked about every millisecond
};

struct LoadResult {
    uint64_t events = 0; // recording calls made (each one event, unless the client was off)
    uint64_t tasks = 0;
    double seconds = 0;
};

LoadResult run_load(const LoadOptions& options);

} // namespace weft::demo
