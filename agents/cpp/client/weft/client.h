#pragma once
// weft_client: record what an async C++ program does into a Weft trace (docs/user-guide/cpp-client.md).
//
//   weft::client::init({.output = "app.weft"});   // or env WEFT_OUTPUT; shutdown() runs at exit
//   weft::client::set_thread_name("io-loop", {"event-loop"});
//   { WEFT_SCOPE("parse"); ... }                  // a thread span
//
// Recording functions are safe to call from any thread at any time, before init() and after
// shutdown() too (they do nothing then). They never lock, allocate or block; when the buffer pool is
// exhausted the event is dropped and the loss is reported in the trace as events_dropped.
//
// Strings passed as `const char*` are kept by pointer until the writer thread encodes them: they must
// be static (string literals) or outlive the session. Messages of completed tasks are copied.
// Compile with WEFT_ENABLED=0 to turn every call and macro into nothing.

#include "weft/detail/recorder.h"
#include "weft/sink.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <source_location>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace weft::client {

struct Options {
    // Where the trace goes when no sink is given: this path, else env WEFT_OUTPUT, else
    // "<program>-<pid>.weft" in the working directory.
    std::string output;
    std::unique_ptr<Sink> sink;                   // overrides `output`
    size_t buffer_events = 4096;                  // slots per thread buffer (env WEFT_BUFFER_EVENTS)
    size_t buffer_count = 64;                     // buffers in the pool (env WEFT_BUFFERS)
    std::chrono::milliseconds flush_interval{100}; // how often partial buffers are written out
    int zstd_level = format::kDefaultZstdLevel; // block payload compression (format/records.h says why)
    std::map<std::string, std::string> properties; // added to the process info
    // Serve the trace live to a viewer (docs/user-guide/live.md): "unix", "unix:PATH",
    // "tcp:127.0.0.1:PORT" or "off". Empty: env WEFT_LISTEN, else off. When serving and neither
    // `output`, `sink` nor WEFT_OUTPUT is given, no file is written.
    std::string listen;
    // Bytes of recent blocks kept for the next viewer; 0: env WEFT_FLIGHT_RECORDER_MB, else 64 MiB.
    size_t flight_recorder_bytes = 0;
    // While serving live, partial buffers are flushed at least this often (so that what a thread
    // records reaches an attached viewer within ~100 ms), whatever flush_interval says.
    std::chrono::milliseconds live_flush_interval{25};
};

// Starts a session: probes the process, calibrates the clock, opens the sink, starts the writer
// thread and registers shutdown() with atexit. Returns false (and records nothing) if the output
// cannot be opened, if env WEFT_DISABLE=1, or if a session is already running.
bool init(Options options = {});
// Whether init(options) would serve live: Options::listen, else env WEFT_LISTEN, is set and not "off".
bool serves_live(const Options& options);
// Stops recording, writes everything recorded so far from every thread, closes the sink. Idempotent.
void shutdown();

// Run-time switch; recording costs one predictable branch while off.
void set_enabled(bool on);
inline bool enabled() { return kEnabled && detail::g_session.load(std::memory_order_relaxed) != 0; }

// What the writer encoded, per format::EventKind (index = kind, 1..13). Valid during and after a session.
struct Stats {
    uint64_t events_by_kind[14] = {};
    uint64_t events = 0;
    uint64_t dropped = 0;   // events lost to buffer exhaustion
    uint64_t blocks = 0;
    uint64_t bytes = 0;     // framed bytes handed to the sink
    uint64_t streams = 0;
    uint64_t tick_frequency = 0;
    bool sink_failed = false;

    // Per thread stream, in the order their first block was written.
    struct Stream {
        std::string name;
        uint64_t thread_id = 0;
        uint64_t events = 0;  // encoded, events_dropped markers included
        uint64_t dropped = 0; // reported by this stream's events_dropped markers
    };
    std::vector<Stream> per_stream;

    // Live serving (all zero/empty when not listening).
    std::string listen_address;      // "unix:/run/user/1000/weft/42.sock", "tcp:127.0.0.1:7878"
    uint64_t live_attachments = 0;   // viewers accepted so far
    uint64_t live_refused = 0;       // peers refused (bad handshake, token, user, busy)
    uint64_t live_blocks_dropped = 0; // evicted from the flight recorder before the viewer got them
    bool live_attached = false;
};
Stats stats();

// Ticks of the session's clock and their rate: use them to measure durations for blocking().
inline int64_t now_ticks() { return detail::read_ticks(); }
uint64_t tick_frequency();
int64_t ticks_from(std::chrono::nanoseconds duration);

// Names the calling thread's stream and tags it ("event-loop", "worker"; "thread" is always added).
// Best called before the thread records its first events: the name goes out with its first block.
void set_thread_name(std::string_view name, std::initializer_list<std::string_view> tags = {});

// Fresh process-wide ids, both counting from 1.
uint64_t new_task_id();
uint64_t new_span_id();

