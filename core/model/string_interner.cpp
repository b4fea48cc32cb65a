#include "model/string_interner.h"

#include "model/text_hash.h"

namespace weft {

StringInterner::StringInterner(std::vector<std::string>& strings, std::vector<Location>& locations)
    : m_strings(&strings), m_locations(&locations) {
    if (m_strings->empty()) m_strings->emplace_back();
    if (m_locations->empty()) m_locations->emplace_back();
    m_location_ids.emplace(LocationKey{0, 0, 0, 0}, 0);
    // The tables may hold strings already (an interner made again over a model's tables).
    m_hashes.reserve(m_strings->size());
    for (const std::string& s : *m_strings) m_hashes.push_back(hash_text(s));
    size_t slots = 1024;
    while (slots < 2 * m_strings->size()) slots *= 2;
    m_slots.assign(slots, 0);
    for (uint32_t id = 1; id < m_strings->size(); ++id) {
        size_t i = m_hashes[id] & (slots - 1);
        while (m_slots[i] != 0) i = (i + 1) & (slots - 1);
        m_slots[i] = id;
    }
}

void StringInterner::grow_slots() {
    std::vector<uint32_t> slots(m_slots.size() * 2, 0);
    const size_t mask = slots.size() - 1;
    for (uint32_t id = 1; id < m_hashes.size(); ++id) {
        size_t i = m_hashes[id] & mask;
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = id;
    }
    m_slots.swap(slots);
}

StringId StringInterner::intern(std::string_view text) {
    if (text.empty()) return StringId{0};
    const uint64_t h = hash_text(text);
    const size_t mask = m_slots.size() - 1;
    size_t i = h & mask;
    while (const uint32_t id = m_slots[i]) {
        if (m_hashes[id] == h && (*m_strings)[id] == text) return StringId{id};
        i = (i + 1) & mask;
    }
    const auto id = static_cast<uint32_t>(m_strings->size());
    m_strings->emplace_back(text);
    m_hashes.push_back(h);
    m_slots[i] = id;
    if (m_hashes.size() * 2 > m_slots.size()) grow_slots(); // at most half full: probes stay short
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
    std::vector<uint32_t>().swap(m_slots);
    std::vector<uint64_t>().swap(m_hashes);
    decltype(m_location_ids)().swap(m_location_ids);
    std::vector<StringId>().swap(m_string_remap);
    std::vector<LocationId>().swap(m_location_remap);
}

} // namespace weft
