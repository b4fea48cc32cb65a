#include "executors.h"

#include "weft/client.h"

namespace weft::demo {

ThreadPool::ThreadPool(int workers) {
    for (int i = 0; i < workers; ++i) m_threads.emplace_back([this, i] { run(i); });
}

ThreadPool::~ThreadPool() { stop(); }

void ThreadPool::post(std::coroutine_handle<> handle) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(handle);
    }
    m_wake.notify_one();
}

void ThreadPool::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& t : m_threads)
        if (t.joinable()) t.join();
}

void ThreadPool::run(int index) {
    const std::string name = "worker-" + std::to_string(index);
    client::set_thread_name(name, {"worker"});
    for (;;) {
        std::coroutine_handle<> next;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) return;
            next = m_queue.front();
            m_queue.pop_front();
        }
        next.resume();
    }
}

EventLoop::EventLoop() : m_thread([this] { run(); }) {}

EventLoop::~EventLoop() { stop(); }

void EventLoop::post(std::coroutine_handle<> handle) {
    call_soon([handle] { handle.resume(); });
}

void EventLoop::call_at(Clock::time_point due, std::function<void()> callback) {
    {
        std::lock_guard lock(m_mutex);
        m_timers.push(Timer{due, m_seq++, std::move(callback)});
    }
    m_wake.notify_one();
}

void EventLoop::start_lag_monitor(std::chrono::milliseconds interval) {
    const auto due = Clock::now() + interval;
    call_at(due, [this, due, interval] { sample_lag(due, interval); });
}

void EventLoop::sample_lag(Clock::time_point due, std::chrono::milliseconds interval) {
    // How late this callback runs is how long anything else ready now would have waited.
    const auto now = Clock::now();
    client::loop_lag(client::ticks_from(now - due));
    const auto next = now + interval;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return;
    }
    call_at(next, [this, next, interval] { sample_lag(next, interval); });
}

void EventLoop::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
}

void EventLoop::run() {
    client::set_thread_name("event-loop", {"event-loop"});
    for (;;) {
        std::function<void()> callback;
        {
            std::unique_lock lock(m_mutex);
            for (;;) {
                if (m_stopping) return;
                if (!m_timers.empty() && m_timers.top().due <= Clock::now()) break;
                if (m_timers.empty()) {
                    m_wake.wait(lock);
                } else {
                    // A copy: wait_until keeps reading its deadline while the lock is released, and
                    // another thread's call_at may reallocate the queue meanwhile.
                    const Clock::time_point due = m_timers.top().due;
                    m_wake.wait_until(lock, due);
                }
            }
            callback = std::move(const_cast<Timer&>(m_timers.top()).callback);
            m_timers.pop();
        }
        WEFT_SCOPE("loop.dispatch");
        callback();
    }
}

} // namespace weft::demo
