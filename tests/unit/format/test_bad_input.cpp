// Damaged and hostile input: every case gives a clear error with its offset, never crashes, never
// allocates what the input claims, and every intact record still loads.

#include "format/cbor_writer.h"
#include "format_fixtures.h"

#include <gtest/gtest.h>
#include <zstd.h>

using namespace weft::format;
using namespace weft::format::testing;

namespace {

ReadReport read_bytes(const std::string& name, const std::vector<uint8_t>& bytes, MemorySink& sink) {
    return read_trace_file(write_temp_file(name, bytes), sink);
}

bool mentions(const FormatError& e, const std::string& word) {
    return e.reason.find(word) != std::string::npos;
}

// A trace with process and stream info followed by `extra` (framed records).
std::vector<uint8_t> trace_with(const std::vector<uint8_t>& extra) {
    std::vector<uint8_t> bytes = small_trace(0);
    bytes.insert(bytes.end(), extra.begin(), extra.end());
    return bytes;
}

// Decodes a single framed block record.
FormatError decode_framed(const std::vector<uint8_t>& framed) {
    BlockDecoder decoder;
    DecodedBlock block;
    return decoder.decode(std::span<const uint8_t>(framed).subspan(kFrameHeaderSize), 16, block);
}

std::vector<uint8_t> block_body(const BlockHeader& header, std::span<const uint8_t> payload) {
    std::vector<uint8_t> body, framed;
    encode_block(header, payload, body);
    append_record(3, body, framed);
    return framed;
}

// A payload whose event list is whatever `write_events` appends (with the "events" key written).
template <typename F> std::vector<uint8_t> payload_with_events(F write_events) {
    std::vector<uint8_t> payload;
    CborWriter w(payload);
    w.map(1);
    w.text("events");
    write_events(w);
    return payload;
}

// Rewrites the frame content size field of a zstd frame (2-byte form: value - 256).
void patch_zstd_content_size(std::vector<uint8_t>& frame, uint64_t size) {
    const uint8_t fhd = frame[4];
    ASSERT_EQ(fhd >> 6, 1) << "expected a 2-byte content size field";
    const bool single_segment = fhd & 0x20;
    const size_t dict_bytes[] = {0, 1, 2, 4};
    const size_t at = 5 + (single_segment ? 0 : 1) + dict_bytes[fhd & 3];
    frame[at] = static_cast<uint8_t>((size - 256) & 0xff);
    frame[at + 1] = static_cast<uint8_t>((size - 256) >> 8);
}

} // namespace

TEST(BadInput, EmptyFile) {
    MemorySink sink;
    const ReadReport report = read_bytes("empty.weft", {}, sink);
    EXPECT_TRUE(report.fatal);
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_EQ(report.errors[0].offset, 0u);
    EXPECT_TRUE(mentions(report.errors[0], "not a Weft trace")) << report.errors[0].reason;
}

TEST(BadInput, WrongMagic) {
    auto bytes = small_trace(1);
    bytes[1] = 'X';
    MemorySink sink;
    const ReadReport report = read_bytes("magic.weft", bytes, sink);
    EXPECT_TRUE(report.fatal);
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_TRUE(mentions(report.errors[0], "magic"));
    EXPECT_TRUE(sink.processes.empty());
}

TEST(BadInput, FutureMajorVersionIsNamed) {
    auto bytes = small_trace(1);
    bytes[8] = 3;
    bytes[10] = 1;
    MemorySink sink;
    const ReadReport report = read_bytes("future.weft", bytes, sink);
    EXPECT_TRUE(report.fatal);
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_TRUE(mentions(report.errors[0], "version 3.1")) << report.errors[0].reason;
    EXPECT_TRUE(sink.blocks.empty());
}

TEST(BadInput, TruncationAtEveryBytePosition) {
    std::vector<uint64_t> offsets;
    const auto full = small_trace(2, &offsets);
    offsets.push_back(full.size());
    for (size_t cut = 0; cut < full.size(); ++cut) {
        SCOPED_TRACE("cut at " + std::to_string(cut));
        MemorySink sink;
        const ReadReport report = read_bytes("cut.weft", {full.begin(), full.begin() + cut}, sink);
        if (cut < kFileHeaderSize) {
            EXPECT_TRUE(report.fatal);
            ASSERT_EQ(report.errors.size(), 1u);
            continue;
        }
        ASSERT_FALSE(report.fatal);
        size_t complete = 0;
        while (complete + 1 < offsets.size() && offsets[complete + 1] <= cut)
            ++complete;
        EXPECT_EQ(report.records, complete);
        EXPECT_EQ(sink.processes.size(), complete >= 1 ? 1u : 0u);
        EXPECT_EQ(sink.streams.size(), complete >= 2 ? 1u : 0u);
        EXPECT_EQ(sink.blocks.size(), complete >= 2 ? complete - 2 : 0u);
        if (cut == offsets[complete]) {
            EXPECT_TRUE(report.errors.empty());
        } else {
            ASSERT_EQ(report.errors.size(), 1u);
            EXPECT_EQ(report.errors[0].offset, offsets[complete]);
            EXPECT_TRUE(mentions(report.errors[0], "truncated")) << report.errors[0].reason;
            EXPECT_EQ(report.skipped_bytes, cut - offsets[complete]);
        }
    }
}

