#include "io/chrome/stream_emitter.h"

#include "io/chrome/block_assembler.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>

namespace weft::chrome {

namespace {

using format::Event;
using format::EventKind;

constexpr size_t kBlockEvents = 16384;
constexpr size_t kMaxFrames = 0xFFFF;

// What a stream carries besides its thread slices. At equal times, in this order: begins first,
// ends last, so that an instantaneous async slice still begins before it ends.
enum class PointKind : uint8_t {
    Note,
    TaskCreated,
    AsyncBegin,
    Instant,
    Counter,
    Sample,
    SampleEntry,
    V8Sample,
    FlowOut,
    FlowIn,
    AsyncEnd,
    TaskCompleted,
};

struct PointOp {
    Nanos time;
    uint32_t seq;
    PointKind kind;
    uint8_t lane;
    uint32_t index; // an event of the thread, an async slice, a flow link, a sample entry or a note
};

format::Uuid make_uuid(uint8_t kind, uint32_t a, uint32_t b = 0) {
    format::Uuid u{'W', 'C', 'J', kind};
    for (int i = 0; i < 4; ++i) u[8 + i] = static_cast<uint8_t>(a >> (24 - 8 * i));
    for (int i = 0; i < 4; ++i) u[12 + i] = static_cast<uint8_t>(b >> (24 - 8 * i));
    return u;
}

class Emitter {
public:
    Emitter(ImportState& st, std::vector<ThreadSlices>& slices, const std::vector<AsyncSlice>& async,
            const std::vector<FlowLink>& links, format::TraceSink& sink)
        : m_st(st), m_slices(slices), m_async(async), m_links(links), m_sink(sink), m_block(st.strings) {}

    EmitResult run(const std::atomic<bool>* cancel);

private:
    void attach_samples();
    void order();
    void announce_processes();
    void announce_streams(uint32_t thread);
    void plan_points();
    void emit_thread(uint32_t thread);
    void emit_point(const PointOp& op, uint32_t thread);
    void emit_notes();
    void put(Event e, Nanos time);
    void flush();
    uint32_t frames(uint32_t sf);
    Nanos v8_time(uint32_t sample) const;
    const std::vector<V8Node>& v8_stack(uint32_t profile, uint64_t node);

    ImportState& m_st;
    std::vector<ThreadSlices>& m_slices;
    const std::vector<AsyncSlice>& m_async;
    const std::vector<FlowLink>& m_links;
    format::TraceSink& m_sink;
    BlockAssembler m_block;
    format::DecodedBlock m_spent;
    EmitResult m_result;

