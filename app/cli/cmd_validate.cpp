#include "commands.h"

#include "format/trace_reader.h"
#include "io/trace_file.h"

#include <map>

#include <cstdio>

namespace weft::cli {

namespace {

// Counts what the reader delivers; the reader itself checks framing, checksums and bodies (or,
// for JSON, the text and every event), and the importer's own counts arrive as diagnostic events.
struct CountingSink final : format::TraceSink {
    uint64_t processes = 0, streams = 0, blocks = 0, events = 0;
    std::map<std::string, uint64_t, std::less<>> notes;
    void on_process(const format::ProcessInfo&) override { ++processes; }
    void on_stream(const format::StreamInfo&) override { ++streams; }
    void on_block(const format::DecodedBlock& block) override {
        ++blocks;
        events += block.events.size();
        for (const format::Event& e : block.events)
            if (e.kind == format::EventKind::Diagnostic) notes[std::string(block.string(e.ref1))] += e.id2;
    }
};

int run_validate(const std::vector<std::string>& files) {
    int status = kExitOk;
    for (const std::string& path : files) {
        CountingSink sink;
        const io::TraceFileType type = io::sniff_trace_file(path);
        const format::ReadReport report = io::read_trace(path, sink);
        for (const format::FormatError& e : report.errors)
            std::fprintf(stderr, "%s: offset %llu: %s\n", path.c_str(), static_cast<unsigned long long>(e.offset),
                         e.reason.c_str());
        if (report.fatal && report.errors.empty()) std::fprintf(stderr, "%s: cannot read the trace\n", path.c_str());
        if (report.fatal || !report.errors.empty()) {
            status = kExitBadData;
            continue;
        }
        if (type == io::TraceFileType::ChromeJson) {
            std::printf("%s: OK: Chrome trace-event JSON, %llu events: %llu processes, %llu threads, %llu Weft events\n",
                        path.c_str(), static_cast<unsigned long long>(report.events),
                        static_cast<unsigned long long>(sink.processes), static_cast<unsigned long long>(sink.streams),
                        static_cast<unsigned long long>(sink.events));
            for (const auto& [label, count] : sink.notes)
                std::printf("  %s: %llu\n", label.c_str(), static_cast<unsigned long long>(count));
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
    cmd->add_option("files", *files, "Trace files (.weft, or Chrome trace-event JSON, plain or gzip)")->required();
    cmd->callback([files, &action] { action = [files] { return run_validate(*files); }; });
}

} // namespace weft::cli
