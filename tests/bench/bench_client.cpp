// weft_client costs: nanoseconds per recorded event on the application thread (budget: 10 ns), the
// cost of a disabled call, and sustained throughput with the writer thread encoding to a file.
// Reported, never asserted. Counters: "dropped" = events the pool could not take (the writer fell
// behind). The hot-path figures record in batches the pool can hold and wait, untimed, for the
// writer between batches, so that they time recording an event, never the path of a dropped one.

#include "weft/client.h"
#include "weft/task.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>

namespace {

namespace client = weft::client;

std::string bench_trace_path() {
    return (std::filesystem::temp_directory_path() / ("weft-bench-client-" + std::to_string(getpid()) + ".weft"))
        .string();
}

// Events recorded so far by every benchmark thread, and how many one timed batch records: four
// buffers, a small part of the pool (512), so no batch runs it dry whatever the writer is doing.
std::atomic<uint64_t> g_recorded{0};
constexpr uint64_t kBatch = 16384 * 4;

void start_null(const benchmark::State&) {
    client::Options options;
    options.sink = client::make_null_sink();
    options.buffer_events = 16384;
    options.buffer_count = 512;
    options.flush_interval = std::chrono::milliseconds(1); // so a batch's last buffer goes out at once
    g_recorded = 0;
    client::init(std::move(options));
}

void start_file(const benchmark::State&) {
    client::Options options;
    options.output = bench_trace_path();
    options.buffer_events = 16384;
    options.buffer_count = 512;
    client::init(std::move(options));
}

void stop(const benchmark::State&) {
    client::shutdown();
    std::remove(bench_trace_path().c_str());
}

void report(benchmark::State& state, uint64_t events_per_iteration) {
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events_per_iteration));
    if (state.thread_index() == 0) {
        const client::Stats s = client::stats();
        state.counters["dropped"] = static_cast<double>(s.dropped);
    }
}

// Untimed: waits until the writer has taken every event recorded so far (or counted it dropped),
// for at most a few seconds should it have stopped.
void wait_for_writer() {
    const uint64_t target = g_recorded.load();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        const client::Stats s = client::stats();
        if (s.events + s.dropped >= target) return;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
}

// Times `record` (which records `per_call` events) kBatch / per_call times per iteration.
template <class Record>
void hot_path(benchmark::State& state, uint64_t per_call, Record record) {
    const uint64_t calls = kBatch / per_call;
    for (auto _ : state) {
        for (uint64_t i = 0; i < calls; ++i) record(i);
        state.PauseTiming();
        g_recorded += calls * per_call;
        wait_for_writer();
        state.ResumeTiming();
    }
    report(state, calls * per_call);
    // Per thread: nanoseconds of one thread's time per event it recorded.
    state.counters["ns_per_event"] =
        benchmark::Counter(static_cast<double>(state.iterations() * calls * per_call),
                           benchmark::Counter::kIsRate | benchmark::Counter::kAvgThreads | benchmark::Counter::kInvert);
}

// One event with two ids: the cheapest shape (task_run_begin).
void BM_EventRunBegin(benchmark::State& state) {
    hot_path(state, 1, [](uint64_t i) { client::task_run_begin(i + 1); });
}
BENCHMARK(BM_EventRunBegin)->Setup(start_null)->Teardown(stop)->Threads(1)->Threads(2)->UseRealTime();

// An async span begin: ids, a location and a name.
void BM_EventAsyncSpanBegin(benchmark::State& state) {
    hot_path(state, 1, [](uint64_t i) { client::async_span_begin(i + 1, 0, "bench.span"); });
}
BENCHMARK(BM_EventAsyncSpanBegin)->Setup(start_null)->Teardown(stop)->Threads(1)->Threads(2)->UseRealTime();

// WEFT_SCOPE: two events (begin and end) plus the scope-stack push and pop.
void BM_ScopePair(benchmark::State& state) {
    hot_path(state, 2, [](uint64_t) {
        WEFT_SCOPE("bench.scope");
        benchmark::ClobberMemory();
    });
}
BENCHMARK(BM_ScopePair)->Setup(start_null)->Teardown(stop)->Threads(1)->Threads(2)->UseRealTime();

// The clock read alone (the TSC, or CLOCK_MONOTONIC where the TSC does not keep time): every
// event takes one, so this is the floor under the figures above.
void BM_ClockRead(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(client::now_ticks());
}
BENCHMARK(BM_ClockRead)->Setup(start_null)->Teardown(stop);

void disable_after_start(const benchmark::State& s) {
    start_null(s);
    client::set_enabled(false);
}

// Recording switched off at run time: one relaxed load and a branch.
void BM_DisabledEvent(benchmark::State& state) {
    uint64_t id = 1;
    for (auto _ : state) client::task_run_begin(id++);
    report(state, 1);
}
BENCHMARK(BM_DisabledEvent)->Setup(disable_after_start)->Teardown(stop);

// Sustained: the writer thread encodes (CBOR + zstd) and writes the blocks to a file meanwhile.
// items_per_second is what one thread can record without the pool running dry (check "dropped").
void BM_SustainedToFile(benchmark::State& state) {
    uint64_t id = 1;
    for (auto _ : state) {
        client::task_run_begin(id);
        client::task_run_end(id++);
    }
    report(state, 2);
}
BENCHMARK(BM_SustainedToFile)->Setup(start_file)->Teardown(stop)->Threads(1)->Threads(2)->UseRealTime()->MinTime(1.0);

// A traced coroutine resumed inline: task_created, run slices, completion and its frame.
client::Task<int> tiny(int x) { co_return x + 1; }
client::Task<int> outer(int n) {
    int sum = 0;
    for (int i = 0; i < n; ++i) sum += co_await tiny(i);
    co_return sum;
}
void BM_CoroutineTaskInline(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(client::block_on(outer(100)));
    // per iteration: outer (4 events) + 100 inner tasks, each 4 events + an await pair + slice pair
    state.SetItemsProcessed(state.iterations() * 100);
    state.SetLabel("items = traced tasks");
}
BENCHMARK(BM_CoroutineTaskInline)->Setup(start_null)->Teardown(stop);

} // namespace

BENCHMARK_MAIN();
