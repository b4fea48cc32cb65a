// The session lifecycle (init / shutdown / enable) and the recording slow path: registering a
// thread, swapping a full buffer for a fresh one, counting drops, flushing at thread exit.

#include "weft/client.h"
#include "weft/detail/live_sink.h"
#include "weft/detail/session.h"

#include "format/uuid.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace weft::client {
namespace detail {

std::atomic<uint32_t> g_session{0};
bool g_use_tsc = false;

thread_local RawEvent* t_cursor WEFT_TLS_FAST = nullptr;
thread_local RawEvent* t_end WEFT_TLS_FAST = nullptr;
thread_local Buffer* t_buffer WEFT_TLS_FAST = nullptr;
thread_local uint32_t t_session WEFT_TLS_FAST = 0;
thread_local RawFrame t_scopes[kMaxScopeDepth] WEFT_TLS_FAST;
thread_local int t_scope_depth WEFT_TLS_FAST = 0;
thread_local uint64_t t_current_task WEFT_TLS_FAST = 0;

// refill() that may leave the failed attempt out of the drop count (for the exit-time marker).
RawEvent* refill_counting(uint32_t slots, bool count_drop);

namespace {

std::mutex g_lifecycle;                 // init / shutdown / stats
std::atomic<Session*> g_current{nullptr};
// A stopped session is kept until the next init(): a thread racing with shutdown() may still hold
// its pointers for the length of one event.
std::unique_ptr<Session> g_retired;
uint32_t g_generation = 0;              // last session number handed out
uint32_t g_active_generation = 0;       // the running session's number, for set_enabled()
uint64_t g_tick_frequency = 1'000'000'000u;
Stats g_last_stats;
LiveSink* g_live = nullptr;             // the running session's live sink, if serving

Stats with_live_stats(Stats stats) {
    if (!g_live) return stats;
    const auto server = g_live->server_stats();
    stats.listen_address = g_live->address();
    stats.live_attachments = server.attachments;
    stats.live_refused = server.refused;
    stats.live_blocks_dropped = server.blocks_dropped;
    stats.live_attached = server.attached;
    return stats;
}
std::atomic<uint64_t> g_next_task_id{1};
std::atomic<uint64_t> g_next_span_id{1};
thread_local bool t_exited WEFT_TLS_FAST = false;

// Per-thread state that needs a destructor: flushing at thread exit, and the thread's name and tags.
struct ThreadState {
    std::string name;
    std::vector<std::string> tags;
    ThreadStream* stream = nullptr;
    Session* session = nullptr;
    uint64_t dropped = 0;

