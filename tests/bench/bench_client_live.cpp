// End-to-end live streaming in one process: weft_client producer threads -> writer thread (encode)
// -> LiveServer on a Unix socket (or TCP loopback) -> LiveClient -> BlockDecoder. Reports sustained events/s with a
// zero-loss check and the emit -> decoded latency of every event (p50 / p99 / max).
//
//   bench_client_live [--threads N] [--events N] [--rate R ...] [--tcp]
//     --events  events per producer thread (default 4,000,000)
//     --rate    total events/s the producers are paced to (0: flat out); several may be given,
//               each is one run (default: 2M 5M 8M 0)
//     --tcp     serve on TCP 127.0.0.1 (a free port) instead of a Unix socket
//
// Reported, never asserted. Producers are paced because an unpaced thread records ~10x faster
// than one writer thread encodes: it would only measure how fast the buffer pool runs dry.

#include "format/record_codec.h"
#include "format/records.h"
#include "live/capture_stats.h"
#include "live/live_client.h"
#include "weft/client.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Latency histogram in 10 us buckets up to 2 s; beyond that, the last bucket (max is exact).
class Histogram {
public:
    static constexpr size_t kBuckets = 200'000;
    Histogram() : m_counts(kBuckets, 0) {}
    void add(double ns) {
        m_max = std::max(m_max, ns);
        const double bucket = std::max(0.0, ns / 10'000.0);
        ++m_counts[std::min<size_t>(static_cast<size_t>(bucket), kBuckets - 1)];
        ++m_total;
    }
    double percentile_ms(double p) const {
        const uint64_t target = static_cast<uint64_t>(p * static_cast<double>(m_total));
        uint64_t seen = 0;
        for (size_t i = 0; i < kBuckets; ++i) {
            seen += m_counts[i];
            if (seen > target) return static_cast<double>(i + 1) * 0.01;
        }
        return m_max / 1e6;
    }
    double max_ms() const { return m_max / 1e6; }

private:
    std::vector<uint64_t> m_counts;
    uint64_t m_total = 0;
    double m_max = 0;
};

struct RunResult {
    uint64_t expected = 0, received = 0, client_dropped = 0, server_dropped = 0, lost = 0;
    double seconds = 0;
    double p50 = 0, p99 = 0, max = 0;
    std::string error;
};

RunResult run_once(const std::string& dir, int threads, uint64_t events_per_thread, uint64_t rate, bool tcp) {
    RunResult result;
    weft::client::Options options;
    options.listen = tcp ? std::string("tcp:127.0.0.1:0") : "unix:" + dir + "/bench.sock";
    options.buffer_events = 8192;
    options.buffer_count = 256;
    options.flight_recorder_bytes = size_t{512} << 20;
    if (!weft::client::init(std::move(options))) {
        result.error = "init failed";
        return result;
    }
    const double ns_per_tick = 1e9 / static_cast<double>(weft::client::tick_frequency());
    std::string error;
    auto target = weft::live::resolve_target(weft::client::stats().listen_address, "", error);
    weft::live::LiveClient client;
    if (!target || !client.attach(*target, error)) {
        weft::client::shutdown();
        result.error = "attach: " + error;
        return result;
    }

    Histogram latency;
    weft::live::CaptureStats capture;
    weft::format::BlockDecoder decoder;
    weft::format::DecodedBlock block;
    uint64_t received = 0;
    Clock::time_point last_arrival{};
    std::thread receiver([&] {
        client.run([&](const weft::format::RecordView& record, std::span<const uint8_t>) {
            capture.on_record(record);
            if (record.kind != static_cast<uint8_t>(weft::format::RecordKind::Block)) return;
            if (!decoder.decode(record.body, record.offset, block).reason.empty()) return;
            const int64_t now = weft::client::now_ticks();
            for (const weft::format::Event& e : block.events)
                latency.add(static_cast<double>(now - e.ticks) * ns_per_tick);
            received += block.events.size();
            last_arrival = Clock::now();
        });
    });

    const Clock::time_point start = Clock::now();
    std::vector<std::thread> producers;
    for (int t = 0; t < threads; ++t)
        producers.emplace_back([&, t] {
            weft::client::set_thread_name("producer-" + std::to_string(t), {"worker"});
            const double per_second = rate ? static_cast<double>(rate) / threads : 0;
            uint64_t done = 0;
            while (done < events_per_thread) {
                uint64_t batch = std::min<uint64_t>(events_per_thread - done, 2048);
                if (per_second > 0) {
                    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
                    const auto due = static_cast<uint64_t>(elapsed * per_second);
                    if (due <= done) {
                        std::this_thread::sleep_for(std::chrono::microseconds(100));
                        continue;
                    }
                    batch = std::min(batch, due - done);
                }
                for (uint64_t i = 0; i < batch; i += 2) {
                    weft::client::task_run_begin(i + 1);
                    weft::client::task_run_end(i + 1);
                }
                done += (batch + 1) / 2 * 2;
            }
        });
    for (auto& p : producers) p.join();
    weft::client::shutdown(); // the server hands the viewer what is left, then closes
    receiver.join();

    const weft::client::Stats stats = weft::client::stats();
    result.expected = stats.events;
    result.received = received;
    result.client_dropped = stats.dropped;
    result.server_dropped = stats.live_blocks_dropped;
    result.lost = capture.lost_events();
    result.seconds = std::chrono::duration<double>(last_arrival - start).count();
    result.p50 = latency.percentile_ms(0.50);
    result.p99 = latency.percentile_ms(0.99);
    result.max = latency.max_ms();
    return result;
}

} // namespace

