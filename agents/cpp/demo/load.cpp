#include "load.h"

#include "weft/client.h"

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace weft::demo {

namespace {

using Clock = std::chrono::steady_clock;

// One traced task's whole life: 8 events, as a coroutine that awaits once would record them.
constexpr uint64_t kEventsPerTask = 8;

void one_task(uint64_t parent) {
    const uint64_t id = client::new_task_id();
    client::task_created(id, parent, "load.task");
    client::task_run_begin(id);
    client::await_begin(id, "load.io");
    client::task_run_end(id);
    client::task_run_begin(id);
    client::await_end(id);
    client::task_completed(id, client::Outcome::Ok);
    client::task_run_end(id);
}

struct ThreadResult {
    uint64_t events = 0;
    uint64_t tasks = 0;
};

void load_thread(int index, const LoadOptions& options, Clock::time_point start, Clock::time_point until,
                 ThreadResult& result) {
    client::set_thread_name("load-" + std::to_string(index), {"worker"});
    const double per_second = options.rate ? static_cast<double>(options.rate) / options.threads : 0;
    uint64_t events = 0;
    uint64_t tasks = 0;
    for (;;) {
        const Clock::time_point now = Clock::now();
        if ((options.stop && options.stop->load(std::memory_order_relaxed)) || (!options.forever && now >= until))
            break;
        // Pacing: emit what the schedule says is due by now, in one go, then nap briefly. A thread
        // that falls behind catches up at full speed, so the total over the run matches the rate.
        uint64_t due = UINT64_MAX;
        if (per_second > 0) {
            const double elapsed = std::chrono::duration<double>(now - start).count();
            due = static_cast<uint64_t>(elapsed * per_second);
            if (due <= events) {
                std::this_thread::sleep_for(std::chrono::microseconds(200));
                continue;
            }
        }
        // At most ~1 ms worth of work between checks of the clock and the stop flag.
        const uint64_t batch =
            due == UINT64_MAX ? 4096 : std::min<uint64_t>((due - events + kEventsPerTask - 1) / kEventsPerTask, 4096);
        for (uint64_t i = 0; i < batch; ++i) one_task(0);
        tasks += batch;
        events += batch * kEventsPerTask;
    }
    result.events = events;
    result.tasks = tasks;
}

} // namespace

LoadResult run_load(const LoadOptions& options) {
    const int threads = std::max(1, options.threads);
    LoadOptions fixed = options;
    fixed.threads = threads;
    std::vector<ThreadResult> results(static_cast<size_t>(threads));
    std::vector<std::thread> workers;
    const Clock::time_point start = Clock::now();
    const Clock::time_point until = start + options.duration;
    for (int i = 0; i < threads; ++i)
        workers.emplace_back(load_thread, i, std::cref(fixed), start, until, std::ref(results[static_cast<size_t>(i)]));
    for (auto& w : workers) w.join();
    LoadResult total;
    total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (const ThreadResult& r : results) {
        total.events += r.events;
        total.tasks += r.tasks;
    }
    return total;
}

} // namespace weft::demo
