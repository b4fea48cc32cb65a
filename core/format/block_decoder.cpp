// BlockDecoder: decompresses a block's payload within its declared size and decodes strings,
// locations and events into a reusable DecodedBlock. The events are read by format/event_decoder.h,
// straight into the flat Event array, or left encoded for a consumer that reads them itself.

#include "format/cbor_reader.h"
#include "format/event_decoder.h"
#include "format/record_codec.h"

#include <string>
#include <zstd.h>

namespace weft::format {

namespace {

using detail::kMaxId32;

bool read_strings(CborReader& r, DecodedBlock& out) {
    uint64_t count = 0;
    if (!r.read_array(count, "strings")) return false;
    out.strings.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
        std::string_view text;
        if (!r.read_text(text, "strings")) return false;
        out.strings.push_back(text);
    }
    return true;
}

bool read_locations(CborReader& r, DecodedBlock& out) {
    uint64_t count = 0;
    if (!r.read_array(count, "locations")) return false;
    out.locations.reserve(count);
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t fields = 0;
        if (!r.read_array(fields, "location")) return false;
        uint64_t values[4] = {0, 0, 0, 0}; // missing trailing fields read as 0
        for (uint64_t f = 0; f < fields; ++f) {
            if (f >= 4) {
                if (!r.skip_value(3)) return false;
                continue;
            }
            if (!r.read_uint(values[f], "location field")) return false;
            if (values[f] > kMaxId32) return r.fail_item("location field out of the 32-bit range");
        }
        out.locations.push_back({static_cast<BlockStringId>(values[0]), static_cast<BlockStringId>(values[1]),
                                 static_cast<BlockStringId>(values[2]), static_cast<uint32_t>(values[3])});
    }
    return true;
}

// Collects events into the block (format/event_decoder.h describes the interface).
struct CollectEvents {
    DecodedBlock& out;

    template <EventKind K>
    void event(const Event& e) {
        out.events.push_back(e);
    }
    void event(const Event& e) { out.events.push_back(e); }
    std::vector<BlockLocationId>& frames() { return out.frames; }
    void unknown_event() { ++out.unknown_events; }
    void backwards_step() { ++out.backwards_steps; }
};

// `last` says whether the events array is the payload map's last entry: only then did the tables
// come first, so that the events before damage mean something and may be left encoded.
bool read_events(CborReader& r, std::span<const uint8_t> payload, bool last, EventDecoding mode, DecodedBlock& out) {
    uint64_t count = 0;
    if (!r.read_array(count, "events")) return false;
    // (A payload that repeats the key has its earlier events decoded already: then all are.)
    if (last && mode == EventDecoding::LeaveEncoded && out.events.empty()) {
        out.events_encoded = true;
        out.encoded_events_at = payload.size() - r.remaining();
        out.encoded_event_count = count;
        return true;
    }
    out.events.reserve(count);
    CollectEvents sink{out};
    if (detail::decode_events(r, count, out.header.begin_ticks, sink)) return true;
    out.events_cut = last;
    return false;
}

bool decode_payload(std::span<const uint8_t> payload, EventDecoding mode, DecodedBlock& out, FormatError& error) {
    if (payload.empty()) return true; // an empty block
    CborReader r(payload);
    uint64_t count = 0;
    bool ok = r.read_map(count, "payload");
    for (uint64_t i = 0; ok && i < count; ++i) {
        CborItem key;
        if (!r.next(key)) {
            ok = false;
        } else if (key.type != CborType::Text) {
            ok = r.skip(key, 1) && r.skip_value(1);
        } else if (key.text() == "events") {
            ok = read_events(r, payload, i + 1 == count, mode, out);
        } else if (key.text() == "strings") {
            ok = read_strings(r, out);
        } else if (key.text() == "locations") {
            ok = read_locations(r, out);
        } else {
            ok = r.skip_value(1);
        }
    }
    if (!ok) error.reason = "block payload: " + r.error().reason;
    return ok;
}

} // namespace

struct BlockDecoder::Impl {
    ZSTD_DCtx* dctx = nullptr;
};

BlockDecoder::BlockDecoder() : m_impl(new Impl) {
    m_impl->dctx = ZSTD_createDCtx();
}

BlockDecoder::~BlockDecoder() {
    ZSTD_freeDCtx(m_impl->dctx);
    delete m_impl;
}

FormatError BlockDecoder::decode(std::span<const uint8_t> body, uint64_t offset, DecodedBlock& out,
                                 EventDecoding mode) {
    out.offset = offset;
    out.events_cut = false;
    out.events_encoded = false;
    out.encoded_events_at = 0;
    out.encoded_event_count = 0;
    out.strings.clear();
    out.locations.clear();
    out.events.clear();
    out.frames.clear();
    out.unknown_events = 0;
    out.backwards_steps = 0;

    std::span<const uint8_t> payload;
    FormatError error = decode_block_header(body, offset, out.header, payload);
    if (!error.ok()) return error;
    error.offset = offset;
    const uint64_t size = out.header.payload_size;

    if (out.header.codec == Codec::None) {
        if (payload.size() != size) {
            error.reason = "block: stored payload has " + std::to_string(payload.size()) +
                           " bytes but payload_size says " + std::to_string(size);
            return error;
        }
        out.payload_storage.assign(payload.begin(), payload.end());
    } else {
        // The frame must announce exactly payload_size; only then is that much memory reserved,
        // and decompression into a buffer of that size cannot go past it.
        const unsigned long long content = ZSTD_getFrameContentSize(payload.data(), payload.size());
        if (content == ZSTD_CONTENTSIZE_ERROR) {
            error.reason = "block: payload is not a valid zstd frame";
            return error;
        }
        if (content == ZSTD_CONTENTSIZE_UNKNOWN) {
            error.reason =
                "block: zstd frame does not state its content size (expected " + std::to_string(size) + ")";
            return error;
        }
        if (content != size) {
            error.reason = "block: zstd frame claims " + std::to_string(content) +
                           " bytes but payload_size says " + std::to_string(size);
            return error;
        }
        const size_t frame = ZSTD_findFrameCompressedSize(payload.data(), payload.size());
        if (ZSTD_isError(frame) || frame != payload.size()) {
            error.reason = "block: payload is not exactly one zstd frame";
            return error;
        }
        out.payload_storage.resize(size);
        const size_t produced = ZSTD_decompressDCtx(m_impl->dctx, out.payload_storage.data(), size,
                                                    payload.data(), payload.size());
        if (ZSTD_isError(produced)) {
            error.reason = std::string("block: zstd decompression failed: ") + ZSTD_getErrorName(produced) +
                           " (payload_size " + std::to_string(size) + ")";
            return error;
        }
        if (produced != size) {
            error.reason = "block: zstd frame inflated to " + std::to_string(produced) + " bytes, expected " +
                           std::to_string(size);
            return error;
        }
    }
    if (!decode_payload({out.payload_storage.data(), static_cast<size_t>(size)}, mode, out, error)) return error;
    return {};
}

} // namespace weft::format