int main(int argc, char** argv) {
    int threads = 2;
    uint64_t events = 4'000'000;
    std::vector<uint64_t> rates;
    bool tcp = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--threads" && i + 1 < argc) threads = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--events" && i + 1 < argc) events = std::strtoull(argv[++i], nullptr, 10);
        else if (arg == "--rate" && i + 1 < argc) rates.push_back(std::strtoull(argv[++i], nullptr, 10));
        else if (arg == "--tcp") tcp = true;
        else {
            std::fprintf(stderr, "usage: bench_client_live [--threads N] [--events N] [--rate R]... [--tcp]\n");
            return 2;
        }
    }
    if (rates.empty()) rates = {2'000'000, 5'000'000, 8'000'000, 0};

    // A private runtime folder, so the bench neither sees nor leaves discovery files elsewhere.
    char templ[] = "/tmp/weft-bench-live-XXXXXX";
    const char* dir = ::mkdtemp(templ);
    if (!dir) return 1;
    ::setenv("XDG_RUNTIME_DIR", dir, 1);
    ::unsetenv("WEFT_OUTPUT");
    ::unsetenv("WEFT_LISTEN");

    std::printf("bench_client_live: %d producer threads x %llu events, %s, one process\n", threads,
                static_cast<unsigned long long>(events), tcp ? "TCP 127.0.0.1" : "Unix socket");
    std::printf("%12s %12s %12s %8s %10s %10s %10s  %s\n", "paced at/s", "events", "got events/s", "lost",
                "p50 ms", "p99 ms", "max ms", "zero loss");
    for (uint64_t rate : rates) {
        const RunResult r = run_once(dir, threads, events, rate, tcp);
        if (!r.error.empty()) {
            std::printf("%12llu  error: %s\n", static_cast<unsigned long long>(rate), r.error.c_str());
            continue;
        }
        const uint64_t lost = r.client_dropped + r.lost + (r.expected - std::min(r.expected, r.received));
        const bool zero_loss = lost == 0 && r.received == r.expected && r.server_dropped == 0;
        std::printf("%12s %12llu %12.0f %8llu %10.2f %10.2f %10.2f  %s\n",
                    rate ? std::to_string(rate).c_str() : "flat out", static_cast<unsigned long long>(r.received),
                    static_cast<double>(r.received) / std::max(r.seconds, 1e-9), static_cast<unsigned long long>(lost),
                    r.p50, r.p99, r.max, zero_loss ? "yes" : "NO");
        std::fflush(stdout);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
