#include "synth/synthetic_trace.h"

#include "format/block_encoder.h"
#include "synth/sim_random.h"
#include "synth/workload_catalog.h"

#include <algorithm>
#include <memory>
#include <queue>
#include <vector>

namespace weft::synth {
namespace {

using format::BlockEncoder;
using format::BlockLocationId;
using format::Event;
using format::EventKind;

constexpr int64_t kUs = 1'000;
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kLagPeriod = 10 * kMs;
constexpr int64_t kMeanArrival = 2 * kMs;
constexpr uint64_t kStartTimeNs = 1'700'000'000'000'000'000ull; // a fixed wall clock keeps files reproducible
constexpr int64_t kStartTicks = 5'000'000;

// One thread of the simulated process. `clock` is the time of its last event: a thread's events are
// emitted in time order, so nothing may be placed on it before its clock.
struct SimThread {
    format::StreamInfo info;
    int64_t clock = 0;
    uint64_t emitted = 0; // events in finished and current blocks: the next block's object_offset
    bool block_open = false;
    std::unique_ptr<BlockEncoder> encoder;
};

struct SimTask {
    uint64_t id = 0;
    int32_t parent = -1;  // index into the task table
    uint32_t thread = 0;  // last thread it ran on
    uint32_t pending_children = 0;
    uint64_t span_id = 0; // its open async span, 0 if none
    int64_t await_since = 0; // when its current await began
    uint16_t depth = 0;
    uint8_t kind = 0;     // index into kChildKinds (unused for requests)
    uint8_t steps_left = 1;
    uint8_t outcome = 0;
    uint16_t polls = 0;   // run slices so far
    const char* message = nullptr;
    bool started = false;
    bool waiting_children = false;
};

enum class ItemType : uint8_t { Arrival, Ready, LagTick };

struct Item {
    int64_t time;
    uint64_t seq; // ties broken by insertion order, so the schedule is fully deterministic
    uint32_t task;
    ItemType type;
    bool operator>(const Item& o) const { return time != o.time ? time > o.time : seq > o.seq; }
};

class Generator {
public:
    Generator(const SynthOptions& options, format::TraceWriter& writer)
        : m_opt(options), m_writer(writer), m_rng(options.seed), m_ids(options.seed ^ 0x5eed'1d5'0f'7ace'5ull) {
        m_opt.threads = std::max<uint32_t>(1, m_opt.threads);
        m_opt.block_events = std::max<uint32_t>(1, m_opt.block_events);
        if (m_opt.tick_frequency == 0) m_opt.tick_frequency = 1'000'000'000;
    }

    bool run(SynthResult& result, std::string& error) {
        if (!write_infos()) return fail(error);
        push(kMs, ItemType::Arrival, 0);
        push(kLagPeriod, ItemType::LagTick, 0);
        while (!m_queue.empty() && m_events < m_opt.events && m_ok) {
            const Item item = m_queue.top();
            m_queue.pop();
            m_now = item.time;
            switch (item.type) {
            case ItemType::Arrival: on_arrival(); break;
            case ItemType::Ready: on_ready(item.task); break;
            case ItemType::LagTick: on_lag_tick(); break;
            }
        }
        for (SimThread& t : m_threads) flush(t);
        if (!m_ok) return fail(error);
        result.events = m_events;
        result.tasks = m_tasks.size();
        result.blocks = m_blocks;
        int64_t end = 0;
        for (const SimThread& t : m_threads) end = std::max(end, t.clock);
        result.duration_ns = static_cast<uint64_t>(end);
        return true;
    }

private:
    bool fail(std::string& error) {
        error = m_writer.error().empty() ? "write failed" : m_writer.error();
        return false;
    }

    format::Uuid make_uuid() {
        format::Uuid id{};
        const uint64_t hi = m_ids(), lo = m_ids();
        for (int i = 0; i < 8; ++i) {
            id[i] = static_cast<uint8_t>(hi >> (8 * i));
            id[8 + i] = static_cast<uint8_t>(lo >> (8 * i));
        }
        id[6] = static_cast<uint8_t>((id[6] & 0x0f) | 0x40); // version 4 layout, like a random UUID
        id[8] = static_cast<uint8_t>((id[8] & 0x3f) | 0x80);
        return id;
    }

