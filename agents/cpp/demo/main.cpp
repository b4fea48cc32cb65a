// weft-demo: a traced async service (request handlers fanning out over a worker pool and an event
// loop) that writes a .weft trace, for trying the viewer and for tests.

#include "executors.h"
#include "workload.h"

#include "weft/client.h"
#include "weft/task.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void usage() {
    std::fprintf(stderr,
                 "usage: weft-demo [--output FILE] [--duration-ms N] [--requests N] [--seed S]\n"
                 "  --output FILE     trace to write (default demo.weft)\n"
                 "  --duration-ms N   spread request arrivals over N ms (default 2000)\n"
                 "  --requests N      requests to handle (default 120)\n"
                 "  --seed S          seed of the simulated work (default 1)\n");
}

bool parse_number(const char* text, long long lo, long long hi, long long& out) {
    char* end = nullptr;
    const long long v = std::strtoll(text, &end, 10);
    if (!end || *end != '\0' || v < lo || v > hi) return false;
    out = v;
    return true;
}

const char* kKindNames[] = {"",           "thread_span_begin", "thread_span_end", "async_span_begin",
                            "async_span_end", "task_created",  "task_run_begin",  "task_run_end",
                            "task_completed", "await_begin",   "await_end",       "blocking",
                            "loop_lag",       "events_dropped"};

} // namespace

int main(int argc, char** argv) {
    std::string output = "demo.weft";
    weft::demo::WorkloadOptions workload;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        long long v = 0;
        const bool has_value = i + 1 < argc;
        if (arg == "--help" || arg == "-h") {
            usage();
            return 0;
        } else if (arg == "--output" && has_value) {
            output = argv[++i];
        } else if (arg == "--duration-ms" && has_value && parse_number(argv[++i], 0, 3'600'000, v)) {
            workload.duration = std::chrono::milliseconds(v);
        } else if (arg == "--requests" && has_value && parse_number(argv[++i], 1, 1'000'000, v)) {
            workload.requests = static_cast<int>(v);
        } else if (arg == "--seed" && has_value && parse_number(argv[++i], 0, INT64_MAX, v)) {
            workload.seed = static_cast<uint64_t>(v);
        } else {
            std::fprintf(stderr, "weft-demo: bad argument '%s'\n", argv[i]);
            usage();
            return 2;
        }
    }

    weft::client::Options options;
    options.output = output;
    options.properties["program"] = "weft-demo";
    if (!weft::client::init(std::move(options))) {
        std::fprintf(stderr, "weft-demo: cannot record to '%s' (or WEFT_DISABLE=1)\n", output.c_str());
        return 1;
    }
    weft::client::set_thread_name("main");

    weft::demo::WorkloadResult result;
    {
        weft::demo::EventLoop loop;
        weft::demo::ThreadPool pool(4);
        loop.start_lag_monitor(std::chrono::milliseconds(10));
        weft::demo::Service service(pool, loop, workload);
        result = weft::client::block_on(service.serve());
        loop.stop();
        pool.stop();
    }
    weft::client::shutdown();

    const weft::client::Stats stats = weft::client::stats();
    std::string kinds;
    for (int k = 1; k <= 13; ++k) {
        if (!stats.events_by_kind[k]) continue;
        kinds += (kinds.empty() ? "" : ", ") + std::string(kKindNames[k]) + " " +
                 std::to_string(stats.events_by_kind[k]);
    }
    std::fprintf(stderr,
                 "weft-demo: %d requests (%d ok, %d failed, %d cancelled); wrote %s: %llu events in %llu blocks "
                 "from %llu threads, %llu bytes, %llu dropped [%s]%s\n",
                 result.ok + result.failed + result.cancelled, result.ok, result.failed, result.cancelled,
                 output.c_str(), static_cast<unsigned long long>(stats.events),
                 static_cast<unsigned long long>(stats.blocks), static_cast<unsigned long long>(stats.streams),
                 static_cast<unsigned long long>(stats.bytes), static_cast<unsigned long long>(stats.dropped),
                 kinds.c_str(), stats.sink_failed ? " (WRITE FAILED)" : "");
    return stats.sink_failed ? 1 : 0;
}
