#pragma once
// A case-insensitive substring test, shared by Find (query/search.h) and the viewer's name filters.
//
// ASCII letters only. Bytes of multi-byte UTF-8 sequences (>= 0x80) are left as they are, so
// "É" matches "É" but not "é": folding them right would need Unicode tables for little gain in
// traces whose names are mostly identifiers.

#include <string>
#include <string_view>

namespace weft {

constexpr char fold_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// The haystack is folded into a reused buffer and searched with string_view::find (memchr and
// memcmp underneath), which beats a byte-by-byte folding comparison at every position.
class TextMatcher {
public:
    explicit TextMatcher(std::string_view needle) : m_needle(needle) {
        for (char& c : m_needle) c = fold_ascii(c);
    }
    bool empty() const { return m_needle.empty(); }
    bool operator()(std::string_view hay) {
        if (hay.size() < m_needle.size()) return false;
        m_buffer.assign(hay);
        for (char& c : m_buffer) c = fold_ascii(c);
        return std::string_view(m_buffer).find(m_needle) != std::string_view::npos;
    }

private:
    std::string m_needle;
    std::string m_buffer;
};

} // namespace weft