TEST(BadInput, ChecksumMismatchInTheMiddleRecord) {
    std::vector<uint64_t> offsets;
    auto bytes = small_trace(3, &offsets); // process, stream, block, block, block
    const uint64_t middle = offsets[3];
    bytes[(middle + offsets[4]) / 2] ^= 0x01;
    MemorySink sink;
    const ReadReport report = read_bytes("crc.weft", bytes, sink);
    EXPECT_FALSE(report.fatal);
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_EQ(report.errors[0].offset, middle);
    EXPECT_TRUE(mentions(report.errors[0], "checksum"));
    ASSERT_EQ(sink.blocks.size(), 2u);
    EXPECT_EQ(sink.blocks[0].header.object_offset, 0u);
    EXPECT_EQ(sink.blocks[1].header.object_offset, 26u);
    EXPECT_EQ(report.skipped_bytes, offsets[4] - middle);
}

TEST(BadInput, CorruptCborBodyIsReportedAndOthersLoad) {
    std::vector<uint64_t> offsets;
    auto bytes = small_trace(1, &offsets);
    const uint64_t bad_at = bytes.size();
    append_record(3, std::vector<uint8_t>{0xa1, 0x1c, 0x00}, bytes); // valid frame, garbage CBOR
    append_record(2, std::vector<uint8_t>{0x82}, bytes);             // cut CBOR
    auto tail = small_trace(1);
    bytes.insert(bytes.end(), tail.begin() + static_cast<long>(offsets[2]), tail.end()); // one more block
    MemorySink sink;
    const ReadReport report = read_bytes("cbor.weft", bytes, sink);
    ASSERT_EQ(report.errors.size(), 2u);
    EXPECT_EQ(report.errors[0].offset, bad_at);
    EXPECT_TRUE(mentions(report.errors[0], "malformed CBOR")) << report.errors[0].reason;
    EXPECT_TRUE(mentions(report.errors[1], "stream info")) << report.errors[1].reason;
    EXPECT_EQ(sink.blocks.size(), 2u);
}

TEST(BadInput, ZstdFrameClaimingAHugeContentSize) {
    const BlockHeader base = sample_header(sample_stream());
    // A 2 GiB RLE frame is a few bytes; it claims far more than payload_size may be.
    std::vector<uint8_t> zeros(1 << 20, 0);
    std::vector<uint8_t> frame(ZSTD_compressBound(zeros.size()));
    frame.resize(ZSTD_compress(frame.data(), frame.size(), zeros.data(), zeros.size(), 1));
    BlockHeader h = base;
    h.codec = Codec::Zstd;
    h.payload_size = 1000; // differs from the frame's content size
    FormatError e = decode_framed(block_body(h, frame));
    EXPECT_TRUE(mentions(e, "claims 1048576")) << e.reason;
    EXPECT_EQ(e.offset, 16u);

    h.payload_size = kMaxPayloadSize + 1;
    e = decode_framed(block_body(h, frame));
    EXPECT_TRUE(mentions(e, "exceeds the limit")) << e.reason;

    // A frame without a content size is refused before any allocation.
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0);
    std::vector<uint8_t> unknown(ZSTD_compressBound(100));
    ZSTD_outBuffer out{unknown.data(), unknown.size(), 0};
    ZSTD_inBuffer in{zeros.data(), 100, 0};
    ZSTD_compressStream2(cctx, &out, &in, ZSTD_e_end);
    ZSTD_freeCCtx(cctx);
    unknown.resize(out.pos);
    h.payload_size = 100;
    e = decode_framed(block_body(h, unknown));
    EXPECT_TRUE(mentions(e, "content size")) << e.reason;
}

TEST(BadInput, ZstdFrameInflatingPastPayloadSize) {
    std::vector<uint8_t> data(1000);
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<uint8_t>(i * 7);
    std::vector<uint8_t> frame(ZSTD_compressBound(data.size()));
    frame.resize(ZSTD_compress(frame.data(), frame.size(), data.data(), data.size(), 1));
    patch_zstd_content_size(frame, 600); // the header now lies: the data inflates to 1000 bytes
    BlockHeader h = sample_header(sample_stream());
    h.codec = Codec::Zstd;
    h.payload_size = 600;
    const FormatError e = decode_framed(block_body(h, frame));
    EXPECT_FALSE(e.ok());
    EXPECT_TRUE(mentions(e, "zstd")) << e.reason;
}