// The traced task running on this thread (0 if none).
inline uint64_t current_task() { return detail::t_current_task; }

// ---- tasks -------------------------------------------------------------------------------------

inline void task_created(uint64_t task, uint64_t parent, const char* name, const char* coro_name = nullptr,
                         std::source_location spawn = std::source_location::current()) {
    detail::emit(detail::kTaskCreated, task, parent, spawn, name, coro_name);
}
inline void task_run_begin(uint64_t task) { detail::emit(detail::kTaskRunBegin, task, 0); }
inline void task_run_end(uint64_t task) { detail::emit(detail::kTaskRunEnd, task, 0); }

using Outcome = format::Outcome; // Ok, Cancelled, Error
// `message` is copied (up to a few hundred bytes).
void task_completed(uint64_t task, Outcome outcome, std::string_view message = {});

inline void await_begin(uint64_t task, const char* awaitable,
                        std::source_location where = std::source_location::current(),
                        const char* where_name = nullptr) {
    detail::emit(detail::kAwaitBegin, task, 0, where, awaitable, where_name);
}
inline void await_end(uint64_t task) { detail::emit(detail::kAwaitEnd, task, 0); }

// ---- async spans: begin and end may be on different threads -------------------------------------

inline void async_span_begin(uint64_t span, uint64_t parent_span, const char* name,
                             std::source_location where = std::source_location::current()) {
    detail::emit(detail::kAsyncSpanBegin, span, parent_span, where, name);
}
inline void async_span_end(uint64_t span) { detail::emit(detail::kAsyncSpanEnd, span, 0); }

// ---- thread spans -------------------------------------------------------------------------------

// RAII scope behind WEFT_SCOPE: a thread span from construction to destruction, also pushed on the
// thread's scope stack so blocking() can report where the thread was.
class Scope {
public:
    Scope(const char* name, std::source_location where) {
        if constexpr (kEnabled) {
            if (detail::g_session.load(std::memory_order_relaxed) == 0) return;
            m_where = where;
            m_name = name;
            m_active = true;
            detail::emit(detail::kThreadSpanBegin, 0, 0, where, name);
            if (detail::t_scope_depth < detail::kMaxScopeDepth)
                detail::t_scopes[detail::t_scope_depth] = {where, name};
            ++detail::t_scope_depth;
        }
    }
    ~Scope() {
        if constexpr (kEnabled) {
            if (!m_active) return;
            --detail::t_scope_depth;
            detail::emit(detail::kThreadSpanEnd, 0, 0, m_where, m_name);
        }
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

private:
    std::source_location m_where;
    const char* m_name = nullptr;
    bool m_active = false;
};

// ---- blocking and lag ---------------------------------------------------------------------------

struct Frame {
    const char* name = nullptr; // null: the location's function name
    std::source_location where;
};

// The thread was blocked for `duration_ticks` up to now. Frames default to the thread's open
// WEFT_SCOPE scopes, innermost first; `task` defaults to the running traced task.
void blocking(int64_t duration_ticks);
void blocking(int64_t duration_ticks, std::span<const Frame> frames, uint64_t task);

// Reports the enclosing code as blocking if it took at least `threshold`; frames are the scopes
// open when the guard is destroyed (so place it inside the scopes that describe the call).
class BlockingGuard {
public:
    explicit BlockingGuard(std::chrono::nanoseconds threshold = std::chrono::milliseconds(50))
        : m_threshold(threshold), m_start(now_ticks()) {}
    ~BlockingGuard() {
        if constexpr (kEnabled) {
            if (!enabled()) return;
            const int64_t d = now_ticks() - m_start;
            if (d >= ticks_from(m_threshold)) blocking(d);
        }
    }
    BlockingGuard(const BlockingGuard&) = delete;
    BlockingGuard& operator=(const BlockingGuard&) = delete;

private:
    std::chrono::nanoseconds m_threshold;
    int64_t m_start;
};

// An event-loop lag sample: a callback due now ran `lag_ticks` late.
inline void loop_lag(int64_t lag_ticks) {
    detail::emit(detail::kLoopLag, 0, static_cast<uint64_t>(lag_ticks));
}

} // namespace weft::client

#define WEFT_CONCAT_INNER(a, b) a##b
#define WEFT_CONCAT(a, b) WEFT_CONCAT_INNER(a, b)

#if WEFT_ENABLED
// A thread span named `name` (a string literal) over the rest of the enclosing block.
#define WEFT_SCOPE(name) \
    ::weft::client::Scope WEFT_CONCAT(weft_scope_, __LINE__)((name), std::source_location::current())
// A thread span named after the enclosing function.
#define WEFT_FUNCTION_SCOPE() \
    ::weft::client::Scope WEFT_CONCAT(weft_scope_, __LINE__)(nullptr, std::source_location::current())
#else
#define WEFT_SCOPE(name) static_cast<void>(0)
#define WEFT_FUNCTION_SCOPE() static_cast<void>(0)
#endif
