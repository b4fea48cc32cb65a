#include "commands.h"

#include "format/live_protocol.h"
#include "io/json_out.h"
#include "query/time_format.h"

#include <chrono>
#include <cstdio>

namespace weft::cli {

namespace {

std::string running_for(uint64_t start_time_ns) {
    const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (start_time_ns == 0 || static_cast<uint64_t>(now) < start_time_ns) return "?";
    return format_uptime((static_cast<uint64_t>(now) - start_time_ns) / 1'000'000'000ull);
}

int run_list(bool json) {
    const auto found = format::live::list_discovered();
    if (json) {
        io::JsonOut out(stdout);
        out.begin_array();
        for (const auto& d : found) {
            out.begin_object();
            out.key("pid").uint(d.pid);
            out.key("exe").string(d.exe);
            out.key("start_time_ns").uint(d.start_time_ns);
            out.key("address").string(d.address);
            out.key("discovery_file").string(d.file);
            out.end_object();
        }
        out.end_array();
        const bool ok = out.finish();
        std::printf("\n");
        return ok ? kExitOk : kExitBadData;
    }
    if (found.empty()) {
        std::printf("No instrumented process is listening (looked in %s).\n", format::live::runtime_dir().c_str());
        return kExitOk;
    }
    std::printf("%-8s %-12s %-40s %s\n", "PID", "RUNNING", "ADDRESS", "EXE");
    for (const auto& d : found)
        std::printf("%-8llu %-12s %-40s %s\n", static_cast<unsigned long long>(d.pid), running_for(d.start_time_ns).c_str(),
                    d.address.c_str(), d.exe.c_str());
    return kExitOk;
}

} // namespace

void add_list_command(CLI::App& app, Action& action) {
    auto json = std::make_shared<bool>(false);
    CLI::App* cmd = app.add_subcommand("list", "List the running instrumented processes one can attach to.");
    cmd->add_flag("--json", *json, "Print a JSON array (pid, exe, start_time_ns, address) instead of a table");
    cmd->callback([json, &action] { action = [json] { return run_list(*json); }; });
}

} // namespace weft::cli
