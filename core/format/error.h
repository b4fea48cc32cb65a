#pragma once
// Errors of the format layer are values, never exceptions across the API: bad input is expected.

#include <cstdint>
#include <string>

namespace weft::format {

struct FormatError {
    uint64_t offset = 0; // byte offset in the file or stream where the problem was found
    std::string reason;  // one line a user can act on: what is wrong, what was expected
};

} // namespace weft::format
