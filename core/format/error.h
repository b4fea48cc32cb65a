#pragma once
// Errors of the format layer are values, never exceptions across the API: bad input is expected.

#include <cstdint>
#include <string>

namespace weft::format {

struct FormatError {
    uint64_t offset = 0; // byte offset in the file or stream where the problem was found
    std::string reason;  // one line a user can act on: what is wrong, what was expected

    bool ok() const { return reason.empty(); }
};

// "offset 1234: reason", the form used in reports and logs.
inline std::string to_string(const FormatError& error) {
    return "offset " + std::to_string(error.offset) + ": " + error.reason;
}

} // namespace weft::format
