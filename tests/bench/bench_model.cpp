// Model building from already decoded blocks: the builder's share of loading a trace.
// Reports events/s and the resident bytes per event of the finished Model.
//
// The trace: 4 threads, each interleaving 8 live tasks at a time; every task is created, runs 4
// slices with 3 awaits between them, completes; some tasks resume on another thread, open thread
// spans and async spans; loop threads sample lag. About 16-17 events per task.

#include "model/model_builder.h"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

using namespace weft;
using format::Event;
using format::EventKind;

struct Trace {
    format::ProcessInfo process;
    std::vector<format::StreamInfo> streams;
    std::vector<format::DecodedBlock> blocks;
    size_t events = 0;
};

class StreamWriter {
public:
    StreamWriter(Trace& trace, const format::StreamInfo& info, size_t block_events)
        : m_trace(trace), m_info(info), m_block_events(block_events) { start(); }

    void add(EventKind kind, int64_t ticks, uint64_t id = 0, uint64_t id2 = 0, uint32_t ref1 = 0,
             uint32_t ref2 = 0, uint32_t ref3 = 0) {
        Event e;
        e.kind = kind;
        e.ticks = ticks;
        e.id = id;
        e.id2 = id2;
        e.ref1 = ref1;
        e.ref2 = ref2;
        e.ref3 = ref3;
        m_block.events.push_back(e);
        if (m_block.events.size() >= m_block_events) flush();
    }
    void flush() {
        if (m_block.events.empty()) return;
        m_block.header.nb_objects = m_block.events.size();
        m_block.header.begin_ticks = m_block.events.front().ticks;
        m_block.header.end_ticks = m_block.events.back().ticks;
        m_offset += m_block.events.size();
        m_trace.events += m_block.events.size();
        m_trace.blocks.push_back(std::move(m_block));
        start();
    }

private:
    // Every block carries its own small string and location tables, as producers write them.
    void start() {
        m_block = format::DecodedBlock{};
        m_block.header.stream_id = m_info.stream_id;
        m_block.header.process_id = m_info.process_id;
        m_block.header.object_offset = m_offset;
        static const char* kStrings[] = {"worker", "fetch", "sleep", "recv", "app.py", "net.py", "db.query", "lock"};
        const std::string_view all = "workerfetchsleeprecvapp.pynet.pydb.querylock";
        m_block.payload_storage.assign(all.begin(), all.end());
        size_t at = 0;
        for (const char* s : kStrings) {
            const size_t n = std::char_traits<char>::length(s);
            m_block.strings.emplace_back(reinterpret_cast<const char*>(m_block.payload_storage.data()) + at, n);
            at += n;
        }
        m_block.locations = {{1, 0, 5, 12}, {2, 0, 5, 40}, {4, 0, 6, 7}, {7, 0, 6, 90}};
    }

    Trace& m_trace;
    format::StreamInfo m_info;
    size_t m_block_events;
    uint64_t m_offset = 0;
    format::DecodedBlock m_block;
};

Trace make_trace(size_t target_events) {
    Trace trace;
    trace.process.process_id[0] = 1;
    trace.process.tick_frequency = 1'000'000'000;
    constexpr int kThreads = 4;
    constexpr int kWindow = 8;
    std::vector<StreamWriter> writers;
    writers.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        format::StreamInfo s;
        s.stream_id[0] = 2;
        s.stream_id[1] = static_cast<uint8_t>(t);
        s.process_id = trace.process.process_id;
        s.thread_name = "thread-" + std::to_string(t);
        if (t == 0) s.tags = {"event-loop"};
        trace.streams.push_back(s);
    }
    for (int t = 0; t < kThreads; ++t) writers.emplace_back(trace, trace.streams[t], 1024);

    std::vector<int64_t> clock(kThreads, 0);
    uint64_t next_task = 1, next_span = 1;
    while (trace.events < target_events) {
        for (int th = 0; th < kThreads; ++th) {
            StreamWriter& w = writers[th];
            int64_t& now = clock[th];
            const uint64_t first = next_task;
            next_task += kWindow;
            for (int k = 0; k < kWindow; ++k)
                w.add(EventKind::TaskCreated, now += 3, first + k, k == 0 ? 0 : first, 1, 2, 1);
            for (int step = 0; step < 4; ++step) {
                for (int k = 0; k < kWindow; ++k) {
                    const uint64_t id = first + k;
                    if (step > 0) w.add(EventKind::AwaitEnd, now += 50, id);
                    w.add(EventKind::TaskRunBegin, now += 2, id);
                    if (k % 8 == 3 && step == 1) {
                        w.add(EventKind::ThreadSpanBegin, now += 5, 0, 0, 3, 7);
                        w.add(EventKind::ThreadSpanEnd, now += 20, 0, 0, 3);
                    }
                    if (k % 16 == 5 && step == 0) {
                        w.add(EventKind::AsyncSpanBegin, now += 5, next_span, 0, 2, 4);
                        w.add(EventKind::AsyncSpanEnd, now += 30, next_span++);
                    }
                    if (step < 3) {
                        w.add(EventKind::AwaitBegin, now += 40, id, 0, step == 2 ? 8 : 3, 2);
                    } else {
                        w.add(EventKind::TaskCompleted, now += 40, id, 0, 0);
                    }
                    w.add(EventKind::TaskRunEnd, now += 1, id);
                }
            }
            if (th == 0) w.add(EventKind::LoopLag, now += 1, 0, 120);
        }
    }
    for (StreamWriter& w : writers) w.flush();
    // Blocks interleave across streams as a file would have them: by their first tick.
    std::stable_sort(trace.blocks.begin(), trace.blocks.end(),
                     [](const format::DecodedBlock& a, const format::DecodedBlock& b) {
                         return a.header.begin_ticks < b.header.begin_ticks;
                     });
    return trace;
}

const Trace& trace() {
    static const Trace t = make_trace(2'000'000);
    return t;
}

void BM_BuildModel(benchmark::State& state) {
    const Trace& t = trace();
    size_t bytes = 0;
    for (auto _ : state) {
        ModelBuilder builder;
        builder.on_process(t.process);
        for (const auto& s : t.streams) builder.on_stream(s);
        for (const auto& b : t.blocks) builder.on_block(b);
        auto model = builder.finish();
        bytes = model->memory_bytes();
        benchmark::DoNotOptimize(model.get());
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * t.events));
    state.counters["events"] = static_cast<double>(t.events);
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(t.events), benchmark::Counter::kIsIterationInvariantRate);
    state.counters["bytes_per_event"] = static_cast<double>(bytes) / static_cast<double>(t.events);
}
BENCHMARK(BM_BuildModel)->Unit(benchmark::kMillisecond);

// Ingestion alone, without finish(): where the per-event cost goes.
void BM_IngestOnly(benchmark::State& state) {
    const Trace& t = trace();
    for (auto _ : state) {
        state.PauseTiming();
        auto builder = std::make_unique<ModelBuilder>();
        state.ResumeTiming();
        builder->on_process(t.process);
        for (const auto& s : t.streams) builder->on_stream(s);
        for (const auto& b : t.blocks) builder->on_block(b);
        state.PauseTiming();
        builder.reset();
        state.ResumeTiming();
    }
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(t.events), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_IngestOnly)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
