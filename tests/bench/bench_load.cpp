// End-to-end load benchmark: a 10M-event synthetic trace (generated once into a temporary
// directory, or taken from $WEFT_BENCH_TRACE) is decoded and built into a model.
// Budget (docs: performance budget): >= 20M events/s on one core, <= 32 resident bytes per event.
// Reported, never asserted.

#include "format/trace_reader.h"
#include "model/model_builder.h"
#include "bench_trace.h"

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

using weft::bench::kTraceEvents;

const std::string& trace_path() {
    static weft::bench::BenchTrace trace("load-10m.weft");
    return trace.path;
}

uint64_t resident_bytes() {
    std::FILE* f = std::fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long long size = 0, resident = 0;
    const int n = std::fscanf(f, "%llu %llu", &size, &resident);
    std::fclose(f);
    return n == 2 ? resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

// User and system CPU time of the whole process so far, in ns. The system share of a load is
// mostly the kernel clearing fresh pages, whose cost depends on the machine (on virtual machines
// a hypervisor may back each fresh page lazily), so it is reported apart from the user share.
struct CpuTimes {
    double user_ns = 0, system_ns = 0;
    static CpuTimes now() {
        rusage u{};
        getrusage(RUSAGE_SELF, &u);
        auto ns = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_usec) * 1e3; };
        return {ns(u.ru_utime), ns(u.ru_stime)};
    }
};

struct NullSink final : weft::format::TraceSink {
    uint64_t events = 0;
    void on_process(const weft::format::ProcessInfo&) override {}
    void on_stream(const weft::format::StreamInfo&) override {}
    void on_block(const weft::format::DecodedBlock& block) override { events += block.events.size(); }
};

void BM_LoadTrace(benchmark::State& state) {
    const std::string& path = trace_path();
    uint64_t events = 0;
    double model_bytes = 0, rss_growth = 0;
    for (auto _ : state) {
        state.PauseTiming();
        malloc_trim(0); // so the growth below is this load's, not memory kept from the previous one
        const uint64_t before = resident_bytes();
        state.ResumeTiming();

        weft::format::ReadReport report;
        std::shared_ptr<const weft::Model> model = weft::load_trace(path, report);

        state.PauseTiming();
        if (!model) {
            state.SkipWithError("load_trace failed");
            break;
        }
        events = model->event_count;
        model_bytes = static_cast<double>(model->memory_bytes());
        rss_growth = static_cast<double>(resident_bytes()) - static_cast<double>(before);
        model.reset();
        state.ResumeTiming();
    }
    state.counters["events"] = static_cast<double>(events);
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsIterationInvariantRate);
    if (events) {
        state.counters["model_bytes_per_event"] = model_bytes / static_cast<double>(events);
        state.counters["rss_bytes_per_event"] = rss_growth / static_cast<double>(events);
    }
    state.counters["file_bytes_per_event"] =
        events ? static_cast<double>(fs::file_size(path)) / static_cast<double>(events) : 0;
}
// The CPU column counts both pipeline threads (process CPU time), so it reads as one core's work.
BENCHMARK(BM_LoadTrace)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime()->Iterations(3);

// The same load on the calling thread alone, without the decode/build pipeline: the work of one
// core with no hand-off between threads.
//
// The first load is reported apart from the others. It makes hundreds of megabytes resident that
// the process never had, and on a virtual machine whose memory the host takes back when the guest
// frees it (free page reporting), each such page first traps to the hypervisor: the kernel's share
// of that load can be several times its share of the next ones, which get back pages freed moments
// before. For `first_*` to be the process's first load, run this benchmark alone
// (--benchmark_filter=OneThread) on a trace given by WEFT_BENCH_TRACE: generating one first, or an
// earlier benchmark, would have warmed the memory.
void BM_LoadTraceOneThread(benchmark::State& state) {
    const std::string& path = trace_path();
    uint64_t events = 0;
    struct Load {
        double user_ns = 0, system_ns = 0, read_ns = 0;
    };
    std::vector<Load> loads;
    for (auto _ : state) {
        state.PauseTiming();
        malloc_trim(0);
        const CpuTimes before = CpuTimes::now();
        state.ResumeTiming();
        weft::ModelBuilder builder;
        weft::format::ReadReport report = weft::format::read_trace_file(path, builder);
        builder.add_read_report(report);
        const CpuTimes read = CpuTimes::now(); // one cheap system call: not worth pausing for
        std::shared_ptr<const weft::Model> model = builder.finish();
        state.PauseTiming();
        const CpuTimes after = CpuTimes::now();
        loads.push_back({after.user_ns - before.user_ns, after.system_ns - before.system_ns,
                         (read.user_ns + read.system_ns) - (before.user_ns + before.system_ns)});
        events = model->event_count;
        model.reset();
        state.ResumeTiming();
    }
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsIterationInvariantRate);
    if (events == 0 || loads.empty()) return;
    const auto n = static_cast<double>(events);
    state.counters["first_ns_per_event"] = (loads[0].user_ns + loads[0].system_ns) / n;
    state.counters["first_system_ns_per_event"] = loads[0].system_ns / n;
    if (loads.size() < 2) return;
    // The later loads, averaged: CPU per event, split between user and system (the kernel making
    // fresh pages resident) and between reading (file, checksums, zstd, events into the builder)
    // and finish().
    Load sum;
    for (size_t i = 1; i < loads.size(); ++i) {
        sum.user_ns += loads[i].user_ns;
        sum.system_ns += loads[i].system_ns;
        sum.read_ns += loads[i].read_ns;
    }
    const double per = n * static_cast<double>(loads.size() - 1);
    state.counters["repeat_ns_per_event"] = (sum.user_ns + sum.system_ns) / per;
    state.counters["repeat_user_ns_per_event"] = sum.user_ns / per;
    state.counters["repeat_system_ns_per_event"] = sum.system_ns / per;
    state.counters["repeat_read_ns_per_event"] = sum.read_ns / per;
    state.counters["repeat_finish_ns_per_event"] = (sum.user_ns + sum.system_ns - sum.read_ns) / per;
}
BENCHMARK(BM_LoadTraceOneThread)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime()->Iterations(4);

// Decoding alone (framing, checksums, CBOR, zstd), to tell the reader's share from the builder's.
void BM_DecodeOnly(benchmark::State& state) {
    const std::string& path = trace_path();
    uint64_t events = 0;
    for (auto _ : state) {
        NullSink sink;
        const weft::format::ReadReport report = weft::format::read_trace_file(path, sink);
        benchmark::DoNotOptimize(report.records);
        events = sink.events;
    }
    state.counters["events_per_s"] =
        benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_DecodeOnly)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The generator itself: `weft-cli generate` of 10M events should take well under 15 s.
void BM_Generate1M(benchmark::State& state) {
    const fs::path out = fs::temp_directory_path() / ("weft-generate-bench-" + std::to_string(getpid()) + ".weft");
    for (auto _ : state) {
        weft::synth::SynthOptions options;
        options.events = 1'000'000;
        weft::synth::SynthResult result;
        std::string error;
        if (!weft::synth::generate_trace(options, out.string(), result, error)) {
            state.SkipWithError(error.c_str());
            break;
        }
    }
    std::error_code ec;
    fs::remove(out, ec);
    state.counters["events_per_s"] =
        benchmark::Counter(1'000'000.0, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Generate1M)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

} // namespace

BENCHMARK_MAIN();
