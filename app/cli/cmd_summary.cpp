#include "commands.h"

#include "io/summary.h"
#include "summary_text.h"

#include <cstdio>

namespace weft::cli {

namespace {

struct SummaryArgs {
    std::string input;
    bool json = false;
    size_t top = 10;
    double blocking_threshold_ms = 100.0;
    size_t max_blocking = 20;
};

int run_summary(const SummaryArgs& args) {
    format::ReadReport report;
    const std::shared_ptr<const Model> model = load_or_report(args.input, report);
    if (!model) return kExitBadData;
    io::SummaryOptions options;
    options.top_locations = args.top;
    options.blocking_threshold = static_cast<Time>(args.blocking_threshold_ms * 1e6);
    options.max_blocking_events = args.max_blocking;
    const io::TraceSummary summary = io::summarize(*model, options);
    if (args.json) {
        if (!io::write_summary_json(summary, stdout)) return kExitBadData;
        std::fputc('\n', stdout);
    } else {
        print_summary(summary, args.input, stdout);
    }
    return std::fflush(stdout) == 0 ? kExitOk : kExitBadData;
}

} // namespace

void add_summary_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<SummaryArgs>();
    CLI::App* cmd = app.add_subcommand(
        "summary", "Summarize a trace: processes and threads, tasks by outcome, top await locations, "
                   "blocking events, event-loop lag and diagnostics.");
    cmd->add_option("file", args->input, "Trace file (.weft, or Chrome trace-event JSON, plain or gzip)")->required();
    cmd->add_flag("--json", args->json, "Write the summary as JSON");
    cmd->add_option("--top", args->top, "Await locations to list")->capture_default_str();
    cmd->add_option("--blocking-threshold-ms", args->blocking_threshold_ms,
                    "List blocking events at least this long")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1e9));
    cmd->add_option("--max-blocking", args->max_blocking, "Blocking events to list, longest first")
        ->capture_default_str();
    cmd->callback([args, &action] { action = [args] { return run_summary(*args); }; });
}

} // namespace weft::cli
