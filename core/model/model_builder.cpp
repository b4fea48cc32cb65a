// Ingestion: records in file order into the builder state. The per-event code is the hot path of
// loading a trace: it runs inside the event decoder's loop (format/event_decoder.h), appends to
// buffers that grow without copying (model/huge_buffer.h) and looks tasks up by id in a plain array
// (model/id_table.h) when the stream's last task does not match.

#include "model/model_builder.h"

#include "format/event_decoder.h"
#include "model/builder_state.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace weft {

using namespace detail;
using format::EventKind;

struct ModelBuilder::Impl : BuilderState {
    class BlockIngest;

    uint32_t stream_for(const format::BlockHeader& h);
    // Inlined into the event loop: nearly every event looks a task up, and a call there costs more
    // (saving and restoring the loop's registers) than the lookup itself when the cache hits.
    [[gnu::always_inline]] inline uint32_t task_for(StreamState& s, uint64_t id, Time t);
    uint32_t find_task(StreamState& s, uint64_t id, Time t);
    void task_created(StreamState& s, uint32_t stream, const format::Event& e, Time t);

    // Blocks whose events were left encoded: their blocking frames while read, what reading them
    // found wrong (reported by add_read_report), and what they held, for the read report.
    std::vector<format::BlockLocationId> scratch_frames;
    std::vector<format::FormatError> event_errors;
    uint64_t encoded_events_read = 0;
    uint64_t encoded_unknown_events = 0;
};

// Ingests one block's events in stream order, as format/event_decoder.h hands them over, whether
// they come already decoded (DecodedBlock::events) or are read from the payload one at a time. The
// stream's clock and time range stay here for the length of the block; close() writes them back.
class ModelBuilder::Impl::BlockIngest {
public:
    BlockIngest(Impl& st, StreamState& s, uint32_t stream, const std::vector<format::BlockLocationId>& frames)
        : m_st(st), m_s(s), m_stream(stream), m_diag(st.model.diagnostics), m_clock(s.clock), m_frames(frames),
          m_started(s.has_events), m_last(s.has_events ? s.last_time : std::numeric_limits<Time>::max()),
          m_lo(s.has_events ? s.min_time : std::numeric_limits<Time>::max()),
          m_hi(s.has_events ? s.max_time : std::numeric_limits<Time>::min()) {}

    // Inlined into the decoder's switch on the kind, and apply<K> into this.
    template <EventKind K>
    [[gnu::always_inline]] void event(const format::Event& e) {
        const Time t = m_clock.at(e.ticks);
        // The stream's time range is kept per run of non-decreasing times: its least time can only
        // be a run's first, its greatest a run's last. Runs are long (dt is unsigned on the fast
        // path), so the common event only compares with the last time.
        if (t < m_last) [[unlikely]]
            step_back(t);
        m_last = t;
        ++m_count;
        apply<K>(e, t);
    }
    void event(const format::Event& e);
    std::vector<format::BlockLocationId>& frames() { return m_st.scratch_frames; }
    void unknown_event() {
        ++m_diag.unknown_events;
        ++m_st.encoded_unknown_events;
    }
    void backwards_step() {}

    // Writes the stream's state back; returns the number of events ingested.
    uint64_t close() {
        m_diag.time_backwards += m_backwards;
        if (m_started) {
            m_s.has_events = true;
            m_s.last_time = m_last;
            m_s.min_time = m_lo;
            m_s.max_time = std::max(m_hi, m_last);
        }
        m_s.events += m_count;
        m_st.model.event_count += m_count;
        return m_count;
    }

private:
    template <EventKind K>
    [[gnu::always_inline]] inline void apply(const format::Event& e, Time t);

    // The event's stack (blocking, sample) appended to the stream's frames, translated.
    Range append_frames(const format::Event& e) {
        Range r;
        r.first = static_cast<uint32_t>(m_s.frames.size());
        const size_t n = std::min<size_t>(e.frames_count,
                                          m_frames.size() > e.frames_begin ? m_frames.size() - e.frames_begin : 0);
        for (size_t i = 0; i < n; ++i) m_s.frames.push_back(m_st.interner.location(m_frames[e.frames_begin + i]));
        r.count = static_cast<uint32_t>(n);
        return r;
    }

