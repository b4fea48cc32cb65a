// File header and record framing: incremental reading, damage and resynchronisation.

#include "format/framing.h"
#include "format_fixtures.h"

#include <gtest/gtest.h>
#include <algorithm>
#include <string>

using namespace weft::format;
using namespace weft::format::testing;

namespace {

std::vector<uint8_t> bytes_of(const std::string& text) {
    return {text.begin(), text.end()};
}

std::vector<uint8_t> three_records() {
    std::vector<uint8_t> out;
    append_record(1, bytes_of("first body"), out);
    append_record(200, bytes_of("an unknown kind"), out);
    append_record(3, bytes_of(std::string(1000, 'x')), out);
    return out;
}

struct Collected {
    std::vector<RecordView> records;
    std::vector<std::string> bodies;
};

Collected read_all(FrameReader& reader, const std::vector<uint8_t>& input, size_t chunk) {
    Collected c;
    for (size_t pos = 0; pos < input.size(); pos += chunk) {
        const size_t n = std::min(chunk, input.size() - pos);
        reader.append({input.data() + pos, n});
        while (auto r = reader.next()) {
            c.records.push_back(*r);
            c.bodies.emplace_back(r->body.begin(), r->body.end());
        }
    }
    reader.finish();
    while (auto r = reader.next()) {
        c.records.push_back(*r);
        c.bodies.emplace_back(r->body.begin(), r->body.end());
    }
    return c;
}

} // namespace

TEST(FileHeader, WrittenHeaderChecksOut) {
    std::vector<uint8_t> header;
    append_file_header(header);
    ASSERT_EQ(header.size(), kFileHeaderSize);
    EXPECT_EQ(header[0], 0x89);
    EXPECT_EQ(header[8], 1);
    EXPECT_FALSE(check_file_header(header).has_value());
}

TEST(FileHeader, NewerMinorIsAcceptedNewerMajorRefused) {
    std::vector<uint8_t> header;
    append_file_header(header);
    header[10] = 7;
    EXPECT_FALSE(check_file_header(header).has_value());
    header[8] = 2;
    const auto error = check_file_header(header);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->reason.find("2.7"), std::string::npos) << error->reason;
    EXPECT_NE(error->reason.find("1.1"), std::string::npos) << error->reason;
}

TEST(Framing, RecordsComeOutWhateverTheChunkSize) {
    const auto input = three_records();
    for (size_t chunk : {size_t{1}, size_t{3}, size_t{16}, size_t{17}, size_t{100}, input.size()}) {
        FrameReader reader(16);
        const Collected c = read_all(reader, input, chunk);
        ASSERT_EQ(c.records.size(), 3u) << "chunk " << chunk;
        EXPECT_EQ(c.records[0].kind, 1);
        EXPECT_EQ(c.records[0].offset, 16u);
        EXPECT_EQ(c.bodies[0], "first body");
        EXPECT_EQ(c.records[1].kind, 200); // unknown kinds are returned, callers skip them
        EXPECT_EQ(c.records[1].offset, 16u + 16 + 10);
        EXPECT_EQ(c.bodies[2], std::string(1000, 'x'));
        EXPECT_TRUE(reader.damages().empty());
        EXPECT_EQ(reader.skipped_bytes(), 0u);
        EXPECT_EQ(reader.consumed_offset(), 16u + input.size());
    }
}

// Reading into the reader's own buffer (prepare, then commit what a read filled) frames exactly
// like append, including when a read fills less than the room it was given.
TEST(Framing, PrepareAndCommitFrameLikeAppend) {
    auto input = three_records();
    input.insert(input.end(), {'W', 'R', 'E'}); // a partial sync at the very end
    for (size_t chunk : {size_t{1}, size_t{7}, size_t{16}, size_t{600}, input.size()}) {
        FrameReader reader(16);
        Collected c;
        size_t pos = 0;
        while (pos < input.size()) {
            const std::span<uint8_t> room = reader.prepare(chunk + 5);
            ASSERT_EQ(room.size(), chunk + 5);
            const size_t n = std::min(chunk, input.size() - pos); // a short read
            std::copy(input.begin() + static_cast<ptrdiff_t>(pos), input.begin() + static_cast<ptrdiff_t>(pos + n),
                      room.begin());
            reader.commit(n);
            pos += n;
            while (auto r = reader.next()) c.bodies.emplace_back(r->body.begin(), r->body.end());
        }
        reader.finish();
        while (auto r = reader.next()) c.bodies.emplace_back(r->body.begin(), r->body.end());
        ASSERT_EQ(c.bodies.size(), 3u) << "chunk " << chunk;
        EXPECT_EQ(c.bodies[0], "first body");
        EXPECT_EQ(c.bodies[2], std::string(1000, 'x'));
        EXPECT_EQ(reader.consumed_offset(), 16u + input.size()) << "chunk " << chunk;
        EXPECT_EQ(reader.skipped_bytes(), 3u);
    }
}

TEST(Framing, GarbageBetweenRecordsIsReportedOnceAndSkipped) {
    std::vector<uint8_t> input;
    append_record(1, bytes_of("a"), input);
    const std::string garbage = "garbage WRE WREC with a false sync";
    input.insert(input.end(), garbage.begin(), garbage.end());
    append_record(2, bytes_of("b"), input);
    for (size_t chunk : {size_t{1}, size_t{5}, input.size()}) {
        FrameReader reader;
        const Collected c = read_all(reader, input, chunk);
        ASSERT_EQ(c.records.size(), 2u) << "chunk " << chunk;
        EXPECT_EQ(c.bodies[1], "b");
        ASSERT_EQ(reader.damages().size(), 1u);
        EXPECT_EQ(reader.damages()[0].offset, 17u);
        EXPECT_EQ(reader.skipped_bytes(), garbage.size());
    }
}

