#pragma once
// The importer's strings: names, categories, argument texts, ids. Each distinct string is stored
// once and named by a 32-bit id (0 is "none"); views stay valid while the table lives.
//
// Interning runs for several strings of every event, so the lookup is an open-addressing table of
// ids beside each string's hash: a probe compares hashes first and touches a string only when they
// match.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace weft::chrome {

class StringTable {
public:
    StringTable();
    uint32_t intern(std::string_view text); // "" -> 0
    std::string_view get(uint32_t id) const { return id < m_views.size() ? m_views[id] : std::string_view{}; }
    size_t size() const { return m_views.size(); }
    size_t bytes() const { return m_bytes; }

    static uint64_t hash(std::string_view text);

private:
    std::string_view store(std::string_view text);
    void grow();

    // A slot holds an id (0: empty) and the top half of its string's hash, so that a probe
    // touches a string only when that half matches: most lookups read the slot array alone.
    struct Slot {
        uint32_t id;
        uint32_t tag;
    };

    std::vector<std::string_view> m_views;
    std::vector<uint64_t> m_hashes;     // by id, to place them again when the slots grow
    std::vector<Slot> m_slots;          // a power of two long
    std::vector<std::unique_ptr<char[]>> m_chunks; // the last one is being filled
    std::vector<std::unique_ptr<char[]>> m_large;
    size_t m_chunk_used = 0;
    size_t m_bytes = 0;
};

} // namespace weft::chrome
