#pragma once
// The human-readable form of a trace summary (`weft-cli summary` without --json).

#include "io/summary.h"

#include <cstdio>
#include <string>

namespace weft::cli {

void print_summary(const io::TraceSummary& summary, const std::string& path, std::FILE* out);

} // namespace weft::cli
