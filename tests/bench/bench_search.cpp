// Find over a whole trace (query/search.h) on a 10M-event synthetic trace: a common term, one that
// matches nearly every item (past the 1M cap), a rare one and one that matches nothing. The trace
// is generated once into a temporary directory and loaded, or taken from $WEFT_BENCH_TRACE.
// Reported, never asserted: a search should feel immediate (well under a second) at this size.

#include "bench_trace.h"
#include "format/trace_reader.h"
#include "model/model_builder.h"
#include "query/search.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

// The model, loaded once for every benchmark; its temporary file is removed at once.
const weft::Model& model() {
    static const std::shared_ptr<const weft::Model> loaded = [] {
        weft::bench::BenchTrace trace("search-10m.weft");
        weft::format::ReadReport report;
        auto m = weft::load_trace(trace.path, report);
        trace.remove();
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