    // A new run of times starts at `t`: time went backwards, or this is the stream's first event
    // (m_last starts above any time then).
    [[gnu::noinline]] void step_back(Time t) {
        if (m_started) {
            ++m_backwards;
            m_hi = std::max(m_hi, m_last);
        }
        m_started = true;
        m_lo = std::min(m_lo, t);
    }

    Impl& m_st;
    StreamState& m_s;
    const uint32_t m_stream;
    Diagnostics& m_diag;
    const TickClock m_clock;
    const std::vector<format::BlockLocationId>& m_frames;
    bool m_started; // the stream has had an event
    Time m_last, m_lo, m_hi;
    uint64_t m_backwards = 0;
    uint64_t m_count = 0;
};

void ModelBuilder::Impl::BlockIngest::event(const format::Event& e) {
    format::detail::with_event_kind(
        static_cast<uint8_t>(e.kind), [&](auto k) { event<decltype(k)::value>(e); },
        [&] { ++m_diag.unknown_events; }); // a decoder never yields one; a hand-made block might
}

template <EventKind K>
void ModelBuilder::Impl::BlockIngest::apply(const format::Event& e, Time t) {
    Impl& st = m_st;
    StreamState& s = m_s;
    Diagnostics& diag = m_diag;
    // Task id 0 means "no task": an event about a task that names none is counted and dropped.
    constexpr bool names_task = K == EventKind::TaskRunBegin || K == EventKind::AwaitBegin ||
                                K == EventKind::AwaitEnd || K == EventKind::TaskCreated ||
                                K == EventKind::TaskCompleted;
    if constexpr (names_task) {
        if (e.id == 0) {
            ++diag.events_for_unknown_tasks;
            return;
        }
    }
    if constexpr (K == EventKind::TaskRunBegin) {
        if (s.open_task != kNone) {
            // A second begin before the end: the first slice ends here so the lane stays flat.
            ++diag.unfinished_runs;
            s.run_begin.push_back(s.open_begin);
            s.run_end.push_back(std::max(t, s.open_begin));
            s.run_task.push_back(s.open_task);
        }
        s.open_task = st.task_for(s, e.id, t);
        s.open_task_id = e.id;
        s.open_begin = t;
    } else if constexpr (K == EventKind::TaskRunEnd) {
        if (s.open_task == kNone || s.open_task_id != e.id) {
            ++diag.orphan_run_ends;
            return;
        }
        ++st.tasks[s.open_task].refs;
        s.run_begin.push_back(s.open_begin);
        s.run_end.push_back(std::max(t, s.open_begin));
        s.run_task.push_back(s.open_task);
        s.open_task = kNone;
    } else if constexpr (K == EventKind::AwaitBegin || K == EventKind::AwaitEnd) {
        constexpr bool begin = K == EventKind::AwaitBegin;
        const uint32_t task = st.task_for(s, e.id, t);
        st.awaits.push_back(RawAwait{t, task, begin ? st.interner.string(e.ref1) : StringId{0},
                                     begin ? st.interner.location(e.ref2) : LocationId{0}, begin ? 1u : 0u});
    } else if constexpr (K == EventKind::TaskCreated) {
        st.task_created(s, m_stream, e, t);
    } else if constexpr (K == EventKind::TaskCompleted) {
        TaskRecord& task = st.tasks[st.task_for(s, e.id, t)];
        // The earliest completion wins, whatever order streams arrive in.
        if (task.completed == kNoTime || t < task.completed) {
            task.completed = t;
            task.state = e.outcome == 0   ? TaskState::Ok
                         : e.outcome == 1 ? TaskState::Cancelled
                                          : TaskState::Error;
            task.error_message = st.interner.string(e.ref1);
        }
    } else if constexpr (K == EventKind::ThreadSpanBegin) {
        if (s.span_stack.size() >= kMaxSpanDepth) {
            ++s.span_overflow;
            return;
        }
        const LocationId loc = st.interner.location(e.ref1);
        const StringId name = e.ref2 != 0 ? st.interner.string(e.ref2) : st.interner.location_name(loc);
        s.span_stack.push_back(OpenThreadSpan{t, loc, name, st.interner.string(e.ref3)});
    } else if constexpr (K == EventKind::ThreadSpanEnd) {
        if (s.span_overflow > 0) {
            --s.span_overflow;
            return;
        }
        if (s.span_stack.empty()) {
            ++diag.orphan_thread_span_ends;
            return;
        }
        const OpenThreadSpan open = s.span_stack.back();
        s.span_stack.pop_back();
        ThreadSpan span;
        span.begin = open.begin;
        span.end = std::max(t, open.begin);
        span.location = open.location;
        span.name = open.name;
        span.args = open.args;
        span.depth = static_cast<uint16_t>(s.span_stack.size());
        s.spans.push_back(span);
    } else if constexpr (K == EventKind::AsyncSpanBegin) {
        // A span recorded for a given task belongs to it; otherwise to the task running here, if any.
        const uint32_t task = e.id3 != 0 ? st.task_for(s, e.id3, t) : s.open_task;
        st.span_begins.push_back(RawSpanBegin{e.id, e.id2, t, s.process, m_stream, task, st.interner.location(e.ref1),
                                              st.interner.string(e.ref2), st.interner.string(e.ref3),
                                              st.current_block});
    } else if constexpr (K == EventKind::AsyncSpanEnd) {
        st.span_ends.push_back(RawSpanEnd{e.id, t, s.process, m_stream, st.current_block});
    } else if constexpr (K == EventKind::Blocking) {
        BlockingEvent b;
        b.end = t;
        b.begin = std::max(-TickClock::kLimit,
                           TickClock::saturating_add(t, -std::max<Time>(0, m_clock.duration(e.id2))));
        b.task = e.id != 0 ? TaskIndex{st.task_for(s, e.id, t)} : TaskIndex{};
        b.frames = append_frames(e);
        s.blocking.push_back(b);
    } else if constexpr (K == EventKind::LoopLag) {
        LagSample l;
        l.time = t;
        l.lag = m_clock.duration(e.id2);
        s.lag.push_back(l);
    } else if constexpr (K == EventKind::EventsDropped) {
        s.dropped += e.id2;
        diag.dropped_events += e.id2;
    } else if constexpr (K == EventKind::Flow) {
        const uint16_t depth = e.ref2 == 0 ? FlowEnd::kNoDepth
                                           : static_cast<uint16_t>(std::min<uint32_t>(e.ref2 - 1, FlowEnd::kNoDepth - 1));
        st.flow_points.push_back(RawFlowPoint{e.id, e.id2, t, m_stream, s.process, st.interner.location(e.ref1), depth,
                                              e.outcome == 0 ? FlowPhase::Out : FlowPhase::In});
    } else if constexpr (K == EventKind::Instant) {
        Instant instant;
        instant.time = t;
        instant.location = st.interner.location(e.ref1);
        instant.args = st.interner.string(e.ref2);
        instant.scope = e.outcome == 1 ? InstantScope::Process : e.outcome == 2 ? InstantScope::Global : InstantScope::Thread;
        s.instants.push_back(instant);
    } else if constexpr (K == EventKind::Counter) {
        s.counters.push_back(RawCounter{t, e.counter_value(), st.interner.string(e.ref1), st.interner.string(e.ref2)});
    } else if constexpr (K == EventKind::Sample) {
        Sample sample;
        sample.time = t;
        sample.name = st.interner.string(e.ref1);
        sample.weight = e.id2 != 0 ? e.id2 : 1;
        sample.frames = append_frames(e);
        s.samples.push_back(sample);
    } else if constexpr (K == EventKind::Diagnostic) {
        const StringId label = st.interner.string(e.ref1);
        uint64_t& count = st.note_counts[label.value];
        count = e.id2 > std::numeric_limits<uint64_t>::max() - count ? std::numeric_limits<uint64_t>::max() : count + e.id2;
    }
}

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
    const uint64_t delivered = block.events_encoded ? block.encoded_event_count : block.events.size();
    s.next_object = block.header.object_offset + std::max<uint64_t>(block.header.nb_objects, delivered);
    st.model.diagnostics.unknown_events += block.unknown_events;
    st.current_block = static_cast<uint32_t>(st.model.blocks.size());
    st.model.blocks.push_back(block.header.block_id);
    st.interner.load_block(block);
    if (block.events_encoded) {
        // Read and ingested in one pass: the events are never stored. Damage stops the block there,
        // keeping the events before it, as a reader that decodes them keeps them (records.h).
        st.scratch_frames.clear();
        Impl::BlockIngest ingest(st, s, stream, st.scratch_frames);
        format::FormatError error;
        if (!format::detail::decode_encoded_events(block, ingest, error)) st.event_errors.push_back(std::move(error));
        st.encoded_events_read += ingest.close();
    } else {
        Impl::BlockIngest ingest(st, s, stream, block.frames);
        for (const format::Event& e : block.events) ingest.event(e);
        ingest.close();
    }
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
    if (task.created_seen) {
        ++model.diagnostics.duplicate_task_ids;
        // Keep the earliest creation whichever stream came first, so the result is order-free.
        const bool earlier = t < task.created ||
                             (t == task.created && streams[stream].info.stream_id < streams[task.created_by].info.stream_id);
        if (!earlier) return;
    }
    task.created_seen = true;
    task.created = t;
    task.name = interner.string(e.ref1);
    task.coro_name = interner.string(e.ref2);
    task.spawn_location = interner.location(e.ref3);
    task.parent_id = e.id2;
    task.created_by = stream;
}