    std::vector<std::vector<uint32_t>> m_entries; // per thread: its sample entries
    std::vector<std::vector<uint32_t>> m_v8;      // per thread: its V8 CPU profile samples
    std::unordered_map<uint64_t, std::vector<V8Node>> m_v8_stacks; // (profile, node) -> leaf first
    std::vector<uint32_t> m_thread_order;         // threads to emit, in lane order
    std::vector<uint32_t> m_process_rank;
    std::vector<uint32_t> m_thread_rank;
    std::vector<std::vector<PointOp>> m_points;   // per thread, by (lane, time, kind, seq)
    std::vector<uint32_t> m_note_labels;
    std::vector<uint64_t> m_note_counts;
    std::unordered_map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> m_stacks; // sf -> (name, category)s
    std::vector<format::BlockLocationId> m_frame_scratch;
    uint64_t m_first_stream_events = 0;
    uint32_t m_v8_name = 0;
};

void Emitter::attach_samples() {
    m_entries.assign(m_st.threads.size(), {});
    m_v8.assign(m_st.threads.size(), {});
    for (uint32_t k = 0; k < m_st.v8_samples.size(); ++k) {
        const uint32_t thread = m_st.profiles[m_st.v8_samples[k].profile].thread;
        if (thread < m_v8.size()) m_v8[thread].push_back(k);
    }
    if (m_st.sample_entries.empty()) return;
    // The top-level samples name threads by tid alone, as catapult reads them.
    std::unordered_map<uint64_t, uint32_t> by_tid;
    for (uint32_t t = 0; t < m_st.threads.size(); ++t) {
        const ThreadRecord& th = m_st.threads[t];
        by_tid.try_emplace(th.tid_name != 0 ? (uint64_t{1} << 63) | th.tid_name : th.tid, t);
    }
    for (uint32_t k = 0; k < m_st.sample_entries.size(); ++k) {
        const SampleEntry& s = m_st.sample_entries[k];
        const uint64_t key = s.tid_name != 0 ? (uint64_t{1} << 63) | s.tid_name : s.tid;
        auto it = by_tid.find(key);
        if (it == by_tid.end()) {
            // A thread no event named: it gets a process of its own, numbered like it.
            ProcessRecord p;
            p.pid = s.tid;
            p.pid_name = s.tid_name;
            ThreadRecord t;
            t.process = static_cast<uint32_t>(m_st.processes.size());
            t.tid = s.tid;
            t.tid_name = s.tid_name;
            p.threads.push_back(static_cast<uint32_t>(m_st.threads.size()));
            m_st.processes.push_back(std::move(p));
            m_st.threads.push_back(std::move(t));
            m_slices.emplace_back();
            m_entries.emplace_back();
            m_v8.emplace_back();
            it = by_tid.emplace(key, static_cast<uint32_t>(m_st.threads.size() - 1)).first;
        }
        m_entries[it->second].push_back(k);
    }
}

void Emitter::order() {
    // A trace whose events all went uncounted still says what it held: its notes need a stream.
    bool any = false;
    for (uint32_t t = 0; t < m_st.threads.size() && !any; ++t)
        any = !m_st.threads[t].events.empty() || !m_entries[t].empty() || !m_v8[t].empty();
    if (!any && !m_st.notes.empty() && m_st.threads.empty()) {
        m_st.processes.emplace_back();
        m_st.processes.back().threads.push_back(0);
        ThreadRecord t;
        t.process = static_cast<uint32_t>(m_st.processes.size() - 1);
        m_st.threads.push_back(std::move(t));
        m_slices.emplace_back();
        m_entries.emplace_back();
        m_v8.emplace_back();
    }
    const uint32_t notes_thread = !any && !m_st.notes.empty() ? 0u : ~0u;
    const auto& st = m_st;
    auto text = [&](uint32_t id) { return st.strings.get(id); };
    std::vector<uint32_t> processes(st.processes.size());
    std::iota(processes.begin(), processes.end(), 0u);
    std::sort(processes.begin(), processes.end(), [&](uint32_t a, uint32_t b) {
        const ProcessRecord& pa = st.processes[a];
        const ProcessRecord& pb = st.processes[b];
        if (pa.sort_index.value_or(0) != pb.sort_index.value_or(0)) return pa.sort_index.value_or(0) < pb.sort_index.value_or(0);
        if ((pa.pid_name != 0) != (pb.pid_name != 0)) return pa.pid_name == 0; // numbered processes first
        if (pa.pid != pb.pid) return pa.pid < pb.pid;
        return text(pa.pid_name) < text(pb.pid_name);
    });
    m_process_rank.assign(st.processes.size(), 0);
    for (uint32_t r = 0; r < processes.size(); ++r) m_process_rank[processes[r]] = r;

    auto live = [&](uint32_t t) {
        return !st.threads[t].events.empty() || !m_entries[t].empty() || !m_v8[t].empty() || t == notes_thread;
    };
    auto first_time = [&](uint32_t t) {
        const ThreadRecord& th = st.threads[t];
        Nanos first = th.events.empty() ? kOpenEnd : th.events[0].ts;
        for (uint32_t k : m_entries[t]) first = std::min(first, st.sample_entries[k].ts);
        for (uint32_t k : m_v8[t]) first = std::min(first, v8_time(k));
        return first;
    };
    m_thread_rank.assign(st.threads.size(), 0);
    for (uint32_t p : processes) {
        std::vector<uint32_t> threads;
        for (uint32_t t : st.processes[p].threads)
            if (live(t)) threads.push_back(t);
        std::vector<Nanos> first(threads.size());
        for (size_t k = 0; k < threads.size(); ++k) first[k] = first_time(threads[k]);
        std::vector<uint32_t> order(threads.size());
        std::iota(order.begin(), order.end(), 0u);
        std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
            const ThreadRecord& ta = st.threads[threads[a]];
            const ThreadRecord& tb = st.threads[threads[b]];
            if (ta.sort_index.value_or(0) != tb.sort_index.value_or(0)) return ta.sort_index.value_or(0) < tb.sort_index.value_or(0);
            if (first[a] != first[b]) return first[a] < first[b];
            if (ta.tid != tb.tid) return ta.tid < tb.tid;
            return text(ta.tid_name) < text(tb.tid_name);
        });
        for (uint32_t k : order) {
            m_thread_rank[threads[k]] = static_cast<uint32_t>(m_thread_order.size());
            m_thread_order.push_back(threads[k]);
        }
    }
}

