// weft-cli: the headless side of Weft. Generates synthetic traces, summarizes, validates and
// exports .weft files; records captures from running instrumented processes.

#include "commands.h"

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
    CLI::App app{"Headless tools for Weft traces (.weft, and Chrome trace-event JSON, plain or gzip): generate, summary, "
                 "validate, export, convert; record and list live processes.",
                 "weft-cli"};
    app.require_subcommand(1);
    app.set_help_all_flag("--help-all", "Print the help of every command");

    weft::cli::Action action;
    weft::cli::add_generate_command(app, action);
    weft::cli::add_summary_command(app, action);
    weft::cli::add_validate_command(app, action);
    weft::cli::add_export_command(app, action);
    weft::cli::add_convert_command(app, action);
    weft::cli::add_record_command(app, action);
    weft::cli::add_list_command(app, action);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --help-all are "errors" with exit code 0; anything else is a usage error.
        const int code = app.exit(e);
        return code == 0 ? weft::cli::kExitOk : weft::cli::kExitUsage;
    }
    if (!action) return weft::cli::kExitUsage;
    try {
        return action();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "weft-cli: %s\n", e.what());
        return weft::cli::kExitBadData;
    }
}
