// Ingestion: records in file order into the builder state. The per-event loop is the hot path of
// loading a trace: it appends to buffers that grow without copying (model/huge_buffer.h) and looks
// tasks up by id in a plain array (model/id_table.h) when the stream's last task does not match.

#include "model/model_builder.h"

#include "model/builder_state.h"

#include <algorithm>

namespace weft {

using namespace detail;
using format::EventKind;

struct ModelBuilder::Impl : BuilderState {
    uint32_t stream_for(const format::BlockHeader& h);
    // Inlined into the event loop: nearly every event looks a task up, and a call there costs more
    // (saving and restoring the loop's registers) than the lookup itself when the cache hits.
    [[gnu::always_inline]] inline uint32_t task_for(StreamState& s, uint64_t id, Time t);
    uint32_t find_task(StreamState& s, uint64_t id, Time t);
    void ingest(StreamState& s, uint32_t stream, const format::DecodedBlock& block);
    void task_created(StreamState& s, uint32_t stream, const format::Event& e, Time t);
};

ModelBuilder::ModelBuilder() : m_impl(std::make_unique<Impl>()) {}
ModelBuilder::~ModelBuilder() = default;

void ModelBuilder::on_process(const format::ProcessInfo& info) {
    Impl& st = *m_impl;
    if (st.finished || st.process_ids.count(info.process_id)) return; // the first info of a process wins
    st.process_ids.emplace(info.process_id, static_cast<uint32_t>(st.processes.size()));
    st.processes.push_back(info);
    if (!st.origin_set) {
        // Times are kept relative to the first process's start; finish() shifts them if a later
        // process started earlier.
        st.origin_set = true;
        st.provisional_origin = info.start_time_ns;
    }
}

void ModelBuilder::on_stream(const format::StreamInfo& info) {
    Impl& st = *m_impl;
    if (st.finished) return;
    const auto p = st.process_ids.find(info.process_id);
    if (p == st.process_ids.end()) return; // its blocks will be counted as without stream info
    if (auto it = st.stream_ids.find(info.stream_id); it != st.stream_ids.end()) {
        // A repeated stream info (a live reconnect) may rename the thread; its state stays.
        StreamState& s = st.streams[it->second];
        if (s.process == p->second) {
            s.info = info;
        }
        return;
    }
    const format::ProcessInfo& proc = st.processes[p->second];
    StreamState s;
    s.info = info;
    s.process = p->second;
    // Offset of this process's start from the provisional origin, saturating on absurd clocks.
    constexpr uint64_t kCap = uint64_t(INT64_MAX / 2);
    const Time clamped = proc.start_time_ns >= st.provisional_origin
                             ? static_cast<Time>(std::min(proc.start_time_ns - st.provisional_origin, kCap))
                             : -static_cast<Time>(std::min(st.provisional_origin - proc.start_time_ns, kCap));
    s.clock = TickClock(proc.start_ticks, proc.tick_frequency, clamped);
    st.stream_ids.emplace(info.stream_id, static_cast<uint32_t>(st.streams.size()));
    st.streams.push_back(std::move(s));
    st.last_stream = kNone;
}

uint32_t ModelBuilder::Impl::stream_for(const format::BlockHeader& h) {
    if (last_stream != kNone && h.stream_id == last_stream_uuid) return last_stream;
    const auto it = stream_ids.find(h.stream_id);
    if (it == stream_ids.end()) return kNone;
    last_stream = it->second;
    last_stream_uuid = h.stream_id;
    return last_stream;
}

void ModelBuilder::on_block(const format::DecodedBlock& block) {
    Impl& st = *m_impl;
    if (st.finished) return;
    const uint32_t stream = st.stream_for(block.header);
    if (stream == kNone) {
        ++st.model.diagnostics.blocks_without_stream;
        return;
    }
    StreamState& s = st.streams[stream];
    // Lost blocks show as a jump in object_offset. The first block may start late (a flight
    // recorder drops its oldest blocks on purpose), so only gaps after it count.
    if (s.seen_block && block.header.object_offset > s.next_object) {
        const uint64_t gap = block.header.object_offset - s.next_object;
        s.dropped += gap;
        st.model.diagnostics.dropped_events += gap;
    }
    s.seen_block = true;
    s.next_object = block.header.object_offset + std::max<uint64_t>(block.header.nb_objects, block.events.size());
    st.model.diagnostics.unknown_events += block.unknown_events;
    st.interner.load_block(block);
    st.ingest(s, stream, block);
}

// The stream's last task missed: finds the task by id, or adds a placeholder for it.
uint32_t ModelBuilder::Impl::find_task(StreamState& s, uint64_t id, Time t) {
    bool inserted = false;
    const auto fresh = static_cast<uint32_t>(tasks.size());
    const uint32_t index = task_ids.find_or_insert(s.process, id, fresh, inserted);
    if (inserted) {
        // A placeholder until (and unless) its task_created arrives, possibly from another stream.
        TaskRecord task;
        task.task_id = id;
        task.created = t;
        task.process = s.process;
        tasks.push_back(task);
    }
    s.cached_id = id;
    s.cached_task = index;
    return index;
}

uint32_t ModelBuilder::Impl::task_for(StreamState& s, uint64_t id, Time t) {
    const uint32_t index = id == s.cached_id && s.cached_task != kNone ? s.cached_task : find_task(s, id, t);
    TaskRecord& x = tasks[index];
    ++x.refs;
    if (!x.created_seen && t < x.created) x.created = t; // a placeholder starts at its first mention
    return index;
}

void ModelBuilder::Impl::task_created(StreamState& s, uint32_t stream, const format::Event& e, Time t) {
    const uint32_t index = task_for(s, e.id, t);
    TaskRecord& task = tasks[index];
    TaskRecord& x = task;
    if (task.created_seen) {
        ++model.diagnostics.duplicate_task_ids;
        // Keep the earliest creation whichever stream came first, so the result is order-free.
        const bool earlier = t < task.created ||
                             (t == task.created && streams[stream].info.stream_id < streams[x.created_by].info.stream_id);
        if (!earlier) return;
    }
    task.created_seen = true;
    task.created = t;
    task.name = interner.string(e.ref1);
    task.coro_name = interner.string(e.ref2);
    task.spawn_location = interner.location(e.ref3);
    x.parent_id = e.id2;
    x.created_by = stream;
}

void ModelBuilder::Impl::ingest(StreamState& s, uint32_t stream, const format::DecodedBlock& block) {
    Diagnostics& diag = model.diagnostics;
    const TickClock clock = s.clock;
    Time last = s.last_time;
    bool has_events = s.has_events;
    Time lo = s.min_time, hi = s.max_time;
    uint64_t backwards = 0;

    for (const format::Event& e : block.events) {
        const Time t = clock.at(e.ticks);
        if (has_events) {
            backwards += t < last;
            lo = std::min(lo, t);
            hi = std::max(hi, t);
        } else {
            has_events = true;
            lo = hi = t;
        }
        last = t;

        switch (e.kind) {
        case EventKind::TaskRunBegin: {
            if (e.id == 0) {
                ++diag.events_for_unknown_tasks;
                break;
            }
            if (s.open_task != kNone) {
                // A second begin before the end: the first slice ends here so the lane stays flat.
                ++diag.unfinished_runs;
                s.run_begin.push_back(s.open_begin);
                s.run_end.push_back(std::max(t, s.open_begin));
                s.run_task.push_back(s.open_task);
            }
            s.open_task = task_for(s, e.id, t);
            s.open_task_id = e.id;
            s.open_begin = t;
            break;
        }
        case EventKind::TaskRunEnd: {
            if (s.open_task == kNone || s.open_task_id != e.id) {
                ++diag.orphan_run_ends;
                break;
            }
            ++tasks[s.open_task].refs;
            s.run_begin.push_back(s.open_begin);
            s.run_end.push_back(std::max(t, s.open_begin));
            s.run_task.push_back(s.open_task);
            s.open_task = kNone;
            break;
        }
        case EventKind::AwaitBegin:
        case EventKind::AwaitEnd: {
            if (e.id == 0) {
                ++diag.events_for_unknown_tasks;
                break;
            }
            const bool begin = e.kind == EventKind::AwaitBegin;
            const uint32_t task = task_for(s, e.id, t);
            awaits.push_back(RawAwait{t, task, begin ? interner.string(e.ref1) : StringId{0},
                                      begin ? interner.location(e.ref2) : LocationId{0}, begin ? 1u : 0u});
            break;
        }
        case EventKind::TaskCreated:
            if (e.id == 0) {
                ++diag.events_for_unknown_tasks;
                break;
            }
            task_created(s, stream, e, t);
            break;
        case EventKind::TaskCompleted: {
            if (e.id == 0) {
                ++diag.events_for_unknown_tasks;
                break;
            }
            TaskRecord& task = tasks[task_for(s, e.id, t)];
            // The earliest completion wins, whatever order streams arrive in.
            if (task.completed == kNoTime || t < task.completed) {
                task.completed = t;
                task.state = e.outcome == 0   ? TaskState::Ok
                             : e.outcome == 1 ? TaskState::Cancelled
                                              : TaskState::Error;
                task.error_message = interner.string(e.ref1);
            }
            break;
        }
        case EventKind::ThreadSpanBegin: {
            if (s.span_stack.size() >= kMaxSpanDepth) {
                ++s.span_overflow;
                break;
            }
            const LocationId loc = interner.location(e.ref1);
            const StringId name = e.ref2 != 0 ? interner.string(e.ref2) : interner.location_name(loc);
            s.span_stack.push_back(OpenThreadSpan{t, loc, name});
            break;
        }
        case EventKind::ThreadSpanEnd: {
            if (s.span_overflow > 0) {
                --s.span_overflow;
                break;
            }
            if (s.span_stack.empty()) {
                ++diag.orphan_thread_span_ends;
                break;
            }
            const OpenThreadSpan open = s.span_stack.back();
            s.span_stack.pop_back();
            ThreadSpan span;
            span.begin = open.begin;
            span.end = std::max(t, open.begin);
            span.location = open.location;
            span.name = open.name;
            span.depth = static_cast<uint16_t>(s.span_stack.size());
            s.spans.push_back(span);
            break;
        }
        case EventKind::AsyncSpanBegin:
            span_begins.push_back(RawSpanBegin{e.id, e.id2, t, s.process, stream, s.open_task,
                                               interner.location(e.ref1), interner.string(e.ref2)});
            break;
        case EventKind::AsyncSpanEnd:
            span_ends.push_back(RawSpanEnd{e.id, t, s.process, stream});
            break;
        case EventKind::Blocking: {
            BlockingEvent b;
            b.end = t;
            b.begin = std::max(-TickClock::kLimit, TickClock::saturating_add(t, -std::max<Time>(0, clock.duration(e.id2))));
            b.task = e.id != 0 ? TaskIndex{task_for(s, e.id, t)} : TaskIndex{};
            b.frames.first = static_cast<uint32_t>(s.frames.size());
            const size_t n = std::min<size_t>(e.frames_count, block.frames.size() > e.frames_begin
                                                                   ? block.frames.size() - e.frames_begin
                                                                   : 0);
            for (size_t i = 0; i < n; ++i) s.frames.push_back(interner.location(block.frames[e.frames_begin + i]));
            b.frames.count = static_cast<uint32_t>(n);
            s.blocking.push_back(b);
            break;
        }
        case EventKind::LoopLag: {
            LagSample l;
            l.time = t;
            l.lag = clock.duration(e.id2);
            s.lag.push_back(l);
            break;
        }
        case EventKind::EventsDropped:
            s.dropped += e.id2;
            diag.dropped_events += e.id2;
            break;
        default:
            ++diag.unknown_events;
            break;
        }
    }

    diag.time_backwards += backwards;
    s.last_time = last;
    s.has_events = has_events;
    s.min_time = lo;
    s.max_time = hi;
    s.events += block.events.size();
    model.event_count += block.events.size();
}

void ModelBuilder::add_read_report(const format::ReadReport& report) {
    Diagnostics& diag = m_impl->model.diagnostics;
    diag.damaged_records += report.errors.size();
    diag.skipped_bytes += report.skipped_bytes;
    for (const format::FormatError& e : report.errors) {
        if (diag.messages.size() >= 1000) break; // enough to show; the count above stays exact
        diag.messages.push_back("offset " + std::to_string(e.offset) + ": " + e.reason);
    }
}

} // namespace weft