void Emitter::announce_processes() {
    std::vector<bool> announced(m_st.processes.size(), false);
    const Nanos origin = m_st.min_ts == kOpenEnd ? 0 : m_st.min_ts;
    for (uint32_t t : m_thread_order) {
        const ThreadRecord& th = m_st.threads[t];
        const ProcessRecord& p = m_st.processes[th.process];
        if (!announced[th.process]) {
            announced[th.process] = true;
            format::ProcessInfo info;
            info.process_id = make_uuid('P', m_process_rank[th.process]);
            info.exe = std::string(m_st.strings.get(p.name != 0 ? p.name : p.pid_name));
            info.pid = p.pid;
            // Every process counts time from the trace's first event, in nanoseconds.
            info.start_time_ns = origin > 0 ? static_cast<uint64_t>(origin) : 0;
            info.start_ticks = origin;
            info.tick_frequency = 1'000'000'000;
            info.properties["source"] = "Chrome trace-event JSON";
            info.properties["sort_index"] = std::to_string(m_process_rank[th.process]);
            if (!p.labels.empty()) info.properties["labels"] = p.labels;
            if (p.pid_name != 0) info.properties["pid_name"] = std::string(m_st.strings.get(p.pid_name));
            m_sink.on_process(info);
        }
    }
}

// A thread's streams are announced just before its blocks: how many it has (its overlap lanes) is
// known only once its slices are nested, which may wait until then.
void Emitter::announce_streams(uint32_t t) {
    const ThreadRecord& th = m_st.threads[t];
    {
        const uint32_t lanes = std::max<uint32_t>(1, m_slices[t].lanes());
        for (uint32_t lane = 0; lane < lanes; ++lane) {
            format::StreamInfo info;
            info.stream_id = make_uuid('S', m_thread_rank[t], lane);
            info.process_id = make_uuid('P', m_process_rank[th.process]);
            std::string name(m_st.strings.get(th.name != 0 ? th.name : th.tid_name));
            if (lane > 0) {
                if (name.empty()) name = "tid " + std::to_string(th.tid);
                name += lane == 1 ? " (overlapping slices)" : " (overlapping slices " + std::to_string(lane) + ")";
            }
            info.thread_name = std::move(name);
            info.thread_id = th.tid;
            info.tags.push_back(lane == 0 ? "thread" : "overlap");
            // Lanes keep the trace's thread order, each overlap lane right after its thread.
            info.properties["sort_index"] = std::to_string(uint64_t{m_thread_rank[t]} * (kMaxOverlapLanes + 1) + lane);
            m_sink.on_stream(info);
            ++m_result.streams;
        }
    }
}

