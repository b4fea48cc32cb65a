#pragma once
// Global string and location tables built from block-local ones. Each block's strings are interned
// once (a hash lookup on content) into a remap vector, so events then translate ids by indexing.

#include "format/records.h"
#include "model/ids.h"
#include "model/model.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace weft {

class StringInterner {
public:
    // Writes into the model's tables; strings[0] and locations[0] are created as "none".
    StringInterner(std::vector<std::string>& strings, std::vector<Location>& locations);

    // Interns the block's strings and locations; afterwards string()/location() translate its ids.
    void load_block(const format::DecodedBlock& block);

    StringId string(format::BlockStringId id) const {
        return id < m_string_remap.size() ? m_string_remap[id] : StringId{0};
    }
    LocationId location(format::BlockLocationId id) const {
        return id < m_location_remap.size() ? m_location_remap[id] : LocationId{0};
    }
    // The location's own name, for thread spans that were given none.
    StringId location_name(LocationId id) const {
        return id.value < m_locations->size() ? (*m_locations)[id.value].name : StringId{0};
    }

    StringId intern(std::string_view text);
    LocationId intern(const Location& loc);

    // Drops the lookup tables; the model's tables stay.
    void release();

    // After the interner was copied along with the tables it writes to: write to the copies.
    void rebind(std::vector<std::string>& strings, std::vector<Location>& locations) {
        m_strings = &strings;
        m_locations = &locations;
    }

private:
    struct LocationKey {
        uint32_t name, target, file, line;
        bool operator==(const LocationKey&) const = default;
    };
    struct LocationHash {
        size_t operator()(const LocationKey& k) const noexcept {
            uint64_t h = (uint64_t(k.name) << 32 | k.target) * 0x9E3779B97F4A7C15ull;
            h ^= (uint64_t(k.file) << 32 | k.line) * 0xC2B2AE3D27D4EB4Full;
            return static_cast<size_t>(h ^ (h >> 29));
        }
    };

    void grow_slots();

    std::vector<std::string>* m_strings;
    std::vector<Location>* m_locations;
    // Open addressing over the model's own strings: ids beside their hashes, so a lookup compares
    // a string only when the hashes match, and no string is stored twice. A power of two long.
    std::vector<uint32_t> m_slots; // string ids, 0 for an empty slot
    std::vector<uint64_t> m_hashes; // by string id
    std::unordered_map<LocationKey, uint32_t, LocationHash> m_location_ids;
    std::vector<StringId> m_string_remap;
    std::vector<LocationId> m_location_remap;
};

} // namespace weft
