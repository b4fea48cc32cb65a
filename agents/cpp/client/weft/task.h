#pragma once
// C++20 coroutine tasks traced by weft_client. Declaring a coroutine as returning
// weft::client::Task<T> is the only line needed:
//
//   weft::client::Task<int> query(Db& db) {          // task_created (parent = running task)
//       co_await pool.schedule();                     // await point + a run slice per resumption
//       auto rows = co_await db.fetch("...");         // await point named after the awaitable type
//       co_return rows.size();                        // task_completed ok (error / cancelled on throw)
//   }
//
// Semantics:
// - A Task is lazy. `co_await std::move(task)` starts it inline and resumes the awaiter when it
//   completes; `spawn(executor, task)` starts it on an executor (anything with
//   `void post(std::coroutine_handle<>)`) and the returned Task can be awaited later to join it.
// - Every resumption of the coroutine is a run slice on the resuming thread: tasks that resume on
//   another thread are recorded as migrating. The thread's "current task" is the parent of tasks
//   created inside a slice.
// - Each co_await that suspends is an await point: the awaitable's name (its static member
//   `weft_awaitable_name`, a name given with named(awaitable, "name"), else its type) and the
//   source location of the co_await.
// - Outcome: return -> ok; a weft::client::Cancelled exception (CancelToken::throw_if_cancelled)
//   -> cancelled; any other exception -> error with what(). The exception still propagates to the
//   awaiter.
// - A started Task destroyed before completion detaches: the coroutine frees itself when done.

#include "weft/client.h"

#include <array>
#include <atomic>
#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace weft::client {

struct Cancelled : std::exception {
    const char* what() const noexcept override { return "cancelled"; }
};

// A shared cancellation flag: copies observe the same state.
class CancelToken {
public:
    CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { m_flag->store(true, std::memory_order_release); }
    bool cancelled() const { return m_flag->load(std::memory_order_acquire); }
    void throw_if_cancelled() const {
        if (cancelled()) throw Cancelled{};
    }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

template <class A>
struct NamedAwaitable {
    A&& awaitable;
    const char* name;
};
// Names an await point: co_await named(socket.read(), "socket.read").
template <class A>
NamedAwaitable<A> named(A&& awaitable, const char* name) {
    return {std::forward<A>(awaitable), name};
}

template <class T = void>
class Task;

namespace detail {

// The type's name as a static NUL-terminated string, computed at compile time.
template <class T>
constexpr std::string_view pretty_type() {
    return __PRETTY_FUNCTION__;
}
template <class T>
struct TypeName {
    static constexpr std::string_view full = pretty_type<T>();
    static constexpr size_t start = full.find("T = ") + 4;
    static constexpr size_t stop = full.find_first_of(";]", start);
    static constexpr size_t size = stop - start;
    static constexpr std::array<char, size + 1> text = [] {
        std::array<char, size + 1> a{};
        for (size_t i = 0; i < size; ++i) a[i] = full[start + i];
        return a;
    }();
};

template <class A>
const char* awaitable_name() {
    using Plain = std::remove_cvref_t<A>;
    if constexpr (requires { { Plain::weft_awaitable_name } -> std::convertible_to<const char*>; })
        return Plain::weft_awaitable_name;
    else
        return TypeName<Plain>::text.data();
}

template <class A>
decltype(auto) get_awaiter(A&& a) {
    if constexpr (requires { static_cast<A&&>(a).operator co_await(); })
        return static_cast<A&&>(a).operator co_await();
    else if constexpr (requires { operator co_await(static_cast<A&&>(a)); })
        return operator co_await(static_cast<A&&>(a));
    else
        return static_cast<A&&>(a);
}

template <class A>
struct IsNamed : std::false_type {};
template <class A>
struct IsNamed<NamedAwaitable<A>> : std::true_type {};

inline constexpr uintptr_t kStateDone = 1;
inline constexpr uintptr_t kStateDetached = 2;

class PromiseBase {
public:
    // Defaulted source_location: for the promise the compiler constructs, it names the coroutine.
    explicit PromiseBase(std::source_location where = std::source_location::current()) : m_where(where) {
        if (enabled()) {
            m_id = new_task_id();
            task_created(m_id, t_current_task, nullptr, where.function_name(), where);
        }
    }

    uint64_t id() const { return m_id; }
    const char* function_name() const { return m_where.function_name(); }