void Emitter::plan_points() {
    m_points.assign(m_st.threads.size(), {});
    for (uint32_t t = 0; t < m_st.threads.size(); ++t) {
        const auto& events = m_st.threads[t].events;
        auto& points = m_points[t];
        for (uint32_t i = 0; i < events.size(); ++i) {
            const RawEvent& e = events[i];
            const PointKind kind = e.ph == 'i' ? PointKind::Instant : e.ph == 'C' ? PointKind::Counter : PointKind::Sample;
            if (e.ph == 'i' || e.ph == 'C' || e.ph == 'P') points.push_back({e.ts, e.seq, kind, 0, i});
        }
        for (uint32_t k : m_entries[t]) {
            const SampleEntry& s = m_st.sample_entries[k];
            points.push_back({s.ts, s.seq, PointKind::SampleEntry, 0, k});
        }
        for (uint32_t k : m_v8[t]) points.push_back({v8_time(k), m_st.v8_samples[k].seq, PointKind::V8Sample, 0, k});
    }
    auto process_of = [&](uint32_t thread) { return m_st.threads[thread].process; };
    for (uint32_t a = 0; a < m_async.size(); ++a) {
        const AsyncSlice& s = m_async[a];
        const uint32_t seq = s.begin_event != ~0u ? m_st.threads[s.begin_thread].events[s.begin_event].seq : 0;
        auto& begin = m_points[s.begin_thread];
        if (s.parent == ~0u) begin.push_back({s.begin, seq, PointKind::TaskCreated, 0, a});
        begin.push_back({s.begin, seq, PointKind::AsyncBegin, 0, a});
        if (s.end == kOpenEnd) continue;
        // An async span belongs to one process: one ended in another process ends in its own.
        const uint32_t end_thread = process_of(s.end_thread) == process_of(s.begin_thread) ? s.end_thread : s.begin_thread;
        m_points[end_thread].push_back({s.end, seq, PointKind::AsyncEnd, 0, a});
        if (s.parent == ~0u) m_points[end_thread].push_back({s.end, seq, PointKind::TaskCompleted, 0, a});
    }
    for (uint32_t k = 0; k < m_links.size(); ++k) {
        const FlowLink& l = m_links[k];
        if (l.from.valid()) m_points[l.from.thread].push_back({l.from.time, k, PointKind::FlowOut, l.from.lane, k});
        if (l.to.valid()) m_points[l.to.thread].push_back({l.to.time, k, PointKind::FlowIn, l.to.lane, k});
    }
    for (auto& points : m_points) {
        auto before = [](const PointOp& a, const PointOp& b) {
            if (a.lane != b.lane) return a.lane < b.lane;
            if (a.time != b.time) return a.time < b.time;
            if (a.kind != b.kind) return a.kind < b.kind;
            return a.seq < b.seq;
        };
        if (!std::is_sorted(points.begin(), points.end(), before)) std::sort(points.begin(), points.end(), before);
    }
}

void Emitter::put(Event e, Nanos time) {
    e.ticks = time;
    m_block.add(e);
    ++m_result.events;
    if (m_block.size() >= kBlockEvents) flush();
}

void Emitter::flush() {
    if (m_block.size() == 0) return;
    m_block.finish(m_spent);
    m_sink.take_block(m_spent);
}

Nanos Emitter::v8_time(uint32_t sample) const {
    const V8Sample& x = m_st.v8_samples[sample];
    return m_st.profiles[x.profile].start + x.offset;
}

// The call stack of a V8 profile node, leaf first, up its parents.
const std::vector<V8Node>& Emitter::v8_stack(uint32_t profile, uint64_t node) {
    auto [it, inserted] = m_v8_stacks.try_emplace((uint64_t{profile} << 40) ^ node);
    if (inserted) {
        const V8Profile& p = m_st.profiles[profile];
        for (uint64_t at = node; at != 0 && it->second.size() < kMaxFrames;) {
            const auto n = p.nodes.find(at);
            if (n == p.nodes.end()) break;
            it->second.push_back(n->second);
            at = n->second.parent;
        }
    }
    return it->second;
}

uint32_t Emitter::frames(uint32_t sf) {
    auto [it, inserted] = m_stacks.try_emplace(sf);
    std::vector<std::pair<uint32_t, uint32_t>>& stack = it->second;
    if (inserted) {
        // Leaf first, up the parents; a frame named by no stackFrames entry stands as its id.
        uint32_t at = sf;
        while (at != 0 && stack.size() < kMaxFrames) {
            const auto frame = m_st.stack_frames.find(at);
            if (frame == m_st.stack_frames.end()) {
                stack.emplace_back(at, 0);
                break;
            }
            stack.emplace_back(frame->second.name, frame->second.category);
            at = frame->second.parent;
        }
    }
    m_frame_scratch.clear();
    for (const auto& [name, category] : stack) m_frame_scratch.push_back(m_block.location(name, category));
    return m_block.add_frames(m_frame_scratch);
}