TEST(BadInput, UncompressedPayloadSizeMismatch) {
    BlockHeader h = sample_header(sample_stream());
    h.codec = Codec::None;
    h.payload_size = 50;
    const std::vector<uint8_t> payload(10, 0);
    const FormatError e = decode_framed(block_body(h, payload));
    EXPECT_TRUE(mentions(e, "payload_size")) << e.reason;
}

TEST(BadInput, AbsurdArrayCounts) {
    // 2^32 events announced in a tiny payload.
    std::vector<uint8_t> payload = payload_with_events([](CborWriter& w) { w.array(uint64_t{1} << 32); });
    payload.push_back(0x80);
    FormatError e =
        decode_framed(framed_block_with_payload(sample_header(sample_stream()), payload, Codec::Zstd));
    EXPECT_TRUE(mentions(e, "4294967296")) << e.reason;
    EXPECT_EQ(e.offset, 16u);

    // 2^32 stream tags.
    std::vector<uint8_t> body;
    CborWriter w(body);
    w.map(3);
    w.text("stream_id");
    w.bytes(make_id(2));
    w.text("process_id");
    w.bytes(make_id(1));
    w.text("tags");
    w.array(uint64_t{1} << 32);
    w.text("x");
    auto result = decode_stream_info(body, 99);
    ASSERT_TRUE(std::holds_alternative<FormatError>(result));
    EXPECT_TRUE(mentions(std::get<FormatError>(result), "4294967296"));

    // 2^31 blocking frames.
    payload = payload_with_events([](CborWriter& ev) {
        ev.array(1);
        ev.array(5);
        ev.uint(11);
        ev.uint(0);
        ev.uint(1);
        ev.uint(1);
        ev.array(uint64_t{1} << 31);
    });
    e = decode_framed(framed_block_with_payload(sample_header(sample_stream()), payload, Codec::None));
    EXPECT_FALSE(e.ok());
}

TEST(BadInput, NestingDeeperThanTheLimit) {
    auto payload = payload_with_events([](CborWriter& w) {
        w.array(1);
        w.array(3);
        w.uint(200); // unknown kind: its fields are skipped, and skipping is bounded
        w.uint(1);
        for (int i = 0; i < 40; ++i)
            w.array(1);
        w.uint(0);
    });
    const FormatError e =
        decode_framed(framed_block_with_payload(sample_header(sample_stream()), payload, Codec::Zstd));
    EXPECT_TRUE(mentions(e, "nesting deeper than 16")) << e.reason;
}

TEST(BadInput, IndefiniteLengthItems) {
    auto payload = payload_with_events([](CborWriter& w) {
        w.indefinite_array();
        w.brk();
    });
    FormatError e =
        decode_framed(framed_block_with_payload(sample_header(sample_stream()), payload, Codec::None));
    EXPECT_TRUE(mentions(e, "indefinite")) << e.reason;

    std::vector<uint8_t> body;
    CborWriter w(body);
    w.indefinite_map();
    w.text("process_id");
    w.bytes(make_id(1));
    w.brk();
    auto result = decode_process_info(body, 5);
    ASSERT_TRUE(std::holds_alternative<FormatError>(result));
    EXPECT_TRUE(mentions(std::get<FormatError>(result), "indefinite"));
}

TEST(BadInput, BadEventsNameTheirIndex) {
    auto payload = payload_with_events([](CborWriter& w) {
        w.array(2);
        w.array(2);
        w.uint(6);
        w.uint(1);
        w.array(3);
        w.uint(6);
        w.uint(1);
        w.text("not an id");
    });
    const FormatError e =
        decode_framed(framed_block_with_payload(sample_header(sample_stream()), payload, Codec::None));
    EXPECT_TRUE(mentions(e, "event 1")) << e.reason;
    EXPECT_TRUE(mentions(e, "expected a uint")) << e.reason;
}

TEST(BadInput, DecodeFailureSkipsOnlyThatBlock) {
    std::vector<uint64_t> offsets;
    auto bytes = small_trace(1, &offsets);
    const uint64_t bad_at = bytes.size();
    auto bad = payload_with_events([](CborWriter& w) {
        w.indefinite_array();
        w.brk();
    });
    const auto framed = framed_block_with_payload(sample_header(sample_stream()), bad, Codec::Zstd);
    bytes.insert(bytes.end(), framed.begin(), framed.end());
    auto tail = small_trace(1);
    bytes.insert(bytes.end(), tail.begin() + static_cast<long>(offsets[2]), tail.end());
    MemorySink sink;
    const ReadReport report = read_bytes("bad_block.weft", bytes, sink);
    ASSERT_EQ(report.errors.size(), 1u);
    EXPECT_EQ(report.errors[0].offset, bad_at);
    EXPECT_EQ(sink.blocks.size(), 2u);
    EXPECT_EQ(report.events, 26u);
}
