#include "commands.h"

#include "model/model_builder.h"

#include <cstdio>

namespace weft::cli {

void print_read_problems(const std::string& path, const format::ReadReport& report) {
    for (const format::FormatError& e : report.errors)
        std::fprintf(stderr, "%s: offset %llu: %s\n", path.c_str(), static_cast<unsigned long long>(e.offset),
                     e.reason.c_str());
}

std::shared_ptr<const Model> load_or_report(const std::string& path, format::ReadReport& report) {
    std::shared_ptr<const Model> model = load_trace(path, report);
    print_read_problems(path, report);
    if (report.fatal || !model) {
        if (report.errors.empty()) std::fprintf(stderr, "%s: cannot read the trace\n", path.c_str());
        return nullptr;
    }
    if (!report.errors.empty())
        std::fprintf(stderr, "%s: warning: %zu problem(s) found (%llu bytes skipped); everything intact was loaded\n",
                     path.c_str(), report.errors.size(), static_cast<unsigned long long>(report.skipped_bytes));
    return model;
}

} // namespace weft::cli
