#include "format/cbor_reader.h"

#include <cbor.h>

#include <bit>
#include <cstdio>
#include <limits>
#include <string>

namespace weft::format {

namespace {

// What the libcbor callbacks write: the item decoded by one cbor_stream_decode call.
struct Decoded {
    CborItem* item;
    bool indefinite = false;
};

Decoded& ctx(void* context) {
    return *static_cast<Decoded*>(context);
}

void on_uint8(void* c, uint8_t v) {
    *ctx(c).item = {CborType::UInt, v, {}};
}
void on_uint16(void* c, uint16_t v) {
    *ctx(c).item = {CborType::UInt, v, {}};
}
void on_uint32(void* c, uint32_t v) {
    *ctx(c).item = {CborType::UInt, v, {}};
}
void on_uint64(void* c, uint64_t v) {
    *ctx(c).item = {CborType::UInt, v, {}};
}
void on_negint8(void* c, uint8_t v) {
    *ctx(c).item = {CborType::NegInt, v, {}};
}
void on_negint16(void* c, uint16_t v) {
    *ctx(c).item = {CborType::NegInt, v, {}};
}
void on_negint32(void* c, uint32_t v) {
    *ctx(c).item = {CborType::NegInt, v, {}};
}
void on_negint64(void* c, uint64_t v) {
    *ctx(c).item = {CborType::NegInt, v, {}};
}
void on_bytes(void* c, cbor_data data, size_t size) {
    *ctx(c).item = {CborType::Bytes, size, {data, size}};
}
void on_text(void* c, cbor_data data, size_t size) {
    *ctx(c).item = {CborType::Text, size, {data, size}};
}
void on_array(void* c, size_t count) {
    *ctx(c).item = {CborType::Array, count, {}};
}
void on_map(void* c, size_t count) {
    *ctx(c).item = {CborType::Map, count, {}};
}
void on_tag(void* c, uint64_t v) {
    *ctx(c).item = {CborType::Tag, v, {}};
}
void on_float(void* c, float v) {
    *ctx(c).item = {CborType::Float, std::bit_cast<uint64_t>(static_cast<double>(v)), {}};
}
void on_double(void* c, double v) {
    *ctx(c).item = {CborType::Float, std::bit_cast<uint64_t>(v), {}};
}
void on_simple(void* c) {
    *ctx(c).item = {CborType::Simple, 0, {}};
}
void on_bool(void* c, bool v) {
    *ctx(c).item = {CborType::Simple, v ? 1u : 0u, {}};
}
void on_indefinite(void* c) {
    ctx(c).indefinite = true;
}

// libcbor 0.8 names are crossed: `byte_string_start`, `string_start`, `indef_array_start` and
// `indef_map_start` announce indefinite items; `byte_string`, `string`, `array_start` and
// `map_start` carry definite ones.
const cbor_callbacks kCallbacks = [] {
    cbor_callbacks cb{};
    cb.uint8 = on_uint8;
    cb.uint16 = on_uint16;
    cb.uint32 = on_uint32;
    cb.uint64 = on_uint64;
    cb.negint8 = on_negint8;
    cb.negint16 = on_negint16;
    cb.negint32 = on_negint32;
    cb.negint64 = on_negint64;
    cb.byte_string_start = on_indefinite;
    cb.byte_string = on_bytes;
    cb.string = on_text;
    cb.string_start = on_indefinite;
    cb.indef_array_start = on_indefinite;
    cb.array_start = on_array;
    cb.indef_map_start = on_indefinite;
    cb.map_start = on_map;
    cb.tag = on_tag;
    cb.float2 = on_float;
    cb.float4 = on_float;
    cb.float8 = on_double;
    cb.undefined = on_simple;
    cb.null = on_simple;
    cb.boolean = on_bool;
    cb.indef_break = on_indefinite;
    return cb;
}();

} // namespace

const char* cbor_type_name(CborType type) {
    switch (type) {
    case CborType::UInt:
        return "uint";
    case CborType::NegInt:
        return "negative int";
    case CborType::Bytes:
        return "byte string";
    case CborType::Text:
        return "text";
    case CborType::Array:
        return "array";
    case CborType::Map:
        return "map";
    case CborType::Tag:
        return "tag";
    case CborType::Float:
        return "float";
    case CborType::Simple:
        return "simple value";
    }
    return "?";
}

bool CborReader::fail(std::string reason) {
    if (m_error.reason.empty()) {
        m_error.offset = m_base + m_pos;
        m_error.reason = std::move(reason);
    }
    m_pos = m_size; // stop: nothing after an error is trusted
    return false;
}

bool CborReader::fail_count(const CborItem& item, size_t following) {
    char text[160];
    std::snprintf(text, sizeof text, "CBOR %s at byte %zu claims %llu %s but only %zu bytes follow",
                  cbor_type_name(item.type), m_last, static_cast<unsigned long long>(item.value),
                  item.type == CborType::Map ? "pairs" : "items", following);
    return fail(text);
}

bool CborReader::fail_item(const std::string& reason) {
    m_pos = m_last;
    return fail(reason + " at byte " + std::to_string(m_last));
}

bool CborReader::fail_type(const CborItem& item, const char* what, const char* expected) {
    m_pos = m_last;
    return fail(std::string(what) + ": expected " + expected + ", found " + cbor_type_name(item.type) +
                " at byte " + std::to_string(m_last));
}

bool CborReader::next_slow(CborItem& item) {
    if (m_pos >= m_size) {
        if (failed()) return false;
        return fail("CBOR data ends early (at byte " + std::to_string(m_pos) + ")");
    }
    m_last = m_pos;
    Decoded decoded{&item};
    const cbor_decoder_result result =
        cbor_stream_decode(m_data + m_pos, m_size - m_pos, &kCallbacks, &decoded);
    if (result.status == CBOR_DECODER_NEDATA) {
        return fail("CBOR item at byte " + std::to_string(m_pos) + " needs " +
                    std::to_string(result.required) + " bytes but only " + std::to_string(m_size - m_pos) +
                    " remain");
    }
    if (result.status != CBOR_DECODER_FINISHED) {
        char text[96];
        std::snprintf(text, sizeof text, "malformed CBOR at byte %zu (initial byte 0x%02x)", m_pos,
                      m_data[m_pos]);
        return fail(text);
    }
    if (decoded.indefinite) {
        char text[128];
        std::snprintf(text, sizeof text,
                      "indefinite-length CBOR item at byte %zu (initial byte 0x%02x): only definite lengths "
                      "are allowed",
                      m_pos, m_data[m_pos]);
        return fail(text);
    }
    // Every element takes at least one byte: a count beyond what remains is a lie, refused before
    // anyone sizes a container by it.
    const uint64_t left = m_size - m_pos - result.read;
    if ((item.type == CborType::Array && item.value > left) ||
        (item.type == CborType::Map && item.value > left / 2)) {
        return fail_count(item, left); // m_last is this item's start
    }
    m_pos += result.read;
    return true;
}

bool CborReader::skip(const CborItem& item, int depth) {
    // Iterative walk with one pending-item counter per nesting level: bounded, no recursion.
    uint64_t pending[kMaxCborDepth + 2];
    int level = 0;
    auto push = [&](const CborItem& it) {
        uint64_t count = 0;
        if (it.type == CborType::Array)
            count = it.value;
        else if (it.type == CborType::Map)
            count = it.value * 2;
        else if (it.type == CborType::Tag)
            count = 1;
        else
            return true;
        if (count == 0) return true;
        if (depth + level + 1 > kMaxCborDepth) {
            return fail("CBOR nesting deeper than " + std::to_string(kMaxCborDepth) + " levels at byte " +
                        std::to_string(m_pos));
        }
        pending[++level] = count;
        return true;
    };
    if (!push(item)) return false;
    CborItem child;
    while (level > 0) {
        if (pending[level] == 0) {
            --level;
            continue;
        }
        --pending[level];
        if (!next(child) || !push(child)) return false;
    }
    return true;
}

bool CborReader::skip_value(int depth) {
    CborItem item;
    return next(item) && skip(item, depth);
}

bool CborReader::read_uint(uint64_t& value, const char* what) {
    CborItem item;
    if (!next(item)) return false;
    if (item.type != CborType::UInt) return fail_type(item, what, "uint");
    value = item.value;
    return true;
}

bool CborReader::read_int(int64_t& value, const char* what) {
    CborItem item;
    if (!next(item)) return false;
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (item.type == CborType::UInt) {
        if (item.value > kMax)
            return fail_item(std::string(what) + ": " + std::to_string(item.value) + " exceeds int64");
        value = static_cast<int64_t>(item.value);
        return true;
    }
    if (item.type == CborType::NegInt) {
        if (item.value > kMax) return fail_item(std::string(what) + ": value below the int64 range");
        value = -1 - static_cast<int64_t>(item.value);
        return true;
    }
    return fail_type(item, what, "int");
}

bool CborReader::read_text(std::string_view& value, const char* what) {
    CborItem item;
    if (!next(item)) return false;
    if (item.type != CborType::Text) return fail_type(item, what, "text");
    value = item.text();
    return true;
}

bool CborReader::read_bytes(std::span<const uint8_t>& value, const char* what) {
    CborItem item;
    if (!next(item)) return false;
    if (item.type != CborType::Bytes) return fail_type(item, what, "byte string");
    value = item.bytes;
    return true;
}

bool CborReader::read_array(uint64_t& count, const char* what) {
    CborItem item;
    if (!next(item)) return false;
    if (item.type != CborType::Array) return fail_type(item, what, "array");
    count = item.value;
    return true;
}

bool CborReader::read_map(uint64_t& count, const char* what) {
    CborItem item;
    if (!next(item)) return false;
    if (item.type != CborType::Map) return fail_type(item, what, "map");
    count = item.value;
    return true;
}

bool CborReader::read_uuid(Uuid& value, const char* what) {
    std::span<const uint8_t> bytes;
    if (!read_bytes(bytes, what)) return false;
    if (bytes.size() != value.size()) {
        return fail_item(std::string(what) + ": expected 16 bytes, found " + std::to_string(bytes.size()));
    }
    std::copy(bytes.begin(), bytes.end(), value.begin());
    return true;
}

} // namespace weft::format
