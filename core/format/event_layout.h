#pragma once
// Where each wire field of an event lands in format::Event (docs/FORMAT.md, "Events"): one table
// shared by the encoder and the decoder so that the two cannot disagree, and the dispatch on kinds.

#include "format/records.h"

#include <cstdint>
#include <type_traits>

namespace weft::format::detail {

// Number: any CBOR number (uint, negative int, float), stored as a double's bits in id2.
enum class Slot : uint8_t { Id, Id2, Id3, Ref1, Ref2, Ref3, Outcome, Frames, Number };

inline constexpr size_t kMaxEventFields = 6;

struct EventLayout {
    uint8_t count = 0; // fields after dt
    Slot slots[kMaxEventFields]{};
};

// Indexed by the event kind; entry 0 is unused (kind 0 is not an event).
inline constexpr EventLayout kEventLayouts[kMaxKnownEventKind + 1] = {
    {0, {}},
    {3, {Slot::Ref1, Slot::Ref2, Slot::Ref3}},                      // thread_span_begin
    {1, {Slot::Ref1}},                                              // thread_span_end
    {6, {Slot::Id, Slot::Id2, Slot::Ref1, Slot::Ref2, Slot::Ref3, Slot::Id3}}, // async_span_begin
    {1, {Slot::Id}},                                                // async_span_end
    {5, {Slot::Id, Slot::Id2, Slot::Ref1, Slot::Ref2, Slot::Ref3}}, // task_created
    {1, {Slot::Id}},                                                // task_run_begin
    {1, {Slot::Id}},                                                // task_run_end
    {3, {Slot::Id, Slot::Outcome, Slot::Ref1}},                     // task_completed
    {3, {Slot::Id, Slot::Ref1, Slot::Ref2}},                        // await_begin
    {1, {Slot::Id}},                                                // await_end
    {3, {Slot::Id2, Slot::Id, Slot::Frames}},                       // blocking
    {1, {Slot::Id2}},                                               // loop_lag
    {1, {Slot::Id2}},                                               // events_dropped
    {5, {Slot::Id, Slot::Outcome, Slot::Ref1, Slot::Ref2, Slot::Id2}}, // flow
    {3, {Slot::Ref1, Slot::Outcome, Slot::Ref2}},                   // instant
    {3, {Slot::Ref1, Slot::Ref2, Slot::Number}},                    // counter
    {3, {Slot::Frames, Slot::Ref1, Slot::Id2}},                     // sample
    {2, {Slot::Ref1, Slot::Id2}},                                   // diagnostic
};

// Calls f(std::integral_constant<EventKind, K>{}) for the known kind K that `kind` is, so that f
// can select code for it at compile time; `unknown()` for any other value. The one place that lists
// every kind for such dispatch (the decoder's fast path, the builder's ingestion).
template <class F, class Unknown>
[[gnu::always_inline]] inline decltype(auto) with_event_kind(uint8_t kind, F&& f, Unknown&& unknown) {
    using K = EventKind;
    switch (static_cast<K>(kind)) {
    case K::ThreadSpanBegin: return f(std::integral_constant<K, K::ThreadSpanBegin>{});
    case K::ThreadSpanEnd: return f(std::integral_constant<K, K::ThreadSpanEnd>{});
    case K::AsyncSpanBegin: return f(std::integral_constant<K, K::AsyncSpanBegin>{});
    case K::AsyncSpanEnd: return f(std::integral_constant<K, K::AsyncSpanEnd>{});
    case K::TaskCreated: return f(std::integral_constant<K, K::TaskCreated>{});
    case K::TaskRunBegin: return f(std::integral_constant<K, K::TaskRunBegin>{});
    case K::TaskRunEnd: return f(std::integral_constant<K, K::TaskRunEnd>{});
    case K::TaskCompleted: return f(std::integral_constant<K, K::TaskCompleted>{});
    case K::AwaitBegin: return f(std::integral_constant<K, K::AwaitBegin>{});
    case K::AwaitEnd: return f(std::integral_constant<K, K::AwaitEnd>{});
    case K::Blocking: return f(std::integral_constant<K, K::Blocking>{});
    case K::LoopLag: return f(std::integral_constant<K, K::LoopLag>{});
    case K::EventsDropped: return f(std::integral_constant<K, K::EventsDropped>{});
    case K::Flow: return f(std::integral_constant<K, K::Flow>{});
    case K::Instant: return f(std::integral_constant<K, K::Instant>{});
    case K::Counter: return f(std::integral_constant<K, K::Counter>{});
    case K::Sample: return f(std::integral_constant<K, K::Sample>{});
    case K::Diagnostic: return f(std::integral_constant<K, K::Diagnostic>{});
    }
    return unknown();
}

// What each of an event's ref1, ref2 and ref3 holds, by kind: a block string id, a block location
// id, or a plain number (a flow's depth). For code that moves events between blocks.
enum class Ref : uint8_t { None, String, Location, Number };
inline constexpr Ref kEventRefs[kMaxKnownEventKind + 1][3] = {
    {Ref::None, Ref::None, Ref::None},
    {Ref::Location, Ref::String, Ref::String},   // thread_span_begin: location, name, args
    {Ref::Location, Ref::None, Ref::None},       // thread_span_end
    {Ref::Location, Ref::String, Ref::String},   // async_span_begin: location, name, args
    {Ref::None, Ref::None, Ref::None},           // async_span_end
    {Ref::String, Ref::String, Ref::Location},   // task_created: name, coro_name, location
    {Ref::None, Ref::None, Ref::None},           // task_run_begin
    {Ref::None, Ref::None, Ref::None},           // task_run_end
    {Ref::String, Ref::None, Ref::None},         // task_completed: message
    {Ref::String, Ref::Location, Ref::None},     // await_begin: awaitable, location
    {Ref::None, Ref::None, Ref::None},           // await_end
    {Ref::None, Ref::None, Ref::None},           // blocking (its frames are location ids)
    {Ref::None, Ref::None, Ref::None},           // loop_lag
    {Ref::None, Ref::None, Ref::None},           // events_dropped
    {Ref::Location, Ref::Number, Ref::None},     // flow: location, depth + 1
    {Ref::Location, Ref::String, Ref::None},     // instant: location, args
    {Ref::String, Ref::String, Ref::None},       // counter: name, series
    {Ref::String, Ref::None, Ref::None},         // sample: name (its frames are location ids)
    {Ref::String, Ref::None, Ref::None},         // diagnostic: label
};

inline constexpr const char* kEventNames[kMaxKnownEventKind + 1] = {
    "?",
    "thread_span_begin",
    "thread_span_end",
    "async_span_begin",
    "async_span_end",
    "task_created",
    "task_run_begin",
    "task_run_end",
    "task_completed",
    "await_begin",
    "await_end",
    "blocking",
    "loop_lag",
    "events_dropped",
    "flow",
    "instant",
    "counter",
    "sample",
    "diagnostic",
};

} // namespace weft::format::detail