    void run_begin() {
        if (!m_id) return;
        m_previous = t_current_task;
        t_current_task = m_id;
        task_run_begin(m_id);
    }
    void run_end() {
        if (!m_id) return;
        task_run_end(m_id);
        t_current_task = m_previous;
    }

    void unhandled_exception() {
        m_exception = std::current_exception();
        try {
            std::rethrow_exception(m_exception);
        } catch (const Cancelled&) {
            m_outcome = Outcome::Cancelled;
        } catch (const std::exception& e) {
            m_outcome = Outcome::Error;
            m_message = e.what();
        } catch (...) {
            m_outcome = Outcome::Error;
            m_message = "unknown exception";
        }
    }

    struct InitialAwaiter {
        PromiseBase* promise;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<>) const noexcept {}
        void await_resume() const noexcept { promise->run_begin(); }
    };
    InitialAwaiter initial_suspend() noexcept { return {this}; }

    struct FinalAwaiter {
        bool await_ready() const noexcept { return false; }
        template <class P>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) const noexcept {
            PromiseBase& p = h.promise();
            if (p.m_id) {
                task_completed(p.m_id, p.m_outcome, p.m_message);
                p.run_end();
            }
            const uintptr_t old = p.m_state.exchange(kStateDone, std::memory_order_acq_rel);
            if (old == kStateDetached) {
                h.destroy();
                return std::noop_coroutine();
            }
            if (old > kStateDetached) return std::coroutine_handle<>::from_address(reinterpret_cast<void*>(old));
            return std::noop_coroutine();
        }
        void await_resume() const noexcept {}
    };
    FinalAwaiter final_suspend() noexcept { return {}; }

    // Wraps every co_await in the coroutine body into an await point.
    template <class Inner>
    struct TracedAwaiter {
        Inner inner;
        PromiseBase* promise;
        const char* name;
        std::source_location where;
        bool traced = false;

        bool await_ready() { return inner.await_ready(); }
        template <class P>
        auto await_suspend(std::coroutine_handle<P> h) {
            traced = promise->m_id != 0;
            if (traced) {
                await_begin(promise->m_id, name, where, promise->m_where.function_name());
                promise->run_end();
            }
            // From here on the coroutine may run (and finish) on another thread: touch nothing of ours.
            return inner.await_suspend(h);
        }
        decltype(auto) await_resume() {
            if (traced) {
                await_end(promise->m_id);
                promise->run_begin();
            }
            return inner.await_resume();
        }
    };

    template <class A>
    auto await_transform(A&& a, std::source_location where = std::source_location::current()) {
        if constexpr (IsNamed<std::remove_cvref_t<A>>::value) {
            using Awaitable = decltype(a.awaitable);
            using Inner = decltype(get_awaiter(std::forward<Awaitable>(a.awaitable)));
            return TracedAwaiter<Inner>{get_awaiter(std::forward<Awaitable>(a.awaitable)), this, a.name, where};
        } else {
            using Inner = decltype(get_awaiter(std::forward<A>(a)));
            return TracedAwaiter<Inner>{get_awaiter(std::forward<A>(a)), this, awaitable_name<A>(), where};
        }
    }

protected:
    void rethrow_if_failed() {
        if (m_exception) std::rethrow_exception(m_exception);
    }

    template <class>
    friend class weft::client::Task;

    std::atomic<uintptr_t> m_state{0}; // 0 running, kStateDone, kStateDetached, or the awaiter's handle
    bool m_started = false;
    uint64_t m_id = 0;
    uint64_t m_previous = 0;
    std::source_location m_where;
    Outcome m_outcome = Outcome::Ok;
    std::string m_message;
    std::exception_ptr m_exception;
};

template <class T>
class Promise : public PromiseBase {
public:
    explicit Promise(std::source_location where = std::source_location::current()) : PromiseBase(where) {}
    Task<T> get_return_object();
    template <class U>
    void return_value(U&& value) {
        m_value.emplace(std::forward<U>(value));
    }
    T take() {
        rethrow_if_failed();
        return std::move(*m_value);
    }

private:
    std::optional<T> m_value;
};

template <>
class Promise<void> : public PromiseBase {
public:
    explicit Promise(std::source_location where = std::source_location::current()) : PromiseBase(where) {}
    Task<void> get_return_object();
    void return_void() {}
    void take() { rethrow_if_failed(); }
};

} // namespace detail

template <class T>
class [[nodiscard]] Task {
public:
    using promise_type = detail::Promise<T>;
    using Handle = std::coroutine_handle<promise_type>;
    static constexpr const char* weft_awaitable_name = "task";

