#pragma once
// Appends CBOR items (definite lengths only) to a byte vector, through libcbor's cbor_encode_*.
// The caller writes array and map heads with their counts, then the elements.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace weft::format {

class CborWriter {
public:
    explicit CborWriter(std::vector<uint8_t>& out) : m_out(out) {}

    void uint(uint64_t value);
    void integer(int64_t value); // uint or negative int
    void float64(double value);
    void text(std::string_view value);
    void bytes(std::span<const uint8_t> value);
    void array(uint64_t count);
    void map(uint64_t count);
    void boolean(bool value);
    void null();
    void tag(uint64_t value);
    // Heads of indefinite-length items and their break, only so tests can write what readers refuse.
    void indefinite_array();
    void indefinite_map();
    void indefinite_text();
    void brk();

    std::vector<uint8_t>& out() { return m_out; }

private:
    // Appends the head produced by an encoder function of libcbor (at most 9 bytes).
    template <typename Encode> void head(Encode encode);

    std::vector<uint8_t>& m_out;
};

} // namespace weft::format
