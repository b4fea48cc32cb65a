// Find over a whole trace (query/search.h) on a 10M-event synthetic trace: a common term, one that
// matches nearly every item (past the 1M cap), a rare one and one that matches nothing. The trace
// is generated once into a temporary directory and loaded, or taken from $WEFT_BENCH_TRACE.
// Reported, never asserted: a search should feel immediate (well under a second) at this size.

#include "format/trace_reader.h"
#include "model/model_builder.h"
#include "query/search.h"
#include "synth/synthetic_trace.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

constexpr uint64_t kTraceEvents = 10'000'000;

// The model, loaded once for every benchmark; its temporary file is removed at once.
const weft::Model& model() {
    static const std::shared_ptr<const weft::Model> loaded = [] {
        std::string path;
        fs::path temp_dir;
        if (const char* env = std::getenv("WEFT_BENCH_TRACE"); env && *env) {
            path = env;
        } else {
            std::string templ = (fs::temp_directory_path() / "weft-bench-XXXXXX").string();
            if (!mkdtemp(templ.data())) {
                std::perror("mkdtemp");
                std::exit(1);
            }
            temp_dir = templ;
            path = (temp_dir / "search-10m.weft").string();
            weft::synth::SynthOptions options;
            options.events = kTraceEvents;
            options.seed = 2024;
            weft::synth::SynthResult result;
            std::string error;
            if (!weft::synth::generate_trace(options, path, result, error)) {
                std::fprintf(stderr, "generating the benchmark trace failed: %s\n", error.c_str());
                std::exit(1);
            }
        }
        weft::format::ReadReport report;
        auto m = weft::load_trace(path, report);
        std::error_code ec;
        if (!temp_dir.empty()) fs::remove_all(temp_dir, ec);
        if (!m) {
            std::fprintf(stderr, "loading the benchmark trace failed\n");
            std::exit(1);
        }
        return m;
    }();
    return *loaded;
}

size_t searchable_items(const weft::Model& m) {
    return m.tasks.size() + m.async_spans.size() + m.thread_spans.size() + m.awaits.size() +
           m.blocking.size() + m.instants.size();
}

void BM_Search(benchmark::State& state, const char* text) {
    const weft::Model& m = model();
    weft::SearchResult result;
    for (auto _ : state) {
        result = weft::search_trace(m, text);
        benchmark::DoNotOptimize(result.matches.data());
    }
    const auto items = static_cast<double>(searchable_items(m));
    state.counters["events"] = static_cast<double>(m.event_count);
    state.counters["items"] = items;
    state.counters["items_per_s"] = benchmark::Counter(items, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["matches"] = static_cast<double>(result.total());
    state.counters["kept"] = static_cast<double>(result.matches.size());
    state.counters["tasks"] = static_cast<double>(result.counts.tasks);
    state.counters["awaits"] = static_cast<double>(result.counts.awaits);
    state.counters["spans"] = static_cast<double>(result.counts.thread_spans + result.counts.async_spans);
    state.counters["blocking"] = static_cast<double>(result.counts.blocking);
}

// Tasks, await sites and stack frames of the user service: about a fifth of the items.
BENCHMARK_CAPTURE(BM_Search, common, "fetch")->Unit(benchmark::kMillisecond);
// Every "app/..." file label: nearly every item, so the 1M cap and its pruning are exercised.
BENCHMARK_CAPTURE(BM_Search, everything, "app")->Unit(benchmark::kMillisecond);
// One frame of one blocking stack.
BENCHMARK_CAPTURE(BM_Search, rare, "pbkdf2")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Search, none, "no_such_symbol")->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
