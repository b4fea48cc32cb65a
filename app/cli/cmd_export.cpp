#include "commands.h"

#include "io/async_events.h"
#include "io/atomic_file.h"
#include "io/json_export.h"

#include <cstdio>
#include <functional>

namespace weft::cli {

namespace {

struct ExportArgs {
    std::string input;
    std::string format = "json";
    std::string output; // empty or "-": stdout
    bool no_thread_spans = false;
    bool no_lag_series = false;
};

int run_export(const ExportArgs& args) {
    io::ExportOptions options;
    options.thread_spans = !args.no_thread_spans;
    options.lag_series = !args.no_lag_series;
    format::ReadReport report;
    const std::shared_ptr<const Model> model = load_or_report(args.input, report);
    if (!model) return kExitBadData;
    // The whole trace as JSON, or the async_events table (io/async_events.h).
    const std::function<bool(std::FILE*)> write = [&](std::FILE* out) {
        if (args.format == "json") return io::export_json(*model, out, options);
        return io::export_async_events(*model, out,
                                       args.format == "async-events-jsonl" ? io::AsyncEventsFormat::JsonLines
                                                                           : io::AsyncEventsFormat::Csv);
    };
    if (args.output.empty() || args.output == "-") {
        if (!write(stdout)) {
            std::fprintf(stderr, "weft-cli export: writing to the standard output failed\n");
            return kExitBadData;
        }
        return kExitOk;
    }
    std::string error;
    if (!io::write_file_atomically(args.output, error, write)) {
        std::fprintf(stderr, "weft-cli export: %s\n", error.c_str());
        return kExitBadData;
    }
    return kExitOk;
}

} // namespace

void add_export_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<ExportArgs>();
    CLI::App* cmd = app.add_subcommand(
        "export", "Export a trace's tasks, awaits, blocking, lag and spans as JSON, or its async spans as the "
                  "async_events table (CSV or JSON Lines).");
    cmd->add_option("file", args->input, "Trace file (.weft, or Chrome trace-event JSON, plain or gzip)")->required();
    cmd->add_option("--format", args->format,
                    "Output format: json (the whole trace), async-events (one CSV row per async span begin and "
                    "end), async-events-jsonl (the same rows as JSON Lines)")
        ->capture_default_str()
        ->check(CLI::IsMember({"json", "async-events", "async-events-jsonl"}));
    cmd->add_option("-o,--output", args->output, "Output file (default: standard output)");
    cmd->add_flag("--no-thread-spans", args->no_thread_spans, "Leave out the thread_spans section");
    cmd->add_flag("--no-lag-series", args->no_lag_series,
                  "Leave out event_loop_metrics.series (the statistics stay)");
    cmd->callback([args, &action] { action = [args] { return run_export(*args); }; });
}

} // namespace weft::cli
