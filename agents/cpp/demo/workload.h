#pragma once
// The demo's async workload: a small service handling requests that fan out to a cache, a database
// and a remote call, on a worker pool and an event loop.

#include "executors.h"

#include "weft/task.h"

#include <atomic>
#include <chrono>
#include <cstdint>

namespace weft::demo {

struct WorkloadOptions {
    int requests = 120;
    std::chrono::milliseconds duration{2000}; // requests arrive spread over this time
    uint64_t seed = 1;
};

struct WorkloadResult {
    int ok = 0;
    int failed = 0;    // requests whose database call failed
    int cancelled = 0; // requests whose remote call was cancelled
};

class Service {
public:
    Service(ThreadPool& pool, EventLoop& loop, const WorkloadOptions& options);

    // The root task: accepts every request, then waits for all of them.
    client::Task<WorkloadResult> serve();

private:
    client::Task<int> handle_request(int id);
    client::Task<int> cache_lookup(int id, uint64_t parent_span);
    client::Task<int> db_query(int id, uint64_t parent_span);
    client::Task<int> rpc_call(int id, uint64_t parent_span, client::CancelToken token);
    client::Task<int> render(int id, int rows);
    void reload_config_blocking(); // runs on the loop and stalls it

    ThreadPool& m_pool;
    EventLoop& m_loop;
    WorkloadOptions m_options;
    int m_failing_request = 0;
    int m_cancelled_request = 0;
    int m_blocking_request = 0;
};

// Busy work standing in for CPU-bound code.
void spin_for(std::chrono::microseconds duration);

} // namespace weft::demo