void Emitter::emit_point(const PointOp& op, uint32_t thread) {
    Event e;
    const auto& events = m_st.threads[thread].events;
    switch (op.kind) {
    case PointKind::Note:
        e.kind = EventKind::Diagnostic;
        e.ref1 = m_block.string(m_note_labels[op.index]);
        e.id2 = m_note_counts[op.index];
        break;
    case PointKind::Instant: {
        const RawEvent& x = events[op.index];
        e.kind = EventKind::Instant;
        e.ref1 = m_block.location(x.name, x.cat);
        e.ref2 = m_block.string(x.args);
        e.outcome = (x.flags & kScopeGlobal) ? 2 : (x.flags & kScopeProcess) ? 1 : 0;
        break;
    }
    case PointKind::Counter: {
        const RawEvent& x = events[op.index];
        e.kind = EventKind::Counter;
        e.ref1 = m_block.string(x.name);
        e.ref2 = m_block.string(x.cat);
        e.id2 = static_cast<uint64_t>(x.dur);
        break;
    }
    case PointKind::Sample:
    case PointKind::SampleEntry: {
        const bool entry = op.kind == PointKind::SampleEntry;
        const uint32_t name = entry ? m_st.sample_entries[op.index].name : events[op.index].name;
        const uint32_t sf = entry ? m_st.sample_entries[op.index].sf : events[op.index].ref;
        const uint64_t weight = entry ? m_st.sample_entries[op.index].weight : static_cast<uint64_t>(events[op.index].dur);
        e.kind = EventKind::Sample;
        e.ref1 = m_block.string(name);
        e.id2 = weight;
        if (sf != 0) {
            e.frames_begin = frames(sf);
            e.frames_count = static_cast<uint16_t>(m_stacks[sf].size());
        }
        break;
    }
    case PointKind::V8Sample: {
        const V8Sample& x = m_st.v8_samples[op.index];
        e.kind = EventKind::Sample;
        e.ref1 = m_block.string(m_v8_name);
        const std::vector<V8Node>& stack = v8_stack(x.profile, x.node);
        m_frame_scratch.clear();
        for (const V8Node& n : stack) m_frame_scratch.push_back(m_block.code_location(n.function, n.url, n.line));
        e.frames_begin = m_block.add_frames(m_frame_scratch);
        e.frames_count = static_cast<uint16_t>(stack.size());
        break;
    }
    case PointKind::TaskCreated: {
        const AsyncSlice& s = m_async[op.index];
        e.kind = EventKind::TaskCreated;
        e.id = op.index + 1;
        e.id2 = s.parent_task != ~0u ? s.parent_task + 1 : 0;
        e.ref1 = m_block.string(s.name);
        e.ref3 = m_block.location(s.name, s.cat);
        break;
    }
    case PointKind::AsyncBegin: {
        const AsyncSlice& s = m_async[op.index];
        e.kind = EventKind::AsyncSpanBegin;
        e.id = op.index + 1;
        e.id2 = s.parent != ~0u ? s.parent + 1 : 0;
        e.ref1 = m_block.location(s.name, s.cat);
        e.ref2 = m_block.string(s.name);
        e.ref3 = m_block.string(s.args);
        e.id3 = s.root + 1; // the task: its top-level slice
        break;
    }
    case PointKind::AsyncEnd:
        e.kind = EventKind::AsyncSpanEnd;
        e.id = op.index + 1;
        break;
    case PointKind::TaskCompleted:
        e.kind = EventKind::TaskCompleted;
        e.id = op.index + 1;
        break;
    case PointKind::FlowOut:
    case PointKind::FlowIn: {
        const FlowLink& l = m_links[op.index];
        const FlowPoint& p = op.kind == PointKind::FlowOut ? l.from : l.to;
        e.kind = EventKind::Flow;
        e.id = op.index + 1;
        e.outcome = op.kind == PointKind::FlowOut ? 0 : 1;
        e.ref1 = m_block.location(l.name, l.cat);
        e.ref2 = p.depth != FlowPoint::kNoDepth ? p.depth + 1u : 0u;
        e.id2 = p.async_slice != ~0u ? p.async_slice + 1u : 0u;
        break;
    }
    }
    put(e, op.time);
}