    bool write_infos() {
        m_process.process_id = make_uuid();
        m_process.exe = "/usr/bin/python3 -m app.server";
        m_process.pid = 1000 + m_opt.seed % 30000;
        m_process.hostname = "synthetic-host";
        m_process.start_time_ns = kStartTimeNs;
        m_process.start_ticks = kStartTicks;
        m_process.tick_frequency = m_opt.tick_frequency;
        m_process.properties = {{"language", "python"},
                                {"agent", "weft synthetic workload"},
                                {"seed", std::to_string(m_opt.seed)}};
        if (!m_writer.write_process_info(m_process)) return false;
        m_threads.resize(m_opt.threads);
        for (uint32_t i = 0; i < m_opt.threads; ++i) {
            SimThread& t = m_threads[i];
            t.info.stream_id = make_uuid();
            t.info.process_id = m_process.process_id;
            t.info.thread_id = m_process.pid + i;
            if (i == 0) {
                t.info.thread_name = "event-loop";
                t.info.tags = {"thread", "event-loop"};
            } else {
                t.info.thread_name = "worker-" + std::to_string(i);
                t.info.tags = {"thread", "worker"};
            }
            t.encoder = std::make_unique<BlockEncoder>(m_opt.zstd_level);
            if (!m_writer.write_stream_info(t.info)) return false;
        }
        return true;
    }

    // --- emission -------------------------------------------------------------------------------

