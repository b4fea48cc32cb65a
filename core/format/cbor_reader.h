#pragma once
// A pull-style CBOR reader over a byte span: each next() yields one item head (an integer, a string
// with its bytes, or the count of an array or map). Only definite lengths are accepted, nesting is
// bounded by kMaxCborDepth, and the reader never allocates: strings are views into the input.
//
// Decoding goes through libcbor's stateless cbor_stream_decode (strings, maps, tags, floats, simple
// values, and the refusal of indefinite and malformed items), except for the integer and array heads
// that make up nearly all of an event payload: those are decoded inline, as the same few shifts
// libcbor would do, because a call per item would cost more than the rest of decoding an event.

#include "format/error.h"
#include "format/records.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace weft::format {

enum class CborType : uint8_t {
    UInt,   // value
    NegInt, // value n encodes the integer -1 - n
    Bytes,  // bytes
    Text,   // bytes (UTF-8, not validated)
    Array,  // value = element count
    Map,    // value = pair count
    Tag,    // value = tag number; the tagged item follows
    Float,  // value: the bits of the number as a double (half and single floats widened)
    Simple, // false, true, null, undefined
};

const char* cbor_type_name(CborType type);

struct CborItem {
    CborType type = CborType::UInt;
    uint64_t value = 0;
    std::span<const uint8_t> bytes;

    std::string_view text() const { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }
};

class CborReader {
public:
    // `base_offset` is only used in error messages, to name where in the file the data sits.
    explicit CborReader(std::span<const uint8_t> data, uint64_t base_offset = 0)
        : m_data(data.data()), m_size(data.size()), m_base(base_offset) {}

    // Reads the next item head. Returns false at the end of input or on malformed data; error()
    // tells which (an empty reason with at_end() means the input simply ended).
    bool next(CborItem& item) {
        if (m_pos < m_size) {
            const uint8_t head = m_data[m_pos];
            const uint8_t major = head >> 5;
            const uint8_t info = head & 0x1f;
            // Integer and array heads with a definite argument: the bulk of every event.
            if ((major <= 1 || major == 4) && info <= 27) {
                const size_t extra = info < 24 ? 0 : size_t{1} << (info - 24);
                if (extra < m_size - m_pos) {
                    uint64_t value = info;
                    if (extra) {
                        value = 0;
                        for (size_t i = 1; i <= extra; ++i)
                            value = (value << 8) | m_data[m_pos + i];
                    }
                    m_last = m_pos;
                    item.type = major == 0 ? CborType::UInt : major == 1 ? CborType::NegInt : CborType::Array;
                    item.value = value;
                    const size_t following = m_size - m_pos - 1 - extra;
                    if (major == 4 && value > following) return fail_count(item, following);
                    m_pos += 1 + extra;
                    return true;
                }
            }
        }
        return next_slow(item);
    }

    // Skips what follows the head `item` (array elements, map pairs, the tagged item), recursively,
    // as if the item were read whole. `depth` is the nesting depth of `item` itself.
    bool skip(const CborItem& item, int depth = 0);
    // Reads one whole item and discards it.
    bool skip_value(int depth = 0);

    // Typed reads: fail with a message naming `what` when the item has another type.
    bool read_uint(uint64_t& value, const char* what);
    bool read_int(int64_t& value, const char* what);
    bool read_text(std::string_view& value, const char* what);
    bool read_bytes(std::span<const uint8_t>& value, const char* what);
    bool read_array(uint64_t& count, const char* what);
    bool read_map(uint64_t& count, const char* what);
    // Reads a 16-byte byte string.
    bool read_uuid(Uuid& value, const char* what);

    // Records an error about the data just read (e.g. a value out of range) at the current position.
    bool fail(std::string reason);
    // Records an error about the item just read, naming its byte position.
    bool fail_item(const std::string& reason);
    // Records a type mismatch for `item`.
    bool fail_type(const CborItem& item, const char* what, const char* expected);

    // The bytes not read yet, and a way to step over those a caller decoded itself (a fast path for
    // a shape it knows; whatever it does not recognise it leaves to next()).
    std::span<const uint8_t> rest() const { return {m_data + m_pos, m_size - m_pos}; }
    void advance(size_t bytes) {
        m_last = m_pos;
        m_pos += bytes < m_size - m_pos ? bytes : m_size - m_pos;
    }

    bool at_end() const { return m_pos >= m_size; }
    size_t position() const { return m_pos; }
    size_t remaining() const { return m_size - m_pos; }
    bool failed() const { return !m_error.reason.empty(); }
    const FormatError& error() const { return m_error; }

private:
    bool next_slow(CborItem& item);
    bool fail_count(const CborItem& item, size_t following);

    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    size_t m_last = 0; // start of the last item read, for error messages
    uint64_t m_base;
    FormatError m_error;
};

} // namespace weft::format
