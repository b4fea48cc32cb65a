#include "format/uuid.h"

#include <uuid/uuid.h>

namespace weft::format {

Uuid make_random_uuid() {
    Uuid id;
    uuid_generate_random(id.data());
    return id;
}

std::string to_string(const Uuid& id) {
    char text[37];
    uuid_unparse_lower(id.data(), text);
    return text;
}

std::optional<Uuid> parse_uuid(std::string_view text) {
    if (text.size() != 36) return std::nullopt;
    char buffer[37];
    text.copy(buffer, 36);
    buffer[36] = '\0';
    Uuid id;
    if (uuid_parse(buffer, id.data()) != 0) return std::nullopt;
    return id;
}

} // namespace weft::format