    int64_t ticks(int64_t ns) const { return kStartTicks + duration_ticks(ns); }
    int64_t duration_ticks(int64_t ns) const {
        const uint64_t f = m_opt.tick_frequency, n = static_cast<uint64_t>(std::max<int64_t>(ns, 0));
        return static_cast<int64_t>((n / 1'000'000'000) * f + (n % 1'000'000'000) * f / 1'000'000'000);
    }

    BlockEncoder& open(SimThread& t, int64_t time) {
        if (!t.block_open) {
            format::BlockHeader header;
            header.block_id = make_uuid();
            header.stream_id = t.info.stream_id;
            header.process_id = m_process.process_id;
            header.begin_ticks = ticks(time);
            header.end_ticks = header.begin_ticks;
            header.object_offset = t.emitted;
            t.encoder->begin(header);
            t.block_open = true;
        }
        return *t.encoder;
    }

    void add(SimThread& t, int64_t time, Event ev, std::span<const BlockLocationId> frames = {}) {
        time = std::max(time, t.clock); // never place an event before the thread's last one
        BlockEncoder& enc = open(t, time);
        ev.ticks = ticks(time);
        enc.add(ev, frames);
        t.clock = time;
        ++t.emitted;
        ++m_events;
        if (enc.event_count() >= m_opt.block_events) flush(t);
    }

    void flush(SimThread& t) {
        if (!t.block_open) return;
        m_buffer.clear();
        t.encoder->finish(m_buffer);
        t.block_open = false;
        ++m_blocks;
        if (!m_writer.write_framed(m_buffer)) m_ok = false;
    }

    uint32_t str(SimThread& t, int64_t time, const char* s) { return open(t, time).intern(s); }
    uint32_t loc(SimThread& t, int64_t time, const Site& s) {
        return open(t, time).intern_location(s.name, s.target, s.file, s.line);
    }

    static Event event(EventKind kind, uint64_t id = 0, uint64_t id2 = 0) {
        Event ev;
        ev.kind = kind;
        ev.id = id;
        ev.id2 = id2;
        return ev;
    }

    // --- scheduling -----------------------------------------------------------------------------

    void push(int64_t time, ItemType type, uint32_t task) { m_queue.push(Item{time, m_seq++, task, type}); }

    bool may_create_task() const {
        return m_events < m_opt.events && (m_opt.tasks == 0 || m_tasks.size() < m_opt.tasks);
    }

    uint32_t create_task(int32_t parent, uint16_t depth, uint8_t kind) {
        SimTask task;
        task.id = ++m_next_task_id;
        task.parent = parent;
        task.depth = depth;
        task.kind = kind;
        task.steps_left = static_cast<uint8_t>(parent < 0 ? m_rand.range(m_rng, 3, 6) : m_rand.range(m_rng, 1, 4));
        m_tasks.push_back(task);
        ++m_live_tasks;
        return static_cast<uint32_t>(m_tasks.size() - 1);
    }

    void on_arrival() {
        if (!may_create_task()) return;
        SimThread& loop = m_threads[0];
        const uint32_t index = create_task(-1, 0, 0);
        const int64_t at = std::max(m_now, loop.clock);
        Event ev = event(EventKind::TaskCreated, m_tasks[index].id, 0);
        ev.ref1 = str(loop, at, kRequestKind.name);
        ev.ref2 = str(loop, at, kRequestKind.coro_name);
        ev.ref3 = loc(loop, at, kRequestKind.spawn);
        add(loop, at, ev);
        push(at + dispatch_latency(), ItemType::Ready, index);
        push(m_now + std::max<int64_t>(1, m_rand.exponential(m_rng, kMeanArrival)), ItemType::Arrival, 0);
    }

    void on_lag_tick() {
        SimThread& loop = m_threads[0];
        // A timer due now runs when the loop gets to it: late by the loop's backlog plus a jitter.
        const int64_t jitter = std::clamp<int64_t>(m_rand.lognormal(m_rng, 80.0 * kUs, 0.7), 5 * kUs, 5 * kMs);
        const int64_t at = std::max(m_now, loop.clock) + jitter;
        add(loop, at, event(EventKind::LoopLag, 0, static_cast<uint64_t>(duration_ticks(at - m_now))));
        if (m_live_tasks > 0 || may_create_task()) push(m_now + kLagPeriod, ItemType::LagTick, 0);
    }

    int64_t dispatch_latency() { return std::clamp<int64_t>(m_rand.exponential(m_rng, 20 * kUs), 1 * kUs, 2 * kMs); }

    uint32_t pick_thread(const SimTask& task) {
        const uint32_t n = static_cast<uint32_t>(m_threads.size());
        if (task.parent < 0 || n == 1) return 0;
        // Work stealing: stay on the previous worker unless it is backed up or a coin says move.
        if (task.started && task.thread != 0 && m_threads[task.thread].clock <= m_now + 2 * kMs &&
            !m_rand.coin(m_rng, 0.12))
            return task.thread;
        uint32_t best = 1;
        for (uint32_t i = 2; i < n; ++i)
            if (m_threads[i].clock < m_threads[best].clock) best = i;
        if (m_rand.coin(m_rng, 0.3)) best = 1 + static_cast<uint32_t>(m_rand.range(m_rng, 0, n - 2));
        return best;
    }

    void on_ready(uint32_t index) {
        SimTask& task = m_tasks[index];
        const uint32_t th = pick_thread(task);
        if (task.started) {
            // The await ends when its result is ready; any thread idle at that moment records it
            // (the one about to run the task if it can), so the thread stays in time order.
            uint32_t recorder = th;
            if (m_threads[th].clock > m_now) {
                for (uint32_t i = 0; i < m_threads.size(); ++i)
                    if (m_threads[i].clock <= m_now) { recorder = i; break; }
            }
            add(m_threads[recorder], m_now, event(EventKind::AwaitEnd, task.id));
        }
        const int64_t start = std::max(m_now, m_threads[th].clock) + dispatch_latency();
        run_slice(index, th, start);
    }

    void run_slice(uint32_t index, uint32_t th_index, int64_t start);
    void thread_spans(SimThread& t, int64_t& cursor);
    void blocking(SimThread& t, const SimTask& task, int64_t& cursor);
    void spawn_children(uint32_t index, SimThread& t, int64_t& cursor);
    void finish_task(uint32_t index, SimThread& t, int64_t at);
    void await_next(uint32_t index, SimThread& t, int64_t at);

    SynthOptions m_opt;
    format::TraceWriter& m_writer;
    Rng m_rng;
    Rng m_ids; // a separate stream for UUIDs, so ids never perturb the workload
    SimRandom m_rand;
    format::ProcessInfo m_process;
    std::vector<SimThread> m_threads;
    std::vector<SimTask> m_tasks;
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> m_queue;
    std::vector<uint8_t> m_buffer;
    std::vector<BlockLocationId> m_frames;
    int64_t m_now = 0;
    uint64_t m_seq = 0;
    uint64_t m_events = 0;
    uint64_t m_blocks = 0;
    uint64_t m_live_tasks = 0;
    uint64_t m_next_task_id = 0;
    uint64_t m_next_span_id = 0;
    bool m_ok = true;
};

void Generator::run_slice(uint32_t index, uint32_t th_index, int64_t start) {
    SimThread& t = m_threads[th_index];
    SimTask& task = m_tasks[index];
    task.thread = th_index;
    if (th_index != 0 && m_rand.coin(m_rng, 1.0 / 4000)) {
        // The producer's buffer overflowed now and then: it says how much it lost.
        add(t, start, event(EventKind::EventsDropped, 0, m_rand.range(m_rng, 1, 300)));
    }
    add(t, start, event(EventKind::TaskRunBegin, task.id));
    int64_t cursor = start + m_rand.lognormal(m_rng, 15.0 * kUs, 0.6);
    if (!task.started) {
        task.started = true;
        const bool request = task.parent < 0;
        if (request || m_rand.coin(m_rng, 0.5)) {
            // Requests always open an async span; some sub-tasks open a child span that often ends
            // on another thread after the task migrated.
            const SimTask* parent = request ? nullptr : &m_tasks[static_cast<size_t>(task.parent)];
            const char* name = request ? "request" : kChildKinds[task.kind].name;
            const Site& site = request ? kRequestKind.spawn : kChildKinds[task.kind].spawn;
            task.span_id = ++m_next_span_id;
            Event ev = event(EventKind::AsyncSpanBegin, task.span_id, parent ? parent->span_id : 0);
            ev.ref1 = loc(t, cursor, site);
            ev.ref2 = str(t, cursor, name);
            add(t, cursor, ev);
        }
    }
    if (m_rand.coin(m_rng, 0.35)) thread_spans(t, cursor);
    if (task.steps_left > 1 && !task.waiting_children) spawn_children(index, t, cursor);
    if (m_rand.coin(m_rng, th_index == 0 ? 0.0006 : 0.0004)) blocking(t, m_tasks[index], cursor);
    cursor += std::clamp<int64_t>(m_rand.lognormal(m_rng, 40.0 * kUs, 0.9), 2 * kUs, 20 * kMs);
    SimTask& after = m_tasks[index]; // spawning may have grown the table
    ++after.polls;
    if (after.steps_left <= 1) {
        finish_task(index, t, cursor);
    } else {
        --after.steps_left;
        await_next(index, t, cursor);
    }
    add(t, cursor, event(EventKind::TaskRunEnd, m_tasks[index].id));
}

void Generator::thread_spans(SimThread& t, int64_t& cursor) {
    // 1 to 3 properly nested scopes.
    const int levels = static_cast<int>(m_rand.range(m_rng, 1, 3));
    const Site* open_sites[3];
    for (int level = 0; level < levels; ++level) {
        const Site& site = kScopes[m_rand.range(m_rng, 0, std::size(kScopes) - 1)];
        Event ev = event(EventKind::ThreadSpanBegin);
        ev.ref1 = loc(t, cursor, site);
        open_sites[level] = &site;
        add(t, cursor, ev);
        cursor += m_rand.lognormal(m_rng, 8.0 * kUs, 0.8);
    }
    for (int level = levels - 1; level >= 0; --level) {
        cursor += m_rand.lognormal(m_rng, 6.0 * kUs, 0.8);
        Event ev = event(EventKind::ThreadSpanEnd);
        // Location ids are block-local: intern again, a block may have ended since the begin.
        ev.ref1 = loc(t, cursor, *open_sites[level]);
        add(t, cursor, ev);
    }
}

void Generator::blocking(SimThread& t, const SimTask& task, int64_t& cursor) {
    // Mostly tens of milliseconds, with a tail well past the 100 ms threshold.
    const int64_t duration = std::clamp<int64_t>(m_rand.lognormal(m_rng, 35.0 * kMs, 1.0), 1 * kMs, 3000 * kMs);
    cursor += duration;
    const Stack& stack = kStacks[m_rand.range(m_rng, 0, std::size(kStacks) - 1)];
    m_frames.clear();
    for (uint32_t i = 0; i < stack.count; ++i) m_frames.push_back(loc(t, cursor, stack.frames[i]));
    add(t, cursor, event(EventKind::Blocking, task.id, static_cast<uint64_t>(duration_ticks(duration))), m_frames);
}

void Generator::spawn_children(uint32_t index, SimThread& t, int64_t& cursor) {
    const uint16_t depth = m_tasks[index].depth;
    if (depth >= m_opt.depth) return;
    // Requests fan out on their first slice and now and then later; sub-tasks only at their start.
    const bool first = m_tasks[index].polls == 0;
    if (!first && (depth > 0 || !m_rand.coin(m_rng, 0.3))) return;
    const double p = depth == 0 ? 0.9 : 0.45 / depth;
    if (!m_rand.coin(m_rng, p)) return;
    const uint64_t count = m_rand.range(m_rng, 1, depth == 0 ? 4 : 2);
    for (uint64_t i = 0; i < count && may_create_task(); ++i) {
        const uint8_t kind = static_cast<uint8_t>(m_rand.range(m_rng, 0, std::size(kChildKinds) - 1));
        const uint32_t child = create_task(static_cast<int32_t>(index), static_cast<uint16_t>(depth + 1), kind);
        cursor += m_rand.lognormal(m_rng, 3.0 * kUs, 0.5);
        Event ev = event(EventKind::TaskCreated, m_tasks[child].id, m_tasks[index].id);
        ev.ref1 = str(t, cursor, kChildKinds[kind].name);
        ev.ref2 = str(t, cursor, kChildKinds[kind].coro_name);
        ev.ref3 = loc(t, cursor, kChildKinds[kind].spawn);
        add(t, cursor, ev);
        ++m_tasks[index].pending_children;
        push(cursor + dispatch_latency(), ItemType::Ready, child);
    }
}

void Generator::finish_task(uint32_t index, SimThread& t, int64_t at) {
    SimTask& task = m_tasks[index];
    if (task.span_id != 0) {
        add(t, at, event(EventKind::AsyncSpanEnd, task.span_id));
        task.span_id = 0;
    }
    Event ev = event(EventKind::TaskCompleted, task.id);
    ev.outcome = task.outcome;
    if (task.message) ev.ref1 = str(t, at, task.message);
    add(t, at, ev);
    --m_live_tasks;
    if (task.parent >= 0) {
        SimTask& parent = m_tasks[static_cast<size_t>(task.parent)];
        if (parent.pending_children > 0 && --parent.pending_children == 0 && parent.waiting_children) {
            parent.waiting_children = false;
            // A child may finish on another thread before the parent's spawning slice has ended.
            push(std::max(at, parent.await_since) + dispatch_latency(), ItemType::Ready,
                 static_cast<uint32_t>(task.parent));
        }
    }
}

void Generator::await_next(uint32_t index, SimThread& t, int64_t at) {
    SimTask& task = m_tasks[index];
    const AwaitSite* site = &kGatherSite;
    int64_t duration = 0;
    if (task.pending_children > 0) {
        task.waiting_children = true; // resumed by its last child's completion
    } else {
        const uint32_t which = static_cast<uint32_t>(m_rand.range(m_rng, 0, std::size(kAwaitSites) - 1));
        site = &kAwaitSites[which];
        double ms = m_rand.lognormal_ms(m_rng, site->median_ms, site->sigma);
        if (which == kBillingSite && ms > kBillingTimeoutMs) {
            ms = kBillingTimeoutMs;
            task.steps_left = 1;
            task.outcome = static_cast<uint8_t>(format::Outcome::Error);
            task.message = kTimeoutMessage;
        } else if (m_rand.coin(m_rng, 0.004)) {
            ms *= m_rand.uniform(m_rng);
            task.steps_left = 1;
            task.outcome = static_cast<uint8_t>(format::Outcome::Cancelled);
            task.message = kCancelMessages[m_rand.range(m_rng, 0, std::size(kCancelMessages) - 1)];
        } else if (m_rand.coin(m_rng, 0.01)) {
            task.steps_left = 1;
            task.outcome = static_cast<uint8_t>(format::Outcome::Error);
            task.message = kErrorMessages[m_rand.range(m_rng, 0, std::size(kErrorMessages) - 1)];
        }
        duration = std::max<int64_t>(1 * kUs, static_cast<int64_t>(ms * kMs));
    }
    task.await_since = at;
    Event ev = event(EventKind::AwaitBegin, task.id);
    ev.ref1 = str(t, at, site->awaitable);
    ev.ref2 = loc(t, at, site->site);
    add(t, at, ev);
    if (!task.waiting_children) push(at + duration, ItemType::Ready, index);
}

} // namespace

bool generate_trace(const SynthOptions& options, format::TraceWriter& writer, SynthResult& result,
                    std::string& error) {
    Generator generator(options, writer);
    return generator.run(result, error);
}

bool generate_trace(const SynthOptions& options, const std::string& path, SynthResult& result,
                    std::string& error) {
    format::TraceWriter writer;
    if (!writer.open(path)) {
        error = writer.error();
        return false;
    }
    const bool ok = generate_trace(options, writer, result, error);
    if (!writer.close() && ok) {
        error = writer.error();
        return false;
    }
    return ok;
}

} // namespace weft::synth