TEST(Framing, ChecksumMismatchSkipsOnlyTheDamagedRecord) {
    auto input = three_records();
    const size_t second = 16 + 10;
    input[second + 16 + 3] ^= 0x40; // inside the second body
    FrameReader reader;
    const Collected c = read_all(reader, input, 64);
    ASSERT_EQ(c.records.size(), 2u);
    EXPECT_EQ(c.bodies[0], "first body");
    EXPECT_EQ(c.records[1].kind, 3);
    ASSERT_EQ(reader.damages().size(), 1u);
    EXPECT_EQ(reader.damages()[0].offset, second);
    EXPECT_NE(reader.damages()[0].reason.find("checksum"), std::string::npos);
    EXPECT_EQ(reader.skipped_bytes(), 16u + 15);
}

TEST(Framing, CorruptedLengthIsCaughtByTheChecksum) {
    auto input = three_records();
    input[8] = 5; // first record's length: 10 -> 5
    FrameReader reader;
    const Collected c = read_all(reader, input, input.size());
    ASSERT_EQ(c.records.size(), 2u);
    EXPECT_EQ(c.records[0].kind, 200);
    ASSERT_EQ(reader.damages().size(), 1u);
    EXPECT_EQ(reader.damages()[0].offset, 0u);
}

TEST(Framing, LengthAboveTheLimitIsDamage) {
    std::vector<uint8_t> input;
    append_record(1, bytes_of("x"), input);
    input[11] = 0x10; // 256 MiB
    append_record(2, bytes_of("y"), input);
    FrameReader reader;
    const Collected c = read_all(reader, input, input.size());
    ASSERT_EQ(c.records.size(), 1u);
    EXPECT_EQ(c.bodies[0], "y");
    ASSERT_EQ(reader.damages().size(), 1u);
    EXPECT_NE(reader.damages()[0].reason.find("exceeds"), std::string::npos) << reader.damages()[0].reason;
}

TEST(Framing, TruncatedRecordReportsClaimedAndRemainingBytes) {
    auto input = three_records();
    input.resize(input.size() - 400);
    FrameReader reader(16);
    const Collected c = read_all(reader, input, 7);
    ASSERT_EQ(c.records.size(), 2u);
    ASSERT_EQ(reader.damages().size(), 1u);
    const FormatError& d = reader.damages()[0];
    EXPECT_EQ(d.offset, 16u + 16 + 10 + 16 + 15);
    EXPECT_NE(d.reason.find("truncated"), std::string::npos) << d.reason;
    EXPECT_NE(d.reason.find("1000"), std::string::npos) << d.reason;
    EXPECT_NE(d.reason.find("600"), std::string::npos) << d.reason;
}

TEST(Framing, TruncatedHeaderAtTheEnd) {
    auto input = three_records();
    input.resize(16 + 10 + 9);
    FrameReader reader;
    const Collected c = read_all(reader, input, input.size());
    ASSERT_EQ(c.records.size(), 1u);
    ASSERT_EQ(reader.damages().size(), 1u);
    EXPECT_EQ(reader.damages()[0].offset, 26u);
}

TEST(Framing, BufferDoesNotGrowWithConsumedInput) {
    std::vector<uint8_t> record;
    append_record(3, std::vector<uint8_t>(4096, 7), record);
    FrameReader reader;
    size_t count = 0;
    for (int i = 0; i < 2000; ++i) {
        reader.append(record);
        while (reader.next())
            ++count;
    }
    EXPECT_EQ(count, 2000u);
    EXPECT_EQ(reader.consumed_offset(), 2000u * record.size());
}

// The frame checksum is the CRC-32 of FORMAT.md (zlib's and Python's zlib.crc32), whichever library
// computes it in this build: checked against a bit-by-bit reference.
TEST(Framing, ChecksumIsTheStandardCrc32) {
    auto reference_crc32 = [](std::span<const uint8_t> bytes) {
        uint32_t crc = 0xFFFFFFFFu;
        for (uint8_t b : bytes) {
            crc ^= b;
            for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
        return ~crc;
    };
    const uint8_t check[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
    ASSERT_EQ(reference_crc32(check), 0xCBF43926u); // the published check value of CRC-32
    for (size_t size : {size_t{0}, size_t{1}, size_t{9}, size_t{100}, size_t{4099}}) {
        std::vector<uint8_t> body(size);
        for (size_t i = 0; i < size; ++i) body[i] = static_cast<uint8_t>(i * 131 + 7);
        std::vector<uint8_t> framed;
        append_record(3, body, framed);
        std::vector<uint8_t> covered(framed.begin() + 4, framed.begin() + 12);
        covered.insert(covered.end(), body.begin(), body.end());
        const uint32_t stored = static_cast<uint32_t>(framed[12]) | static_cast<uint32_t>(framed[13]) << 8 |
                                static_cast<uint32_t>(framed[14]) << 16 | static_cast<uint32_t>(framed[15]) << 24;
        EXPECT_EQ(stored, reference_crc32(covered)) << "body of " << size << " bytes";
    }
}
