#pragma once
// Human-readable durations and timestamps, shared by the CLI, the tables and the timeline.

#include "model/ids.h"

#include <string>

namespace weft {

// "850 ns", "12.4 µs", "3.20 ms", "1.500 s", "2 min 03 s": three significant digits, unit by magnitude.
std::string format_duration(Time ns);

// A timestamp relative to the trace start, with a unit chosen for a view `span` ns wide, so that
// neighbouring axis labels differ: e.g. span 2 ms -> "12.345 ms".
std::string format_timestamp(Time ns, Time span);

} // namespace weft
