#pragma once
// The demo's executors: a small worker pool and a single-threaded event loop with timers. Both
// resume coroutine handles (weft::client::Task start_on / co_await schedule() / co_await sleep()).

#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

namespace weft::demo {

class ThreadPool {
public:
    explicit ThreadPool(int workers);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    void post(std::coroutine_handle<> handle);
    void stop(); // runs what is queued, then joins the workers

    struct Schedule {
        static constexpr const char* weft_awaitable_name = "pool.schedule";
        ThreadPool* pool;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) const { pool->post(h); }
        void await_resume() const noexcept {}
    };
    // co_await pool.schedule(): continue on a worker thread.
    Schedule schedule() { return {this}; }

private:
    void run(int index);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::coroutine_handle<>> m_queue;
    std::vector<std::thread> m_threads;
    bool m_stopping = false;
};

class EventLoop {
public:
    using Clock = std::chrono::steady_clock;

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    void post(std::coroutine_handle<> handle);
    void call_at(Clock::time_point due, std::function<void()> callback);
    void call_soon(std::function<void()> callback) { call_at(Clock::now(), std::move(callback)); }
    // Samples how late the loop runs a timer due every `interval` (weft loop_lag events) until stop().
    void start_lag_monitor(std::chrono::milliseconds interval);
    void stop();

    struct Sleep {
        static constexpr const char* weft_awaitable_name = "loop.sleep";
        EventLoop* loop;
        Clock::duration delay;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) const {
            loop->call_at(Clock::now() + delay, [h] { h.resume(); });
        }
        void await_resume() const noexcept {}
    };
    // co_await loop.sleep(d): resume on the loop thread after `d` (a timer / I/O completion stand-in).
    Sleep sleep(Clock::duration delay) { return {this, delay}; }

private:
    struct Timer {
        Clock::time_point due;
        uint64_t seq;
        std::function<void()> callback;
        bool operator>(const Timer& o) const { return due != o.due ? due > o.due : seq > o.seq; }
    };
    void run();
    void sample_lag(Clock::time_point due, std::chrono::milliseconds interval);

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::priority_queue<Timer, std::vector<Timer>, std::greater<>> m_timers;
    uint64_t m_seq = 0;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace weft::demo
