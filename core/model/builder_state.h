#pragma once
// The ModelBuilder's working state, shared by ingestion (model_builder.cpp) and the finishing passes
// (task_finalizer.cpp, span_finalizer.cpp). Internal to core/model.
//
// Ingestion does only what one stream can decide alone (run slices, thread spans, blocking, lag,
// tick conversion, interning) and appends everything that may cross streams (awaits, async spans,
// task completion) to flat vectors keyed by builder-local indices. finish() then orders processes,
// threads and tasks canonically, so the Model does not depend on how streams were interleaved.

#include "model/huge_buffer.h"
#include "model/id_table.h"
#include "model/model.h"
#include "model/string_interner.h"
#include "model/tick_clock.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace weft::detail {

inline constexpr uint32_t kNone = 0xFFFFFFFFu;
inline constexpr size_t kMaxSpanDepth = 1024; // deeper thread spans are counted, not stored

// The finishing passes gather records by task from arrays laid out in stream order: nearly every
// such read misses the cache. Asking for the record a few iterations ahead overlaps those misses.
inline constexpr size_t kPrefetchAhead = 16;
inline void prefetch(const void* p) {
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

struct UuidHash {
    size_t operator()(const Uuid& u) const noexcept {
        uint64_t a = 0, b = 0;
        for (int i = 0; i < 8; ++i) a = a << 8 | u[i];
        for (int i = 8; i < 16; ++i) b = b << 8 | u[i];
        return static_cast<size_t>((a ^ (b * 0x9E3779B97F4A7C15ull)) * 0xC2B2AE3D27D4EB4Full);
    }
};

struct OpenThreadSpan {
    Time begin;
    LocationId location;
    StringId name;
    StringId args;
};

// A counter sample while building; finish() groups them into tracks per process.
struct RawCounter {
    Time time;
    double value;
    StringId name;
    StringId series;
};

// One stream (thread) while building. Its lanes are appended in stream order.
struct StreamState {
    format::StreamInfo info;
    uint32_t process = 0; // builder process index
    TickClock clock;
    bool has_events = false;
    Time min_time = 0;
    Time max_time = 0;
    Time last_time = 0;
    uint64_t events = 0;
    uint64_t dropped = 0;
    uint64_t next_object = 0;
    bool seen_block = false;

    // The run slice in progress on this thread (one at a time: a thread runs one task step).
    uint32_t open_task = kNone;
    uint64_t open_task_id = 0;
    Time open_begin = 0;

    // Last task looked up: consecutive events of one stream mostly concern one task.
    uint64_t cached_id = 0;
    uint32_t cached_task = kNone;

    std::vector<OpenThreadSpan> span_stack;
    size_t span_overflow = 0;

    PodBuffer<Time> run_begin;
    PodBuffer<Time> run_end;
    PodBuffer<uint32_t> run_task; // builder task indices
    PodBuffer<ThreadSpan> spans;  // in end order
    std::vector<BlockingEvent> blocking; // frames index into `frames`, task is a builder index
    std::vector<LocationId> frames;      // of blocking events and samples
    std::vector<LagSample> lag;
    std::vector<Instant> instants;       // every scope, in stream order
    std::vector<Sample> samples;         // frames index into `frames`
    std::vector<RawCounter> counters;
};

// A task while building: only what ingestion writes. finish() turns it into a Task. Kept to one
// cache line because ingestion touches one for nearly every event.
struct TaskRecord {
    uint64_t task_id = 0;
    uint64_t parent_id = 0;
    // Its task_created's time once created_seen; until then the earliest event that mentions it,
    // which is when a placeholder starts.
    Time created = kNoTime;
    Time completed = kNoTime;
    StringId name{0};
    StringId coro_name{0};
    LocationId spawn_location{0};
    StringId error_message{0};
    uint32_t process = 0;        // builder process index
    uint32_t created_by = kNone; // stream of the task_created kept (tie-break between duplicates)
    uint32_t refs = 0;           // events that mention it
    TaskState state = TaskState::Unfinished;
    bool created_seen = false;   // false: a placeholder until (and unless) its task_created arrives
};
static_assert(sizeof(TaskRecord) <= 64, "a task record fits in one cache line");

struct RawAwait {
    Time time;
    uint32_t task;     // builder index, later canonical
    StringId awaitable;
    LocationId location;
    uint32_t is_begin; // 1 begin, 0 end: ends sort first at equal times
};

struct RawSpanBegin {
    uint64_t span_id;
    uint64_t parent_id;
    Time time;
    uint32_t process;
    uint32_t stream;
    uint32_t task; // builder index of the task it was recorded for (or running on the stream), or kNone
    LocationId location;
    StringId name;
    StringId args;
    uint32_t block; // into Model::blocks
};

struct RawSpanEnd {
    uint64_t span_id;
    Time time;
    uint32_t process;
    uint32_t stream;
    uint32_t block;
};

// One end of a flow while building: finish() pairs each flow id's Out with its In.
struct RawFlowPoint {
    uint64_t flow_id;
    uint64_t span_id; // the async span it is bound to, 0 for none
    Time time;
    uint32_t stream;  // builder stream, later model thread
    uint32_t process; // builder process, later model process
    LocationId location;
    uint16_t depth;   // FlowEnd::kNoDepth, or the depth of the thread span it is bound to
    FlowPhase phase;
};

struct BuilderState {
    Model model; // strings and locations are written directly
    StringInterner interner{model.strings, model.locations};

    std::vector<format::ProcessInfo> processes;
    std::unordered_map<Uuid, uint32_t, UuidHash> process_ids;
    bool origin_set = false;
    uint64_t provisional_origin = 0;

    std::vector<StreamState> streams;
    std::unordered_map<Uuid, uint32_t, UuidHash> stream_ids;
    Uuid last_stream_uuid{};
    uint32_t last_stream = kNone;
    uint32_t current_block = 0; // the block being ingested: its index in Model::blocks

    TaskIdMap task_ids;
    PodBuffer<TaskRecord> tasks; // builder order; canonical order is set in finish()

    PodBuffer<RawAwait> awaits;
    PodBuffer<RawSpanBegin> span_begins;
    PodBuffer<RawSpanEnd> span_ends;
    std::vector<RawFlowPoint> flow_points;
    std::unordered_map<uint32_t, uint64_t> note_counts; // diagnostic events: label (StringId) -> count

    bool finished = false;
};

// Canonical index maps computed in finish().
struct Canonical {
    std::vector<uint32_t> process_new;   // builder process -> model process
    std::vector<uint32_t> stream_new;    // builder stream -> model thread (kNone if unused)
    std::vector<uint32_t> stream_of;     // model thread -> builder stream
    std::vector<uint32_t> task_new;      // builder task -> model task
    std::vector<uint32_t> task_old;      // model task -> builder task
    std::vector<uint32_t> slice_first;   // model task k's slices: task_slices[slice_first[k], [k + 1])
    std::vector<uint32_t> child_first;   // model task k's children: task_children[child_first[k], [k + 1])
    std::vector<uint32_t> span_first;    // model task k's async spans: task_spans[span_first[k], [k + 1])
    std::vector<uint32_t> parent;        // model task k's parent, kNone for a root
    std::vector<uint16_t> depth;         // model task k's depth in the task tree
    std::vector<uint32_t> frame_base;    // model thread k's stack frames start at Model::frames[frame_base[k]]
    Time trace_end = 0;
};

// Finishing passes, in the order finish() runs them. The Model's tasks are large and far more
// than the cache holds, so the passes before the last leave what they find per task in Canonical
// (parents, depths, where each task's children, slices and spans start) and the last one writes it
// into each task in the same single visit that computes the task's totals.
void order_processes_and_threads(BuilderState& st, Canonical& c);
void build_tasks(BuilderState& st, Canonical& c);       // order, parents, children, depth
void build_threads(BuilderState& st, Canonical& c);     // lanes, blocking, lag, slices by task
void build_async_spans(BuilderState& st, Canonical& c); // and spans by task
void build_awaits_and_times(BuilderState& st, Canonical& c); // and every per-task field
void build_instants_and_samples(BuilderState& st, Canonical& c); // what imported traces add, per thread
void build_counters(BuilderState& st, Canonical& c);
void build_flows(BuilderState& st, Canonical& c);   // after build_async_spans: flows bind to them

// Depth of each node of a forest given by parent indices (kNone for roots). Cycles, which only
// damaged data can produce, are broken by turning the node that closes one into a root.
std::vector<uint16_t> forest_depths(std::vector<uint32_t>& parent);

} // namespace weft::detail
