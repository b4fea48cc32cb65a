#include "commands.h"

#include "query/time_format.h"
#include "synth/synthetic_trace.h"

#include <cstdio>

namespace weft::cli {

namespace {

struct GenerateArgs {
    std::string output;
    synth::SynthOptions options;
};

int run_generate(const GenerateArgs& args) {
    synth::SynthResult result;
    std::string error;
    if (!synth::generate_trace(args.options, args.output, result, error)) {
        std::fprintf(stderr, "weft-cli generate: %s\n", error.c_str());
        return kExitBadData;
    }
    std::printf("%s: %llu events, %llu tasks, %llu blocks, %s of simulated time\n", args.output.c_str(),
                static_cast<unsigned long long>(result.events), static_cast<unsigned long long>(result.tasks),
                static_cast<unsigned long long>(result.blocks),
                format_duration(static_cast<Time>(result.duration_ns)).c_str());
    return kExitOk;
}

} // namespace

void add_generate_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<GenerateArgs>();
    CLI::App* cmd = app.add_subcommand(
        "generate", "Write a synthetic async workload (event loop + workers) as a .weft trace. "
                    "The same options and seed give a byte-identical file.");
    cmd->add_option("output,-o,--output", args->output, "Trace file to write")->required();
    cmd->add_option("--events", args->options.events, "Target number of events; generation stops near it")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t{1}, uint64_t{2'000'000'000}));
    cmd->add_option("--tasks", args->options.tasks, "Stop creating tasks after this many (0: no limit)")
        ->capture_default_str();
    cmd->add_option("--threads", args->options.threads, "Threads: one event loop plus workers")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    cmd->add_option("--depth", args->options.depth, "Deepest level of sub-tasks (requests are level 0)")
        ->capture_default_str()
        ->check(CLI::Range(0, 32));
    cmd->add_option("--seed", args->options.seed, "Random seed")->capture_default_str();
    cmd->add_option("--block-events", args->options.block_events, "Events per block")
        ->capture_default_str()
        ->check(CLI::Range(1, 1'000'000));
    cmd->add_option("--tick-frequency", args->options.tick_frequency, "Producer clock ticks per second")
        ->capture_default_str()
        ->check(CLI::Range(uint64_t{1'000}, uint64_t{10'000'000'000}));
    cmd->add_option("--zstd-level", args->options.zstd_level, "zstd compression level of block payloads")
        ->capture_default_str()
        ->check(CLI::Range(-7, 19));
    cmd->callback([args, &action] { action = [args] { return run_generate(*args); }; });
}

} // namespace weft::cli
