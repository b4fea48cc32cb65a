#include "commands.h"

#include "format/trace_writer.h"
#include "live/capture_stats.h"
#include "live/live_client.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>

namespace weft::cli {

namespace {

struct RecordOptions {
    std::string attach;
    std::string token;
    std::string output;
    double duration_s = 0;
    bool quiet = false;
};

std::atomic<live::LiveClient*> g_client{nullptr};

extern "C" void stop_on_signal(int) {
    // LiveClient::stop() only stores a flag and writes to an eventfd: async-signal-safe.
    if (live::LiveClient* client = g_client.load()) client->stop();
}

int run_record(const RecordOptions& options) {
    std::string error;
    auto target = live::resolve_target(options.attach, options.token, error);
    if (!target) {
        std::fprintf(stderr, "weft-cli record: %s\n", error.c_str());
        return kExitBadData;
    }
    live::LiveClient client;
    if (!client.attach(*target, error)) {
        std::fprintf(stderr, "weft-cli record: %s\n", error.c_str());
        return kExitBadData;
    }
    format::TraceWriter writer;
    if (!writer.open(options.output)) {
        std::fprintf(stderr, "weft-cli record: %s\n", writer.error().c_str());
        return kExitBadData;
    }
    if (!options.quiet)
        std::fprintf(stderr, "weft-cli record: attached to %s%s%s, writing %s\n", target->address.to_string().c_str(),
                     target->pid ? (" (pid " + std::to_string(target->pid) + ")").c_str() : "",
                     target->exe.empty() ? "" : (" " + target->exe).c_str(), options.output.c_str());

    g_client = &client;
    std::signal(SIGINT, stop_on_signal);
    std::signal(SIGTERM, stop_on_signal);

    // The duration timer stops the client; it is cancelled if the session ends first.
    std::mutex mutex;
    std::condition_variable ended;
    bool done = false;
    std::thread timer;
    if (options.duration_s > 0) {
        timer = std::thread([&] {
            std::unique_lock lock(mutex);
            if (!ended.wait_for(lock, std::chrono::duration<double>(options.duration_s), [&] { return done; }))
                client.stop();
        });
    }

    live::CaptureStats stats;
    bool write_failed = false;
    const auto start = std::chrono::steady_clock::now();
    const live::LiveClient::End end = client.run([&](const format::RecordView& record, std::span<const uint8_t> framed) {
        stats.on_record(record);
        if (!write_failed && !writer.write_framed(framed)) {
            write_failed = true;
            client.stop();
        }
    });
    {
        std::lock_guard lock(mutex);
        done = true;
    }
    ended.notify_all();
    if (timer.joinable()) timer.join();
    g_client = nullptr;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    const bool closed = writer.close();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (write_failed || !closed) {
        std::fprintf(stderr, "weft-cli record: cannot write %s: %s\n", options.output.c_str(), writer.error().c_str());
        return kExitBadData;
    }
    std::fprintf(stderr,
                 "weft-cli record: %s; %llu events in %llu blocks (%llu streams) over %.2f s, %llu lost in transit, "
                 "%.1f MB received\n",
                 end.message.c_str(), static_cast<unsigned long long>(stats.events()),
                 static_cast<unsigned long long>(stats.blocks()), static_cast<unsigned long long>(stats.stream_infos()),
                 seconds, static_cast<unsigned long long>(stats.lost_events()),
                 static_cast<double>(client.bytes_received()) / 1e6);
    return end.reason == live::LiveClient::End::Reason::Error ? kExitBadData : kExitOk;
}

} // namespace

void add_record_command(CLI::App& app, Action& action) {
    auto options = std::make_shared<RecordOptions>();
    CLI::App* cmd = app.add_subcommand(
        "record", "Attach to a running instrumented process and write what it sends to a .weft file, until it "
                  "exits, --duration passes, or Ctrl+C. The capture holds the process's recent history (its "
                  "flight recorder) and everything after.");
    cmd->add_option("--attach,-a", options->attach,
                    "A pid (see 'weft-cli list'), unix:PATH, tcp:127.0.0.1:PORT, or a discovery file")
        ->required();
    cmd->add_option("--token", options->token, "Token to present (default: from the process's discovery file)");
    cmd->add_option("--output,-o", options->output, "The .weft file to write")->required();
    cmd->add_option("--duration,-d", options->duration_s, "Stop after this many seconds (default: until the end)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--quiet,-q", options->quiet, "Print only the final line");
    cmd->callback([options, &action] { action = [options] { return run_record(*options); }; });
}

} // namespace weft::cli
