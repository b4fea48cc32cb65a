#include "workload.h"

#include "weft/client.h"

#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace weft::demo {

using client::Task;
using namespace std::chrono_literals;

void spin_for(std::chrono::microseconds duration) {
    const auto until = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < until) {
    }
}

namespace {

// Each call draws from its own generator, so runs with one seed do the same work whatever the
// thread interleaving.
std::mt19937_64 rng_for(uint64_t seed, int id, int salt) {
    return std::mt19937_64(seed * 1'000'003u + static_cast<uint64_t>(id) * 7919u + static_cast<uint64_t>(salt));
}

int uniform(std::mt19937_64& rng, int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

} // namespace

Service::Service(ThreadPool& pool, EventLoop& loop, const WorkloadOptions& options)
    : m_pool(pool), m_loop(loop), m_options(options) {
    const int n = std::max(1, options.requests);
    m_failing_request = std::max(1, n / 3);
    m_blocking_request = std::max(1, n / 2);
    m_cancelled_request = std::max(1, (2 * n) / 3);
}

Task<WorkloadResult> Service::serve() {
    co_await m_pool.schedule();
    const int n = std::max(1, m_options.requests);
    const auto start = EventLoop::Clock::now();
    std::vector<Task<int>> in_flight;
    in_flight.reserve(static_cast<size_t>(n));
    for (int id = 1; id <= n; ++id) {
        // Requests arrive spread over the run: wait for this one's arrival time on the loop's timers.
        const auto arrival = start + m_options.duration * (id - 1) / n;
        const auto wait = arrival - EventLoop::Clock::now();
        if (wait > 0ms) co_await m_loop.sleep(wait);
        in_flight.push_back(client::spawn(m_pool, handle_request(id)));
    }
    WorkloadResult result;
    for (auto& request : in_flight) {
        switch (co_await std::move(request)) {
        case 0: ++result.ok; break;
        case 1: ++result.failed; break;
        default: ++result.cancelled; break;
        }
    }
    co_return result;
}

Task<int> Service::handle_request(int id) {
    const uint64_t span = client::new_span_id();
    client::async_span_begin(span, 0, "request");
    {
        WEFT_SCOPE("request.parse");
        spin_for(20us);
        WEFT_SCOPE("request.validate");
        spin_for(30us);
    }
    client::CancelToken token;
    auto cache = client::spawn(m_pool, cache_lookup(id, span));
    auto db = client::spawn(m_pool, db_query(id, span));
    auto rpc = client::spawn(m_pool, rpc_call(id, span, token));
    if (id == m_cancelled_request) token.cancel(); // the caller hung up: drop the remote call

    int status = 0;
    const int hits = co_await std::move(cache);
    int rows = 0;
    try {
        rows = co_await std::move(db);
    } catch (const std::exception&) {
        status = 1;
    }
    try {
        co_await std::move(rpc);
    } catch (const client::Cancelled&) {
        status = 2;
    }
    if (status == 0) co_await render(id, rows + hits);
    if (id == m_blocking_request) m_loop.call_soon([this] { reload_config_blocking(); });
    client::async_span_end(span); // on whichever thread resumed the handler last
    co_return status;
}

Task<int> Service::cache_lookup(int id, uint64_t parent_span) {
    auto rng = rng_for(m_options.seed, id, 1);
    const uint64_t span = client::new_span_id();
    client::async_span_begin(span, parent_span, "cache.lookup");
    {
        WEFT_SCOPE("cache.lookup");
        {
            WEFT_SCOPE("cache.hash");
            spin_for(std::chrono::microseconds(uniform(rng, 5, 20)));
        }
        spin_for(std::chrono::microseconds(uniform(rng, 5, 30)));
    }
    const bool hit = uniform(rng, 0, 3) != 0;
    if (!hit) {
        co_await m_loop.sleep(std::chrono::milliseconds(uniform(rng, 1, 4))); // remote cache
        co_await m_pool.schedule();
    }
    client::async_span_end(span);
    co_return hit ? 1 : 0;
}

Task<int> Service::db_query(int id, uint64_t parent_span) {
    auto rng = rng_for(m_options.seed, id, 2);
    const uint64_t span = client::new_span_id();
    client::async_span_begin(span, parent_span, "db.query");
    {
        WEFT_SCOPE("db.prepare");
        spin_for(std::chrono::microseconds(uniform(rng, 10, 40)));
    }
    co_await m_loop.sleep(std::chrono::milliseconds(uniform(rng, 2, 15))); // the query runs remotely
    co_await m_pool.schedule();
    if (id == m_failing_request) {
        client::async_span_end(span);
        throw std::runtime_error("db: connection reset by peer");
    }
    const int rows = uniform(rng, 1, 50);
    {
        WEFT_SCOPE("db.decode");
        for (int i = 0; i < 3; ++i) {
            WEFT_SCOPE("db.parse_row");
            spin_for(std::chrono::microseconds(rows));
        }
    }
    client::async_span_end(span);
    co_return rows;
}

Task<int> Service::rpc_call(int id, uint64_t parent_span, client::CancelToken token) {
    auto rng = rng_for(m_options.seed, id, 3);
    const uint64_t span = client::new_span_id();
    client::async_span_begin(span, parent_span, "rpc.inventory"); // begins on a worker...
    co_await m_loop.sleep(std::chrono::milliseconds(uniform(rng, 3, 20)));
    client::async_span_end(span); // ...and ends on the event loop
    token.throw_if_cancelled();
    co_await m_pool.schedule();
    {
        WEFT_SCOPE("rpc.decode");
        spin_for(std::chrono::microseconds(uniform(rng, 10, 60)));
    }
    co_return uniform(rng, 0, 100);
}

Task<int> Service::render(int id, int rows) {
    auto rng = rng_for(m_options.seed, id, 4);
    WEFT_SCOPE("render.template");
    for (int i = 0; i < 1 + rows / 20; ++i) {
        WEFT_SCOPE("render.escape");
        spin_for(std::chrono::microseconds(uniform(rng, 5, 25)));
    }
    co_return rows;
}

void Service::reload_config_blocking() {
    // A synchronous call made on the event loop: everything due on the loop waits behind it.
    WEFT_SCOPE("config.reload");
    WEFT_SCOPE("config.read_file");
    client::BlockingGuard guard(100ms);
    std::this_thread::sleep_for(130ms);
}

} // namespace weft::demo
