#pragma once
// Trace-event times are microseconds written as decimal numbers ("ts": 1712.125) or as strings of
// them ("ts": "1712.125"). Weft keeps nanoseconds: the first three fraction digits are taken
// exactly from the text (a double would lose them at epoch-scale values), the fourth rounds.

#include <cstdint>
#include <string_view>

namespace weft::chrome {

// Parses `text` (surrounding blanks allowed, nothing else) as microseconds into nanoseconds.
// False for anything that is not a number, NaN and infinities included, or that does not fit an
// int64 of nanoseconds.
bool micros_to_nanos(std::string_view text, int64_t& nanos);

// Parses `text` (blanks around allowed, a leading '+' too) as a finite number.
bool parse_number(std::string_view text, double& value);

// Parses `text` as a whole number in [0, 2^64); false otherwise (fractions, signs, overflow).
bool parse_whole(std::string_view text, uint64_t& value);

} // namespace weft::chrome
