#include "model/string_interner.h"

namespace weft {

StringInterner::StringInterner(std::vector<std::string>& strings, std::vector<Location>& locations)
    : m_strings(&strings), m_locations(&locations) {
    if (m_strings->empty()) m_strings->emplace_back();
    if (m_locations->empty()) m_locations->emplace_back();
    m_string_ids.emplace(std::string(), 0);
    m_location_ids.emplace(LocationKey{0, 0, 0, 0}, 0);
}

StringId StringInterner::intern(std::string_view text) {
    if (text.empty()) return StringId{0};
    if (auto it = m_string_ids.find(text); it != m_string_ids.end()) return StringId{it->second};
    const auto id = static_cast<uint32_t>(m_strings->size());
    m_strings->emplace_back(text);
    m_string_ids.emplace(std::string(text), id);
    return StringId{id};
}

LocationId StringInterner::intern(const Location& loc) {
    const LocationKey key{loc.name.value, loc.target.value, loc.file.value, loc.line};
    if (auto it = m_location_ids.find(key); it != m_location_ids.end()) return LocationId{it->second};
    const auto id = static_cast<uint32_t>(m_locations->size());
    m_locations->push_back(loc);
    m_location_ids.emplace(key, id);
    return LocationId{id};
}

void StringInterner::load_block(const format::DecodedBlock& block) {
    m_string_remap.assign(block.strings.size() + 1, StringId{0});
    for (size_t k = 0; k < block.strings.size(); ++k) m_string_remap[k + 1] = intern(block.strings[k]);

    m_location_remap.assign(block.locations.size() + 1, LocationId{0});
    for (size_t k = 0; k < block.locations.size(); ++k) {
        const format::BlockLocation& bl = block.locations[k];
        Location loc;
        loc.name = string(bl.name);
        loc.target = string(bl.target);
        loc.file = string(bl.file);
        loc.line = bl.line;
        m_location_remap[k + 1] = intern(loc);
    }
}

void StringInterner::release() {
    decltype(m_string_ids)().swap(m_string_ids);
    decltype(m_location_ids)().swap(m_location_ids);
    std::vector<StringId>().swap(m_string_remap);
    std::vector<LocationId>().swap(m_location_remap);
}

} // namespace weft