    ~ThreadState() {
        // Events dropped since the last buffer swap are reported in a marker, which needs a fresh
        // buffer: wait a little for the writer to return one (only a thread that is exiting waits).
        for (int i = 0; dropped && i < 200 && g_current.load(std::memory_order_acquire) == session; ++i) {
            if (refill_counting(1, false)) break;
            std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
        t_exited = true;
        if (stream && t_session != 0 && g_current.load(std::memory_order_acquire) == session)
            session->thread_exit(stream, t_buffer);
        stream = nullptr;
        t_session = 0;
        t_buffer = nullptr;
        t_cursor = t_end = nullptr;
    }
};
thread_local ThreadState t_state;

size_t env_size(const char* name, size_t fallback) {
    const char* v = std::getenv(name);
    if (!v || !*v) return fallback;
    char* end = nullptr;
    const unsigned long long n = std::strtoull(v, &end, 10);
    return end && *end == '\0' && n > 0 ? static_cast<size_t>(n) : fallback;
}

} // namespace

Session* current_session() { return g_current.load(std::memory_order_acquire); }

RawEvent* refill(uint32_t slots) { return refill_counting(slots, true); }

RawEvent* refill_counting(uint32_t slots, bool count_drop) {
    const uint32_t number = g_session.load(std::memory_order_acquire);
    Session* session = g_current.load(std::memory_order_acquire);
    if (number == 0 || !session || t_exited) return nullptr;
    ThreadState& ts = t_state;
    if (t_session != number) {
        // First event of this thread in this session (buffers of an older session are not touched).
        t_buffer = nullptr;
        t_cursor = t_end = nullptr;
        ts.dropped = 0;
        ts.session = session;
        ts.stream = session->register_thread(ts.name, ts.tags);
        if (!ts.stream) return nullptr;
        t_session = number;
    }
    if (slots + 1 > session->buffer_events()) return nullptr;
    if (ts.dropped && session->pool_empty()) {
        ts.dropped += count_drop;
        return nullptr;
    }
    Buffer* fresh = session->take_buffer();
    if (!fresh) {
        ts.dropped += count_drop;
        return nullptr;
    }
    session->hand_off(ts.stream, t_buffer, fresh);
    t_buffer = fresh;
    t_cursor = fresh->begin;
    t_end = fresh->end;
    if (ts.dropped) {
        RawEvent* e = t_cursor;
        *e = RawEvent{read_ticks(), 0, ts.dropped, {}, nullptr, nullptr, kEventsDropped, 0, 0, 0};
        ts.dropped = 0;
        commit(e + 1);
    }
    return t_cursor;
}

void emit_with_bytes(uint8_t kind, uint64_t a, uint64_t b, uint8_t outcome, uint16_t extra,
                     const void* bytes, size_t size, int64_t ticks) {
    if constexpr (!kEnabled) return;
    const uint32_t more = static_cast<uint32_t>((size + sizeof(RawEvent) - 1) / sizeof(RawEvent));
    RawEvent* e = reserve(1 + more);
    if (!e) return;
    *e = RawEvent{ticks, a, b, {}, nullptr, nullptr, kind, outcome, extra, more};
    if (size) std::memcpy(static_cast<void*>(e + 1), bytes, size);
    commit(e + 1 + more);
}

} // namespace detail

using namespace detail;

bool init(Options options) {
    if constexpr (!kEnabled) return false;
    std::lock_guard lock(g_lifecycle);
    if (g_current.load()) return false;
    if (const char* off = std::getenv("WEFT_DISABLE"); off && std::strcmp(off, "1") == 0) return false;

    options.buffer_events = env_size("WEFT_BUFFER_EVENTS", options.buffer_events);
    options.buffer_count = env_size("WEFT_BUFFERS", options.buffer_count);

    const char* clock = std::getenv("WEFT_CLOCK");
    bool use_tsc = WEFT_CLIENT_HAS_TSC && !(clock && std::strcmp(clock, "monotonic") == 0) && tsc_usable();
    uint64_t frequency = calibrate_clock(use_tsc);
    if (frequency == 0) {
        use_tsc = false;
        frequency = calibrate_clock(false);
    }

    std::string error;
    SinkSetup sinks = open_sinks(options, error);
    if (!sinks.sink) return false;
    // A viewer should see what a thread recorded within ~100 ms, even for a thread that records
    // too little to fill a buffer.
    if (sinks.live && options.live_flush_interval.count() > 0)
        options.flush_interval = std::min(options.flush_interval, options.live_flush_interval);

    g_retired.reset();
    g_use_tsc = use_tsc;
    g_tick_frequency = frequency;

    format::ProcessInfo process;
    process.process_id = format::make_random_uuid();
    process.exe = executable_path();
    process.pid = static_cast<uint64_t>(getpid());
    process.hostname = host_name();
    process.tick_frequency = frequency;
    process.start_time_ns = unix_time_ns();
    process.start_ticks = now_ticks();
    process.properties = {{"language", "c++"}, {"agent", "weft_client"}, {"agent_version", "0.1.0"},
                          {"clock", use_tsc ? "tsc" : "monotonic"}};
    for (auto& [k, v] : options.properties) process.properties[k] = v;

    auto session = std::make_unique<Session>(std::move(options), std::move(sinks.sink), std::move(process));
    session->start();
    g_live = sinks.live;
    g_current.store(session.release(), std::memory_order_release);
    g_generation = g_generation == UINT32_MAX ? 1 : g_generation + 1;
    g_active_generation = g_generation;
    g_session.store(g_generation, std::memory_order_release);

    static bool registered = false;
    if (!registered) {
        registered = true;
        std::atexit([] { shutdown(); });
    }
    return true;
}

void shutdown() {
    std::lock_guard lock(g_lifecycle);
    Session* session = g_current.load();
    if (!session) return;
    g_session.store(0, std::memory_order_release);
    g_current.store(nullptr, std::memory_order_release);
    g_active_generation = 0;
    session->stop();
    g_last_stats = with_live_stats(session->stats());
    g_live = nullptr;
    g_retired.reset(session);
}

void set_enabled(bool on) {
    std::lock_guard lock(g_lifecycle);
    if (!g_current.load()) return;
    g_session.store(on ? g_active_generation : 0, std::memory_order_release);
}

Stats stats() {
    std::lock_guard lock(g_lifecycle);
    if (Session* s = g_current.load()) return with_live_stats(s->stats());
    return g_last_stats;
}

uint64_t tick_frequency() { return g_tick_frequency; }

int64_t ticks_from(std::chrono::nanoseconds duration) {
    // Split so that neither product overflows for any frequency below ~9 GHz.
    const int64_t ns = duration.count();
    const auto f = static_cast<int64_t>(g_tick_frequency);
    return ns / 1'000'000'000 * f + ns % 1'000'000'000 * f / 1'000'000'000;
}

void set_thread_name(std::string_view name, std::initializer_list<std::string_view> tags) {
    ThreadState& ts = t_state;
    ts.name = std::string(name);
    ts.tags.clear();
    for (auto t : tags) ts.tags.emplace_back(t);
    if (ts.stream && t_session != 0 && t_session == g_session.load() && ts.session == g_current.load()) {
        std::lock_guard lock(ts.stream->meta_mutex);
        ts.stream->name = ts.name;
        for (const auto& t : ts.tags)
            if (std::find(ts.stream->tags.begin(), ts.stream->tags.end(), t) == ts.stream->tags.end())
                ts.stream->tags.push_back(t);
    }
}

uint64_t new_task_id() { return g_next_task_id.fetch_add(1, std::memory_order_relaxed); }
uint64_t new_span_id() { return g_next_span_id.fetch_add(1, std::memory_order_relaxed); }

void task_completed(uint64_t task, Outcome outcome, std::string_view message) {
    constexpr size_t kMaxMessage = 4 * sizeof(RawEvent);
    const size_t size = std::min(message.size(), kMaxMessage);
    emit_with_bytes(kTaskCompleted, task, 0, static_cast<uint8_t>(outcome), static_cast<uint16_t>(size),
                    message.data(), size, now_ticks());
}

namespace {
constexpr size_t kMaxFrames = 16;
}

void blocking(int64_t duration_ticks, std::span<const Frame> frames, uint64_t task) {
    if constexpr (!kEnabled) return;
    detail::RawFrame raw[kMaxFrames];
    const size_t n = std::min(frames.size(), kMaxFrames);
    for (size_t i = 0; i < n; ++i) raw[i] = {frames[i].where, frames[i].name};
    emit_with_bytes(kBlocking, task, static_cast<uint64_t>(duration_ticks), 0, static_cast<uint16_t>(n), raw,
                    n * sizeof(detail::RawFrame), now_ticks());
}

void blocking(int64_t duration_ticks) {
    if constexpr (!kEnabled) return;
    Frame frames[kMaxFrames];
    const int depth = std::min(t_scope_depth, kMaxScopeDepth);
    size_t n = 0;
    for (int i = depth - 1; i >= 0 && n < kMaxFrames; --i) frames[n++] = {t_scopes[i].name, t_scopes[i].loc};
    blocking(duration_ticks, std::span<const Frame>(frames, n), t_current_task);
}

} // namespace weft::client
