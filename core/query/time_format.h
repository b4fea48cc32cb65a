#pragma once
// Human-readable durations and timestamps, shared by the CLI, the tables and the timeline.

#include "model/ids.h"

#include <cstdint>
#include <string>

namespace weft {

// "850 ns", "12.4 µs", "3.20 ms", "1.500 s", "2 min 03 s": three significant digits, unit by magnitude.
std::string format_duration(Time ns);

// How long something has been running, coarse: "45 s", "3 min 07 s", "2 h 05 min", "3 d 04 h".
std::string format_uptime(uint64_t seconds);

// A timestamp relative to the trace start for an axis `span` ns wide, in the unit (ns, µs, ms, s) in
// which the span measures 10 to 10,000: whole units then resolve a tenth of the span, so neighbouring
// labels differ (decimals appear only for spans under 10 ns). Span 2 ms -> "12346 µs"; 20 s -> "3 s".
std::string format_timestamp(Time ns, Time span);

// A point in time (relative to the trace start) to the nanosecond, in the unit of its magnitude,
// decimals grouped by three with narrow no-break spaces: "104.705 312 456 s", "3.215 000 ms", "190.123 µs",
// "850 ns". For Details and tooltips, where one item is looked at.
std::string format_time_exact(Time ns);

// A point in time with at least `significant` significant digits, in the unit of its magnitude:
// "104.7 s", "3.215 ms", "190.1 µs", "850 ns". For table columns, whatever the trace's length.
std::string format_time_precise(Time ns, int significant = 4);

} // namespace weft
