#pragma once
// weft-cli subcommands. Each add_* registers its options on `app`; when the subcommand is chosen,
// its callback stores in `action` the function that runs it and returns the exit code
// (0 success, 1 bad data or I/O; usage errors are CLI11's and exit with 2 in main).

#include "format/trace_reader.h"
#include "model/model.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

namespace weft::cli {

using Action = std::function<int()>;

inline constexpr int kExitOk = 0;
inline constexpr int kExitBadData = 1;
inline constexpr int kExitUsage = 2;

void add_generate_command(CLI::App& app, Action& action);
void add_summary_command(CLI::App& app, Action& action);
void add_validate_command(CLI::App& app, Action& action);
void add_export_command(CLI::App& app, Action& action);
void add_record_command(CLI::App& app, Action& action);
void add_list_command(CLI::App& app, Action& action);
void add_convert_command(CLI::App& app, Action& action);

// Prints what a reader found wrong, one line per problem: "FILE: offset N: reason".
void print_read_problems(const std::string& path, const format::ReadReport& report);

// Loads a trace (.weft or Chrome trace-event JSON, told by its content) for summary and export. A file that cannot be read at all prints its error and
// returns null; damage inside the file is printed as warnings (FILE: offset N: reason) and the
// intact records still load.
std::shared_ptr<const Model> load_or_report(const std::string& path, format::ReadReport& report);

} // namespace weft::cli
