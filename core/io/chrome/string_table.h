#pragma once
// The importer's strings: names, categories, argument texts, ids. Each distinct string is stored
// once and named by a 32-bit id (0 is "none"); views stay valid while the table lives.

#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace weft::chrome {

class StringTable {
public:
    StringTable();
    uint32_t intern(std::string_view text); // "" -> 0
    std::string_view get(uint32_t id) const { return id < m_views.size() ? m_views[id] : std::string_view{}; }
    size_t size() const { return m_views.size(); }
    size_t bytes() const { return m_bytes; }

private:
    std::string_view store(std::string_view text);

    std::vector<std::string_view> m_views;
    std::unordered_map<std::string_view, uint32_t> m_ids;
    std::vector<std::unique_ptr<char[]>> m_chunks; // the last one is being filled
    std::vector<std::unique_ptr<char[]>> m_large;
    size_t m_chunk_used = 0;
    size_t m_bytes = 0;
};

} // namespace weft::chrome
