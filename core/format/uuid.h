#pragma once
// UUID helpers over libuuid: random ids for processes, streams and blocks.

#include "format/records.h"

#include <optional>
#include <string>
#include <string_view>

namespace weft::format {

Uuid make_random_uuid();
std::string to_string(const Uuid& id);                    // 8-4-4-4-12 lowercase hex
std::optional<Uuid> parse_uuid(std::string_view text);

} // namespace weft::format
