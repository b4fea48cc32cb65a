#pragma once
// The async task model of a whole trace: an immutable value built once by ModelBuilder and then
// shared read-only (std::shared_ptr<const Model>) by analyses, exporters and the viewer.
//
// Layout: flat, columnar where it is hot. Every lane of intervals (a thread's run slices, a thread's
// spans at one depth) is sorted by begin and non-overlapping, so its ends are sorted too and
// "what overlaps [t0, t1]" is two binary searches (model/lane.h).

#include "format/records.h"
#include "model/ids.h"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace weft {

using format::FlowPhase;
using format::InstantScope;
using format::Outcome;
using format::Uuid;

struct Location {
    StringId name{0};
    StringId target{0};
    StringId file{0};
    uint32_t line = 0;
};

enum class TaskState : uint8_t { Ok, Cancelled, Error, Unfinished };

// A contiguous range [first, first + count) of some array.
struct Range {
    uint32_t first = 0;
    uint32_t count = 0;
    constexpr uint32_t end() const { return first + count; }
    constexpr bool empty() const { return count == 0; }
};

struct Process {
    Uuid process_id{};
    std::string exe;
    std::string hostname;
    uint64_t pid = 0;
    uint64_t start_time_ns = 0; // Unix epoch
    uint64_t tick_frequency = 0;
    std::map<std::string, std::string> properties;
    std::vector<ThreadIndex> threads;
    std::vector<TaskIndex> root_tasks; // tasks without a (known) parent, by creation time
    Range instants;                    // into Model::instants: the process-scoped ones, by time
    Range counters;                    // into Model::counters, by name then series
};

struct Thread {
    Uuid stream_id{};
    ProcessIndex process;
    std::string name;
    uint64_t os_thread_id = 0;
    std::vector<std::string> tags;
    bool event_loop = false;        // tagged "event-loop"
    Range run_slices;               // into Model::runs, sorted by begin, non-overlapping
    std::vector<Range> span_depths; // span_depths[d]: into Model::thread_spans, spans at depth d
    Range blocking;                 // into Model::blocking, sorted by begin
    Range lag;                      // into Model::lag, sorted by time
    Range instants;                 // into Model::instants: the thread-scoped ones, by time
    Range samples;                  // into Model::samples, by time
    uint64_t events = 0;
    uint64_t dropped_events = 0;    // from events_dropped markers and object_offset gaps
};

// Run slices of all threads, struct of arrays; each thread owns a contiguous, time-sorted range.
struct RunSlices {
    std::vector<Time> begin;
    std::vector<Time> end;
    std::vector<TaskIndex> task; // invalid when the task id was never created (orphan run)
    size_t size() const { return begin.size(); }
};

struct ThreadSpan {
    Time begin = 0;
    Time end = 0;
    LocationId location{0};
    StringId name{0}; // the location's name unless a name was given
    StringId args{0}; // its arguments as JSON text (imported traces), or none
    uint16_t depth = 0;
    bool unfinished = false;
};
static_assert(sizeof(ThreadSpan) == 32, "thread spans are the bulk of many traces: keep them compact");

struct Task {
    uint64_t task_id = 0;
    ProcessIndex process;
    TaskIndex parent;
    StringId name{0};
    StringId coro_name{0};
    LocationId spawn_location{0};
    StringId error_message{0};
    Time created = kNoTime;
    Time first_run = kNoTime;
    Time completed = kNoTime; // kNoTime while unfinished
    Time busy = 0;            // sum of run slices
    Time scheduled = 0;       // ready but not running
    Time awaiting = 0;        // inside await points
    Time idle = 0;            // lifetime - busy - scheduled
    uint32_t polls = 0;       // run slices
    uint16_t depth = 0;       // 0 for roots
    uint16_t thread_count = 0;
    TaskState state = TaskState::Unfinished;
    bool created_seen = true; // false: only known from later events (its task_created was lost)
    Range children;           // into Model::task_children, by creation time
    Range slices;             // into Model::task_slices (indices into runs), by begin
    Range awaits;             // into Model::awaits, by begin
    Range spans;              // into Model::task_spans (async spans begun while it ran)

    Time end_or(Time trace_end) const { return completed == kNoTime ? trace_end : completed; }
    bool migrated() const { return thread_count > 1; }
};

struct AwaitPoint {
    Time begin = 0;
    Time end = 0;
    TaskIndex task;
    StringId awaitable{0};
    LocationId location{0};
    bool unfinished = false;
};

inline constexpr uint32_t kNoBlock = UINT32_MAX;

struct AsyncSpan {
    uint64_t span_id = 0;
    Time begin = 0;
    Time end = 0;
    AsyncSpanIndex parent;
    ProcessIndex process;
    StringId name{0};
    LocationId location{0};
    ThreadIndex begin_thread;
    ThreadIndex end_thread; // invalid while unfinished
    TaskIndex task;         // the task it was recorded for, else the one running on begin_thread, if any
    StringId args{0};       // its arguments as JSON text (imported traces), or none
    uint32_t begin_block = kNoBlock; // into Model::blocks: the blocks its begin and end came in
    uint32_t end_block = kNoBlock;
    uint16_t depth = 0;
    bool unfinished = false;
};

struct BlockingEvent {
    Time begin = 0;
    Time end = 0; // when it was detected: begin + duration
    ThreadIndex thread;
    TaskIndex task;
    Range frames; // into Model::frames, innermost first
    Time duration() const { return end - begin; }
};

struct LagSample {
    Time time = 0;
    Time lag = 0;
    ThreadIndex thread;
};

