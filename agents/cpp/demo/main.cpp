// weft-demo: a traced async service (request handlers fanning out over a worker pool and an event
// loop) that writes a .weft trace and/or serves it live, for trying the viewer and for tests. With
// --rate it records a synthetic high event rate instead, to measure throughput and loss.

#include "executors.h"
#include "load.h"
#include "workload.h"

#include "weft/client.h"
#include "weft/task.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

void usage() {
    std::fprintf(stderr,
                 "usage: weft-demo [--output FILE] [--listen ADDRESS] [--duration-ms N | --forever]\n"
                 "                 [--requests N] [--seed S] [--rate N [--threads N]]\n"
                 "  --output FILE     trace to write (default demo.weft; when serving live: none unless\n"
                 "                    given here or in $WEFT_OUTPUT)\n"
                 "  --listen ADDRESS  serve the trace live: unix, unix:PATH, tcp:127.0.0.1:PORT or off\n"
                 "                    (default: $WEFT_LISTEN, else off)\n"
                 "  --duration-ms N   run for about N ms (default 2000)\n"
                 "  --forever         run until SIGINT or SIGTERM, then shut down cleanly\n"
                 "  --requests N      requests per service round (default 120)\n"
                 "  --seed S          seed of the simulated work (default 1)\n"
                 "  --rate N          load mode: record N events/s in total (0: as fast as possible)\n"
                 "                    from tight task/run/await loops instead of the service\n"
                 "  --threads N       load mode threads (default 4)\n"
                 "On exit, prints the events recorded per stream and in total on stderr, and one line\n"
                 "'weft-demo-stats: {json}' for scripts.\n");
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

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free); // set from a signal handler

extern "C" void on_signal(int) { g_stop.store(true, std::memory_order_relaxed); }

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

void print_stats(const weft::client::Stats& stats, const std::string& output, const std::string& summary,
                 unsigned long long load_events) {
    using ull = unsigned long long;
    std::string kinds;
    for (int k = 1; k <= 13; ++k) {
        if (!stats.events_by_kind[k]) continue;
        kinds += (kinds.empty() ? "" : ", ") + std::string(kKindNames[k]) + " " + std::to_string(stats.events_by_kind[k]);
    }
    for (const auto& s : stats.per_stream)
        std::fprintf(stderr, "weft-demo: stream '%s' (thread %llu): %llu events, %llu dropped\n", s.name.c_str(),
                     static_cast<ull>(s.thread_id), static_cast<ull>(s.events), static_cast<ull>(s.dropped));
    std::fprintf(stderr, "weft-demo: %s; %s: %llu events in %llu blocks from %llu threads, %llu bytes, %llu dropped [%s]%s\n",
                 summary.c_str(), output.empty() ? "no file" : ("wrote " + output).c_str(), static_cast<ull>(stats.events),
                 static_cast<ull>(stats.blocks), static_cast<ull>(stats.streams), static_cast<ull>(stats.bytes),
                 static_cast<ull>(stats.dropped), kinds.c_str(), stats.sink_failed ? " (WRITE FAILED)" : "");
    if (!stats.listen_address.empty())
        std::fprintf(stderr, "weft-demo: served %s: %llu viewer(s) attached, %llu refused, %llu blocks dropped for a slow viewer\n",
                     stats.listen_address.c_str(), static_cast<ull>(stats.live_attachments),
                     static_cast<ull>(stats.live_refused), static_cast<ull>(stats.live_blocks_dropped));
    std::string json = "{\"events\": " + std::to_string(stats.events) + ", \"dropped\": " + std::to_string(stats.dropped) +
                       ", \"blocks\": " + std::to_string(stats.blocks) + ", \"load_events\": " + std::to_string(load_events) +
                       ", \"listen\": " + json_string(stats.listen_address) +
                       ", \"live_attachments\": " + std::to_string(stats.live_attachments) +
                       ", \"live_refused\": " + std::to_string(stats.live_refused) +
                       ", \"live_blocks_dropped\": " + std::to_string(stats.live_blocks_dropped) + ", \"streams\": [";
    for (size_t i = 0; i < stats.per_stream.size(); ++i) {
        const auto& s = stats.per_stream[i];
        json += (i ? ", " : "") + std::string("{\"name\": ") + json_string(s.name) + ", \"thread_id\": " +
                std::to_string(s.thread_id) + ", \"events\": " + std::to_string(s.events) +
                ", \"dropped\": " + std::to_string(s.dropped) + "}";
    }
    std::fprintf(stderr, "weft-demo-stats: %s]}\n", json.c_str());
}

} // namespace

