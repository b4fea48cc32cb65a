#include "commands.h"

#include "format/trace_reader.h"

#include <cstdio>

namespace weft::cli {

namespace {

// Counts what the reader delivers; the reader itself checks framing, checksums and bodies.
struct CountingSink final : format::TraceSink {
    uint64_t processes = 0, streams = 0, blocks = 0;
    void on_process(const format::ProcessInfo&) override { ++processes; }
    void on_stream(const format::StreamInfo&) override { ++streams; }
    void on_block(const format::DecodedBlock&) override { ++blocks; }
};

int run_validate(const std::vector<std::string>& files) {
    int status = kExitOk;
    for (const std::string& path : files) {
        CountingSink sink;
        const format::ReadReport report = format::read_trace_file(path, sink);
        for (const format::FormatError& e : report.errors)
            std::fprintf(stderr, "%s: offset %llu: %s\n", path.c_str(), static_cast<unsigned long long>(e.offset),
                         e.reason.c_str());
        if (report.fatal && report.errors.empty()) std::fprintf(stderr, "%s: cannot read the trace\n", path.c_str());
        if (report.fatal || !report.errors.empty()) {
            status = kExitBadData;
            continue;
        }
        std::printf("%s: OK: %llu records (%llu process infos, %llu stream infos, %llu blocks), %llu events",
                    path.c_str(), static_cast<unsigned long long>(report.records),
                    static_cast<unsigned long long>(sink.processes), static_cast<unsigned long long>(sink.streams),
                    static_cast<unsigned long long>(sink.blocks), static_cast<unsigned long long>(report.events));
        if (report.unknown_records || report.unknown_events)
            std::printf(", skipped as newer: %llu records, %llu events",
                        static_cast<unsigned long long>(report.unknown_records),
                        static_cast<unsigned long long>(report.unknown_events));
        std::printf("\n");
    }
    return status;
}

} // namespace

void add_validate_command(CLI::App& app, Action& action) {
    auto files = std::make_shared<std::vector<std::string>>();
    CLI::App* cmd = app.add_subcommand(
        "validate", "Check every record of one or more traces. Prints each problem as "
                    "'FILE: offset N: reason' and exits with 1 if there is any.");
    cmd->add_option("files", *files, "Trace files (.weft)")->required();
    cmd->callback([files, &action] { action = [files] { return run_validate(*files); }; });
}

} // namespace weft::cli