// One end of a flow: a point in time on a thread, bound to the thread span open at that depth
// there (found with lanes::span_at_depth), or to an async span, or to neither.
struct FlowEnd {
    static constexpr uint16_t kNoDepth = 0xFFFF;
    Time time = 0;
    ThreadIndex thread;
    AsyncSpanIndex async_span; // valid: bound to this async span
    uint16_t depth = kNoDepth; // else, when not kNoDepth: the thread span at this depth on `thread`
    bool on_thread_span() const { return depth != kNoDepth; }
};

// A causal link between two points of the trace (Chrome's flow events: an IPC, a posted task, a
// wake-up), drawn as an arrow.
struct Flow {
    FlowEnd from;
    FlowEnd to;
    LocationId location{0}; // its name and category
    uint64_t flow_id = 0;
};

// A point in time with a name: on a thread, on a whole process or on the whole trace, by scope.
struct Instant {
    Time time = 0;
    ThreadIndex thread; // where it was recorded
    LocationId location{0};
    StringId args{0};
    InstantScope scope = InstantScope::Thread;
};

// A named series of values over time, stepping at each sample (a counter of one process).
struct CounterTrack {
    ProcessIndex process;
    StringId name{0};
    StringId series{0};
    Range samples; // into Model::counter_samples, by time
    double min = 0;
    double max = 0;
};

struct CounterSamples {
    std::vector<Time> time;
    std::vector<double> value;
    size_t size() const { return time.size(); }
};

// A sampled stack of a thread.
struct Sample {
    Time time = 0;
    ThreadIndex thread;
    StringId name{0};
    Range frames; // into Model::frames, innermost first
    uint64_t weight = 1;
};

// Counted problems; loading never stops for them. Shown to the user as they are.
struct Diagnostics {
    uint64_t unfinished_tasks = 0;
    uint64_t unfinished_runs = 0;
    uint64_t unfinished_awaits = 0;
    uint64_t unfinished_async_spans = 0;
    uint64_t unfinished_thread_spans = 0;
    uint64_t orphan_run_ends = 0;
    uint64_t orphan_await_ends = 0;
    uint64_t orphan_async_span_ends = 0;
    uint64_t orphan_thread_span_ends = 0;
    uint64_t events_for_unknown_tasks = 0;
    uint64_t duplicate_task_ids = 0;
    uint64_t duplicate_span_ids = 0;
    uint64_t time_backwards = 0;
    uint64_t unknown_events = 0;
    uint64_t blocks_without_stream = 0;
    uint64_t dropped_events = 0;      // reported by producers, plus object_offset gaps
    uint64_t damaged_records = 0;     // from the reader
    uint64_t skipped_bytes = 0;       // from the reader
    uint64_t unfinished_flows = 0;    // a flow's start without its end
    uint64_t orphan_flow_ends = 0;    // a flow's end without its start
    std::vector<std::string> messages; // the reader's errors, with offsets, for display
    // What producers and importers counted themselves (diagnostic events), by label, sorted: e.g.
    // the events of another format that Weft does not model.
    std::vector<std::pair<std::string, uint64_t>> notes;

    uint64_t total() const;
};

class Model {
public:
    uint64_t origin_ns = 0; // Unix epoch ns of Time 0: the earliest process start
    Time begin = 0;         // earliest event
    Time end = 0;           // latest event (unfinished things end here)
    uint64_t event_count = 0;

    std::vector<std::string> strings; // strings[0] == ""
    std::vector<Location> locations;  // locations[0] is "none"
    std::vector<Process> processes;
    std::vector<Thread> threads;
    RunSlices runs;
    std::vector<ThreadSpan> thread_spans;
    std::vector<Task> tasks;
    std::vector<TaskIndex> task_children;
    std::vector<uint32_t> task_slices;
    std::vector<AsyncSpanIndex> task_spans;
    std::vector<AwaitPoint> awaits;
    std::vector<AsyncSpan> async_spans; // by begin
    std::vector<BlockingEvent> blocking;
    std::vector<LocationId> frames; // stacks of blocking events and samples
    std::vector<LagSample> lag;
    std::vector<Flow> flows;        // by the time of their start
    std::vector<Instant> instants;  // thread-scoped by thread, then process-scoped by process, then global
    Range global_instants;          // into instants, by time
    std::vector<CounterTrack> counters; // by process
    CounterSamples counter_samples;
    std::vector<Sample> samples;    // by thread
    std::vector<Uuid> blocks;       // the id of every block read, in reading order (AsyncSpan::begin_block)
    Diagnostics diagnostics;

    std::string_view string(StringId id) const {
        return id.value < strings.size() ? std::string_view(strings[id.value]) : std::string_view{};
    }
    const Location& location(LocationId id) const {
        return locations[id.value < locations.size() ? id.value : 0];
    }
    const Task& task(TaskIndex i) const { return tasks[i.value]; }
    const Thread& thread(ThreadIndex i) const { return threads[i.value]; }
    std::span<const TaskIndex> children(const Task& t) const {
        return std::span(task_children).subspan(t.children.first, t.children.count);
    }
    std::span<const AwaitPoint> awaits_of(const Task& t) const {
        return std::span(awaits).subspan(t.awaits.first, t.awaits.count);
    }
    std::span<const uint32_t> slices_of(const Task& t) const {
        return std::span(task_slices).subspan(t.slices.first, t.slices.count);
    }
    // "file:line" or "" for LocationId{0}.
    std::string location_label(LocationId id) const;
    // Wall-clock ns since the Unix epoch of a model time.
    uint64_t to_unix_ns(Time t) const { return origin_ns + static_cast<uint64_t>(t); }

    // Bytes held by the model's containers (capacity, not size): the resident cost of a trace.
    size_t memory_bytes() const;
};

} // namespace weft