namespace weft {

namespace {

void shift_times(Model& m, Time delta) {
    auto shift = [delta](Time& t) {
        if (t != kNoTime) t = TickClock::saturating_add(t, delta);
    };
    shift(m.begin);
    shift(m.end);
    for (Time& t : m.runs.begin) shift(t);
    for (Time& t : m.runs.end) shift(t);
    for (ThreadSpan& s : m.thread_spans) shift(s.begin), shift(s.end);
    for (Task& t : m.tasks) shift(t.created), shift(t.first_run), shift(t.completed);
    for (AwaitPoint& a : m.awaits) shift(a.begin), shift(a.end);
    for (AsyncSpan& s : m.async_spans) shift(s.begin), shift(s.end);
    for (BlockingEvent& b : m.blocking) shift(b.begin), shift(b.end);
    for (LagSample& l : m.lag) shift(l.time);
}

template <class T>
void shrink(std::vector<T>& v) {
    v.shrink_to_fit();
}

void shrink_all(Model& m) {
    shrink(m.strings);
    shrink(m.locations);
    shrink(m.processes);
    shrink(m.threads);
    for (Thread& t : m.threads) shrink(t.span_depths);
    shrink(m.runs.begin);
    shrink(m.runs.end);
    shrink(m.runs.task);
    shrink(m.thread_spans);
    shrink(m.tasks);
    shrink(m.task_children);
    shrink(m.task_slices);
    shrink(m.task_spans);
    shrink(m.awaits);
    shrink(m.async_spans);
    shrink(m.blocking);
    shrink(m.frames);
    shrink(m.lag);
}

} // namespace

std::shared_ptr<const Model> ModelBuilder::snapshot() const {
    // Finishing is destructive, so finish a copy. The copy costs time and memory in proportion to
    // what was ingested; a live session calls this at a rate it adapts to that cost.
    ModelBuilder copy;
    *copy.m_impl = *m_impl;
    copy.m_impl->interner.rebind(copy.m_impl->model.strings, copy.m_impl->model.locations);
    return copy.finish();
}

std::shared_ptr<const Model> ModelBuilder::finish() {
    Impl& st = *m_impl;
    if (st.finished) return std::make_shared<const Model>();
    st.finished = true;
    st.interner.release();
    Model& m = st.model;

    bool any = false;
    for (const StreamState& s : st.streams) {
        if (!s.has_events) continue;
        m.begin = any ? std::min(m.begin, s.min_time) : s.min_time;
        m.end = any ? std::max(m.end, s.max_time) : s.max_time;
        any = true;
    }

    Canonical c;
    c.trace_end = m.end;
    order_processes_and_threads(st, c);
    build_tasks(st, c);
    st.task_ids.clear();
    st.tasks.release(); // the Model's tasks hold everything from here on
    build_threads(st, c);
    build_awaits_and_times(st, c);
    build_async_spans(st, c);

    // The origin is the earliest process start; times so far count from the first one seen.
    uint64_t origin = st.provisional_origin;
    for (const format::ProcessInfo& p : st.processes) origin = std::min(origin, p.start_time_ns);
    m.origin_ns = origin;
    if (origin != st.provisional_origin) {
        const uint64_t d = st.provisional_origin - origin;
        shift_times(m, d > uint64_t(INT64_MAX / 2) ? INT64_MAX / 2 : static_cast<Time>(d));
    }

    shrink_all(m);
    auto result = std::make_shared<const Model>(std::move(m));
    // Release all transient state now rather than when the builder dies.
    st.streams.clear();
    st.streams.shrink_to_fit();
    st.stream_ids.clear();
    st.tasks.release();
    st.awaits.release();
    st.span_begins.release();
    st.span_ends.release();
    return result;
}

} // namespace weft