void ModelBuilder::add_read_report(format::ReadReport& report) {
    Impl& st = *m_impl;
    // What reading left-encoded events found joins what the reader found, in file order.
    report.events += std::exchange(st.encoded_events_read, 0);
    report.unknown_events += std::exchange(st.encoded_unknown_events, 0);
    if (!st.event_errors.empty()) {
        // Each is a block the reader counted as intact before its events were read.
        report.records -= std::min<uint64_t>(report.records, st.event_errors.size());
        report.errors.insert(report.errors.end(), st.event_errors.begin(), st.event_errors.end());
        st.event_errors.clear();
        std::stable_sort(report.errors.begin(), report.errors.end(),
                         [](const format::FormatError& a, const format::FormatError& b) { return a.offset < b.offset; });
    }
    count_errors(report.errors, report.skipped_bytes);
}

void ModelBuilder::count_errors(const std::vector<format::FormatError>& errors, uint64_t skipped_bytes) {
    Diagnostics& diag = m_impl->model.diagnostics;
    diag.damaged_records += errors.size();
    diag.skipped_bytes += skipped_bytes;
    for (const format::FormatError& e : errors) {
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
    for (Flow& f : m.flows) shift(f.from.time), shift(f.to.time);
    for (Instant& i : m.instants) shift(i.time);
    for (Time& t : m.counter_samples.time) shift(t);
    for (Sample& s : m.samples) shift(s.time);
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
    shrink(m.flows);
    shrink(m.instants);
    shrink(m.counters);
    shrink(m.counter_samples.time);
    shrink(m.counter_samples.value);
    shrink(m.samples);
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
    // Damage found in left-encoded events that no add_read_report passed on still counts.
    count_errors(st.event_errors, 0);
    st.event_errors.clear();
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
    build_async_spans(st, c);
    build_awaits_and_times(st, c);
    build_instants_and_samples(st, c);
    build_counters(st, c);
    build_flows(st, c);
    for (const auto& [label, count] : st.note_counts) m.diagnostics.notes.emplace_back(std::string(m.string(StringId{label})), count);
    std::sort(m.diagnostics.notes.begin(), m.diagnostics.notes.end());

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
    std::vector<RawFlowPoint>().swap(st.flow_points);
    return result;
}

} // namespace weft
