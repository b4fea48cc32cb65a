#pragma once
// Helpers for weft_client tests: a temporary trace path, loading it into a model, counting events.

#include "model/model_builder.h"
#include "weft/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <coroutine>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace weft::client_test {

inline std::string temp_trace_path(const std::string& stem) {
    static std::atomic<int> counter{0};
    const auto dir = std::filesystem::temp_directory_path();
    return (dir / ("weft-client-" + stem + "-" + std::to_string(getpid()) + "-" +
                   std::to_string(counter.fetch_add(1)) + ".weft"))
        .string();
}

// Removes the file when the test ends.
struct TempTrace {
    std::string path;
    explicit TempTrace(const std::string& stem) : path(temp_trace_path(stem)) {}
    ~TempTrace() { std::remove(path.c_str()); }
};

inline bool start_session(const std::string& path, size_t buffer_events = 4096, size_t buffer_count = 64) {
    client::Options options;
    options.output = path;
    options.buffer_events = buffer_events;
    options.buffer_count = buffer_count;
    options.flush_interval = std::chrono::milliseconds(20);
    return client::init(std::move(options));
}

inline std::shared_ptr<const Model> load(const std::string& path) {
    format::ReadReport report;
    auto model = load_trace(path, report);
    EXPECT_FALSE(report.fatal) << path;
    EXPECT_TRUE(report.errors.empty()) << (report.errors.empty() ? "" : report.errors.front().reason);
    return model;
}

inline size_t count_state(const Model& m, TaskState state) {
    size_t n = 0;
    for (const Task& t : m.tasks) n += t.state == state;
    return n;
}

// A two-thread executor for coroutine tests.
class TestPool {
public:
    explicit TestPool(int threads) {
        for (int i = 0; i < threads; ++i)
            m_threads.emplace_back([this, i] {
                client::set_thread_name("test-worker-" + std::to_string(i), {"worker"});
                for (;;) {
                    std::coroutine_handle<> h;
                    {
                        std::unique_lock lock(m_mutex);
                        m_wake.wait(lock, [&] { return m_stop || !m_queue.empty(); });
                        if (m_queue.empty()) return;
                        h = m_queue.front();
                        m_queue.pop_front();
                    }
                    h.resume();
                }
            });
    }
    ~TestPool() { stop(); }
    void post(std::coroutine_handle<> h) {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(h);
        }
        m_wake.notify_one();
    }
    void stop() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_all();
        for (auto& t : m_threads)
            if (t.joinable()) t.join();
    }
    struct Schedule {
        static constexpr const char* weft_awaitable_name = "test.schedule";
        TestPool* pool;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) const { pool->post(h); }
        void await_resume() const noexcept {}
    };
    Schedule schedule() { return {this}; }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::coroutine_handle<>> m_queue;
    std::vector<std::thread> m_threads;
    bool m_stop = false;
};

} // namespace weft::client_test
