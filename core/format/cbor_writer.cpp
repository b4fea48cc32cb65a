#include "format/cbor_writer.h"

#include <cbor.h>

namespace weft::format {

template <typename Encode> void CborWriter::head(Encode encode) {
    unsigned char buffer[9];
    const size_t written = encode(buffer, sizeof buffer);
    m_out.insert(m_out.end(), buffer, buffer + written);
}

void CborWriter::uint(uint64_t value) {
    head([&](unsigned char* b, size_t n) { return cbor_encode_uint(value, b, n); });
}

void CborWriter::integer(int64_t value) {
    if (value >= 0) {
        uint(static_cast<uint64_t>(value));
    } else {
        // CBOR stores a negative n as -1 - n, which fits in uint64 for every int64.
        const uint64_t encoded = static_cast<uint64_t>(-(value + 1));
        head([&](unsigned char* b, size_t n) { return cbor_encode_negint(encoded, b, n); });
    }
}

void CborWriter::float64(double value) {
    head([&](unsigned char* b, size_t n) { return cbor_encode_double(value, b, n); });
}

void CborWriter::text(std::string_view value) {
    head([&](unsigned char* b, size_t n) { return cbor_encode_string_start(value.size(), b, n); });
    m_out.insert(m_out.end(), value.begin(), value.end());
}

void CborWriter::bytes(std::span<const uint8_t> value) {
    head([&](unsigned char* b, size_t n) { return cbor_encode_bytestring_start(value.size(), b, n); });
    m_out.insert(m_out.end(), value.begin(), value.end());
}

void CborWriter::array(uint64_t count) {
    head([&](unsigned char* b, size_t n) { return cbor_encode_array_start(count, b, n); });
}

void CborWriter::map(uint64_t count) {
    head([&](unsigned char* b, size_t n) { return cbor_encode_map_start(count, b, n); });
}

void CborWriter::boolean(bool value) {
    head([&](unsigned char* b, size_t n) { return cbor_encode_bool(value, b, n); });
}

void CborWriter::null() {
    head([&](unsigned char* b, size_t n) { return cbor_encode_null(b, n); });
}

void CborWriter::tag(uint64_t value) {
    head([&](unsigned char* b, size_t n) { return cbor_encode_tag(value, b, n); });
}

void CborWriter::indefinite_array() {
    head([&](unsigned char* b, size_t n) { return cbor_encode_indef_array_start(b, n); });
}

void CborWriter::indefinite_map() {
    head([&](unsigned char* b, size_t n) { return cbor_encode_indef_map_start(b, n); });
}

void CborWriter::indefinite_text() {
    head([&](unsigned char* b, size_t n) { return cbor_encode_indef_string_start(b, n); });
}

void CborWriter::brk() {
    head([&](unsigned char* b, size_t n) { return cbor_encode_break(b, n); });
}

} // namespace weft::format
