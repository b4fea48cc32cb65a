#include "commands.h"

#include "format/trace_file_sink.h"
#include "io/trace_file.h"

#include <cstdio>

namespace weft::cli {

namespace {

struct ConvertArgs {
    std::string input;
    std::string output;
    int zstd_level = format::kDefaultZstdLevel;
};

int run_convert(const ConvertArgs& args) {
    format::TraceFileSink sink(args.zstd_level);
    if (!sink.open(args.output)) {
        std::fprintf(stderr, "weft-cli convert: %s\n", sink.error().c_str());
        return kExitBadData;
    }
    const format::ReadReport report = io::read_trace(args.input, sink);
    print_read_problems(args.input, report);
    const bool written = sink.close();
    if (!written) std::fprintf(stderr, "weft-cli convert: %s\n", sink.error().c_str());
    if (report.fatal || !written) {
        std::remove(args.output.c_str()); // nothing useful was written
        return kExitBadData;
    }
    std::printf("%s: %llu events read, %llu blocks written to %s\n", args.input.c_str(),
                static_cast<unsigned long long>(report.events), static_cast<unsigned long long>(sink.blocks()),
                args.output.c_str());
    return kExitOk;
}

} // namespace

void add_convert_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<ConvertArgs>();
    CLI::App* cmd = app.add_subcommand(
        "convert", "Write a trace (Chrome trace-event JSON, plain or gzip, or .weft) as a .weft file that loads to the "
                   "same model. Problems in the input are printed as 'FILE: offset N: reason' and what is intact is "
                   "converted; a file that cannot be read at all exits with 1.");
    cmd->add_option("file", args->input, "Trace file (.json, .json.gz or .weft; the content decides)")->required();
    cmd->add_option("-o,--output", args->output, "The .weft file to write")->required();
    cmd->add_option("--zstd-level", args->zstd_level, "zstd level of the blocks written")
        ->capture_default_str()
        ->check(CLI::Range(-7, 19));
    cmd->callback([args, &action] { action = [args] { return run_convert(*args); }; });
}

} // namespace weft::cli