int main(int argc, char** argv) {
    std::string output;
    std::string listen;
    bool forever = false;
    long long rate = -1;
    int threads = 4;
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
        } else if (arg == "--listen" && has_value) {
            listen = argv[++i];
        } else if (arg == "--forever") {
            forever = true;
        } else if (arg == "--duration-ms" && has_value && parse_number(argv[++i], 0, 3'600'000, v)) {
            workload.duration = std::chrono::milliseconds(v);
        } else if (arg == "--requests" && has_value && parse_number(argv[++i], 1, 1'000'000, v)) {
            workload.requests = static_cast<int>(v);
        } else if (arg == "--seed" && has_value && parse_number(argv[++i], 0, INT64_MAX, v)) {
            workload.seed = static_cast<uint64_t>(v);
        } else if (arg == "--rate" && has_value && parse_number(argv[++i], 0, 1'000'000'000, v)) {
            rate = v;
        } else if (arg == "--threads" && has_value && parse_number(argv[++i], 1, 256, v)) {
            threads = static_cast<int>(v);
        } else {
            std::fprintf(stderr, "weft-demo: bad argument '%s'\n", argv[i]);
            usage();
            return 2;
        }
    }

    weft::client::Options options;
    options.listen = listen;
    // A file by default only when not serving live (or when asked for one).
    const bool live = weft::client::serves_live(options);
    if (output.empty() && !live && !std::getenv("WEFT_OUTPUT")) output = "demo.weft";
    if (output.empty() && std::getenv("WEFT_OUTPUT")) output = std::getenv("WEFT_OUTPUT");
    options.output = output;
    options.properties["program"] = "weft-demo";

    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    if (!weft::client::init(std::move(options))) {
        std::fprintf(stderr, "weft-demo: cannot record to '%s' (or WEFT_DISABLE=1)\n", output.c_str());
        return 1;
    }
    weft::client::set_thread_name("main");
    if (live) {
        const auto stats = weft::client::stats();
        std::fprintf(stderr, "weft-demo: pid %d serving on %s\n", static_cast<int>(getpid()),
                     stats.listen_address.empty() ? "(nothing: see the message above)" : stats.listen_address.c_str());
    }

    std::string summary;
    unsigned long long load_events = 0;
    if (rate >= 0) {
        weft::demo::LoadOptions load;
        load.threads = threads;
        load.rate = static_cast<uint64_t>(rate);
        load.duration = workload.duration;
        load.forever = forever;
        load.stop = &g_stop;
        const weft::demo::LoadResult r = weft::demo::run_load(load);
        load_events = r.events;
        summary = "load: " + std::to_string(r.tasks) + " tasks, " + std::to_string(r.events) + " events in " +
                  std::to_string(r.seconds) + " s (" + std::to_string(static_cast<unsigned long long>(r.events / std::max(r.seconds, 1e-9))) +
                  " events/s)";
    } else {
        weft::demo::WorkloadResult total;
        int rounds = 0;
        // One event loop and one pool for every round: a live viewer then sees the same threads
        // keep working, as in a long-running service.
        weft::demo::EventLoop loop;
        weft::demo::ThreadPool pool(4);
        loop.start_lag_monitor(std::chrono::milliseconds(10));
        do {
            weft::demo::Service service(pool, loop, workload);
            const weft::demo::WorkloadResult result = weft::client::block_on(service.serve());
            total.ok += result.ok;
            total.failed += result.failed;
            total.cancelled += result.cancelled;
            ++rounds;
        } while (forever && !g_stop.load());
        loop.stop();
        pool.stop();
        summary = std::to_string(total.ok + total.failed + total.cancelled) + " requests (" + std::to_string(total.ok) +
                  " ok, " + std::to_string(total.failed) + " failed, " + std::to_string(total.cancelled) +
                  " cancelled) in " + std::to_string(rounds) + " round(s)";
    }
    weft::client::shutdown();

    const weft::client::Stats stats = weft::client::stats();
    print_stats(stats, output, summary, load_events);
    return stats.sink_failed ? 1 : 0;
}
