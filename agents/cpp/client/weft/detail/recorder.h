#pragma once
// Hot-path internals of weft_client: the fixed-size raw event record and the per-thread cursor into
// the current buffer. Everything here is inline and touches only thread-local state and one global
// atomic, so recording an event takes no lock, allocates nothing and makes no system call.
//
// A raw event keeps pointers (static strings, std::source_location) as they are; only the writer
// thread turns them into block-local string and location ids.

#include <atomic>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <source_location>
#include <type_traits>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define WEFT_CLIENT_HAS_TSC 1
#else
#define WEFT_CLIENT_HAS_TSC 0
#endif

#ifndef WEFT_ENABLED
#define WEFT_ENABLED 1
#endif

// Initial-exec TLS: weft_client is linked into executables, and the default model for a PIC library
// would turn every thread-local access into a __tls_get_addr call.
#if defined(__GNUC__)
#define WEFT_TLS_FAST __attribute__((tls_model("initial-exec")))
#else
#define WEFT_TLS_FAST
#endif

namespace weft::client {

inline constexpr bool kEnabled = WEFT_ENABLED != 0;

namespace detail {

// std::source_location is one pointer to compiler-generated static data on GCC and Clang; it is
// stored by value in events and dereferenced only by the writer thread.
static_assert(std::is_trivially_copyable_v<std::source_location>);
static_assert(sizeof(std::source_location) <= sizeof(void*));

// Raw event kinds match format::EventKind; kind 0 marks a continuation slot that carries the
// trailing bytes of the previous event (frames of a blocking event, the text of an error message).
enum RawKind : uint8_t {
    kContinuation = 0,
    kThreadSpanBegin = 1,
    kThreadSpanEnd = 2,
    kAsyncSpanBegin = 3,
    kAsyncSpanEnd = 4,
    kTaskCreated = 5,
    kTaskRunBegin = 6,
    kTaskRunEnd = 7,
    kTaskCompleted = 8,
    kAwaitBegin = 9,
    kAwaitEnd = 10,
    kBlocking = 11,
    kLoopLag = 12,
    kEventsDropped = 13,
};

// One slot. Field use per kind:
//   thread_span_begin  loc, p1 = name
//   thread_span_end    loc
//   async_span_begin   a = span, b = parent span, loc, p1 = name
//   async_span_end     a = span
//   task_created       a = task, b = parent task, loc = spawn site, p1 = name, p2 = coro name
//   task_run_*         a = task
//   task_completed     a = task, outcome, extra = message bytes in continuation slots
//   await_begin        a = task, loc, p1 = awaitable, p2 = location name override
//   await_end          a = task
//   blocking           a = task, b = duration ticks, extra = frame count (Frame pairs follow)
//   loop_lag           b = lag ticks
//   events_dropped     b = count
struct RawEvent {
    int64_t ticks;
    uint64_t a;
    uint64_t b;
    std::source_location loc;
    const char* p1;
    const char* p2;
    uint8_t kind;
    uint8_t outcome;
    uint16_t extra;
    uint32_t continuation_slots;
};
static_assert(sizeof(RawEvent) == 56);
static_assert(std::is_trivially_copyable_v<RawEvent>);

// A code location as a frame of a blocking event or an entry of the thread's scope stack.
struct RawFrame {
    std::source_location loc;
    const char* name = nullptr;
};

// One buffer of slots. The owning thread appends and publishes `committed`; the writer thread reads
// slots below `committed` and remembers in `flushed` how far it has encoded.
struct Buffer {
    std::atomic<RawEvent*> committed{nullptr};
    RawEvent* flushed = nullptr; // writer thread only
    RawEvent* begin = nullptr;
    RawEvent* end = nullptr;
    void* stream = nullptr;      // the ThreadStream it belongs to while in use
    Buffer* next_free = nullptr; // pool link
};

// Non-zero while recording: the number of the current session (init() starts a new one).
extern std::atomic<uint32_t> g_session;
// Which clock ticks come from, decided by init(): TSC when invariant, else CLOCK_MONOTONIC ns.
extern bool g_use_tsc;

extern thread_local RawEvent* t_cursor WEFT_TLS_FAST;
extern thread_local RawEvent* t_end WEFT_TLS_FAST;
extern thread_local Buffer* t_buffer WEFT_TLS_FAST;
extern thread_local uint32_t t_session WEFT_TLS_FAST;

// The per-thread stack of open WEFT_SCOPE scopes, read as the frames of a blocking event.
inline constexpr int kMaxScopeDepth = 32;
extern thread_local RawFrame t_scopes[kMaxScopeDepth] WEFT_TLS_FAST;
extern thread_local int t_scope_depth WEFT_TLS_FAST;

// The traced task running on this thread (0: none), the parent of tasks created here.
extern thread_local uint64_t t_current_task WEFT_TLS_FAST;

// Slow path: registers the thread with the session, or swaps a full buffer for a fresh one.
// Returns `slots` consecutive free slots, or nullptr when the event must be dropped (counted).
RawEvent* refill(uint32_t slots);

inline int64_t read_ticks() {
#if WEFT_CLIENT_HAS_TSC
    if (g_use_tsc) return static_cast<int64_t>(__rdtsc());
#endif
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Reserves `slots` slots for one event; nullptr when not recording or dropped.
inline RawEvent* reserve(uint32_t slots) {
    const uint32_t session = g_session.load(std::memory_order_relaxed);
    if (session == 0) return nullptr;
    RawEvent* e = t_cursor;
    if (session != t_session || static_cast<uint32_t>(t_end - e) < slots) [[unlikely]] {
        e = refill(slots);
        if (!e) return nullptr;
    }
    return e;
}

inline void commit(RawEvent* next) {
    t_cursor = next;
    t_buffer->committed.store(next, std::memory_order_release);
}

inline void emit(uint8_t kind, uint64_t a, uint64_t b, std::source_location loc = {},
                 const char* p1 = nullptr, const char* p2 = nullptr, uint8_t outcome = 0) {
    if constexpr (!kEnabled) return;
    RawEvent* e = reserve(1);
    if (!e) return;
    e->ticks = read_ticks();
    e->a = a;
    e->b = b;
    e->loc = loc;
    e->p1 = p1;
    e->p2 = p2;
    e->kind = kind;
    e->outcome = outcome;
    e->extra = 0;
    e->continuation_slots = 0;
    commit(e + 1);
}

// Cold events that carry bytes (frames, message text) in continuation slots after the event.
void emit_with_bytes(uint8_t kind, uint64_t a, uint64_t b, uint8_t outcome, uint16_t extra,
                     const void* bytes, size_t size, int64_t ticks);

} // namespace detail
} // namespace weft::client