void Emitter::emit_thread(uint32_t thread) {
    const ThreadRecord& th = m_st.threads[thread];
    const ThreadSlices& ts = m_slices[thread];
    const std::vector<Slice>& slices = ts.slices();
    const std::vector<PointOp>& points = m_points[thread];
    const uint32_t lanes = std::max<uint32_t>(1, ts.lanes());
    size_t p = 0, s = 0;
    std::vector<uint32_t> stack;
    for (uint32_t lane = 0; lane < lanes; ++lane) {
        m_block.begin(make_uuid('S', m_thread_rank[thread], lane), make_uuid('P', m_process_rank[th.process]), 0);
        auto points_until = [&](Nanos t, bool inclusive) {
            while (p < points.size() && points[p].lane == lane && (points[p].time < t || (inclusive && points[p].time == t)))
                emit_point(points[p++], thread);
        };
        auto end_top = [&]() {
            const Slice& top = slices[stack.back()];
            points_until(top.end, true);
            Event e;
            e.kind = EventKind::ThreadSpanEnd;
            put(e, top.end);
            stack.pop_back();
        };
        stack.clear();
        for (; s < slices.size() && slices[s].lane == lane; ++s) {
            const Slice& slice = slices[s];
            while (!stack.empty() && slices[stack.back()].end <= slice.begin) end_top();
            points_until(slice.begin, false);
            const RawEvent& x = th.events[slice.event];
            Event e;
            e.kind = EventKind::ThreadSpanBegin;
            e.ref1 = m_block.location(x.name, x.cat);
            e.ref3 = m_block.string(slice.args);
            put(e, slice.begin);
            stack.push_back(s);
        }
        // Slices still open at the end of the trace stay open: the model marks them unfinished.
        while (!stack.empty() && slices[stack.back()].end != kOpenEnd) end_top();
        while (p < points.size() && points[p].lane == lane) emit_point(points[p++], thread);
        flush();
        if (lane == 0 && thread == m_thread_order.front()) m_first_stream_events = m_block.next_offset();
    }
}

// What the import counted (some of it while nesting each thread's slices, as it was handed over)
// goes last, in a block of its own on the first stream, at the trace's last time.
void Emitter::emit_notes() {
    if (m_st.notes.empty() || m_thread_order.empty()) return;
    const uint32_t first = m_thread_order.front();
    m_block.begin(make_uuid('S', m_thread_rank[first], 0), make_uuid('P', m_process_rank[m_st.threads[first].process]),
                  m_first_stream_events);
    const Nanos at = m_st.max_ts == std::numeric_limits<Nanos>::min() ? 0 : m_st.max_ts;
    for (const auto& [label, count] : m_st.notes) {
        m_note_labels.push_back(m_st.strings.intern(label));
        m_note_counts.push_back(count);
        emit_point({at, 0, PointKind::Note, 0, static_cast<uint32_t>(m_note_labels.size() - 1)}, first);
    }
    flush();
}

EmitResult Emitter::run(const std::atomic<bool>* cancel) {
    if (!m_st.v8_samples.empty()) m_v8_name = m_st.strings.intern("V8 CPU profile");
    attach_samples();
    order();
    announce_processes();
    plan_points();
    for (uint32_t t : m_thread_order) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            m_result.cancelled = true;
            break;
        }
        // Slices no flow needed are nested only now, so that only one thread's are ever held.
        if (!m_slices[t].built()) {
            const auto& events = m_st.threads[t].events;
            m_slices[t].build({events.data(), events.size()}, m_st);
        }
        announce_streams(t);
        emit_thread(t);
        // What a thread had is handed over: free it before the next one grows the model.
        m_st.threads[t].events.release();
        m_slices[t] = ThreadSlices{};
        std::vector<PointOp>().swap(m_points[t]);
    }
    if (!m_result.cancelled) emit_notes();
    return m_result;
}

} // namespace

EmitResult emit_streams(ImportState& state, std::vector<ThreadSlices>& slices, const std::vector<AsyncSlice>& async,
                        const std::vector<FlowLink>& links, format::TraceSink& sink, const std::atomic<bool>* cancel) {
    return Emitter(state, slices, async, links, sink).run(cancel);
}

} // namespace weft::chrome