    Task() = default;
    explicit Task(Handle h) : m_handle(h) {}
    Task(Task&& other) noexcept : m_handle(std::exchange(other.m_handle, {})) {}
    Task& operator=(Task&& other) noexcept {
        if (this != &other) {
            release();
            m_handle = std::exchange(other.m_handle, {});
        }
        return *this;
    }
    ~Task() { release(); }

    bool valid() const { return static_cast<bool>(m_handle); }
    uint64_t id() const { return m_handle ? m_handle.promise().id() : 0; }
    bool done() const {
        return m_handle && m_handle.promise().m_state.load(std::memory_order_acquire) == detail::kStateDone;
    }

    // Starts the task on `executor` (its first run slice happens there).
    template <class Executor>
    void start_on(Executor& executor) {
        if (!m_handle || m_handle.promise().m_started) return;
        m_handle.promise().m_started = true;
        executor.post(std::coroutine_handle<>(m_handle));
    }

    struct Awaiter {
        Handle handle;
        bool await_ready() const noexcept {
            return handle.promise().m_state.load(std::memory_order_acquire) == detail::kStateDone;
        }
        std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) const noexcept {
            auto& p = handle.promise();
            const auto address = reinterpret_cast<uintptr_t>(awaiter.address());
            if (!p.m_started) {
                p.m_started = true;
                p.m_state.store(address, std::memory_order_release);
                return handle; // run it now, on this thread
            }
            uintptr_t expected = 0;
            if (p.m_state.compare_exchange_strong(expected, address, std::memory_order_acq_rel)) return std::noop_coroutine();
            return awaiter; // it finished meanwhile
        }
        T await_resume() const { return handle.promise().take(); }
    };
    Awaiter operator co_await() && { return Awaiter{m_handle}; }

private:
    void release() {
        if (!m_handle) return;
        auto& p = m_handle.promise();
        if (!p.m_started) {
            // Never ran: it is over before it began.
            if (p.m_id) task_completed(p.m_id, Outcome::Cancelled, "never started");
            m_handle.destroy();
        } else if (p.m_state.exchange(detail::kStateDetached, std::memory_order_acq_rel) == detail::kStateDone) {
            m_handle.destroy();
        }
        m_handle = {};
    }

    Handle m_handle;
};

namespace detail {
template <class T>
Task<T> Promise<T>::get_return_object() {
    return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Task<void> Promise<void>::get_return_object() {
    return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

// An untraced coroutine that lets a plain thread wait for a Task.
struct Waiter {
    struct promise_type {
        std::binary_semaphore* done = nullptr;
        Waiter get_return_object() { return Waiter{std::coroutine_handle<promise_type>::from_promise(*this)}; }
        std::suspend_always initial_suspend() noexcept { return {}; }
        struct Final {
            bool await_ready() const noexcept { return false; }
            void await_suspend(std::coroutine_handle<promise_type> h) const noexcept { h.promise().done->release(); }
            void await_resume() const noexcept {}
        };
        Final final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() { std::terminate(); } // the body catches everything
    };
    std::coroutine_handle<promise_type> handle;
};
} // namespace detail

// Starts `task` on `executor` and returns it, so that it can be awaited (joined) later.
template <class T, class Executor>
Task<T> spawn(Executor& executor, Task<T> task) {
    task.start_on(executor);
    return task;
}

// Runs `task` from a plain thread (main) and waits for it: it starts on the calling thread and
// usually moves to an executor at its first co_await. Rethrows the task's exception.
template <class T>
T block_on(Task<T> task) {
    std::binary_semaphore done{0};
    std::exception_ptr error;
    std::optional<std::conditional_t<std::is_void_v<T>, bool, T>> result;
    auto body = [](Task<T>& t, std::exception_ptr& e, auto& r) -> detail::Waiter {
        try {
            if constexpr (std::is_void_v<T>) {
                co_await std::move(t);
                r.emplace(true);
            } else {
                r.emplace(co_await std::move(t));
            }
        } catch (...) {
            e = std::current_exception();
        }
    };
    detail::Waiter waiter = body(task, error, result);
    waiter.handle.promise().done = &done;
    waiter.handle.resume();
    done.acquire();
    waiter.handle.destroy();
    if (error) std::rethrow_exception(error);
    if constexpr (!std::is_void_v<T>) return std::move(*result);
}

} // namespace weft::client
