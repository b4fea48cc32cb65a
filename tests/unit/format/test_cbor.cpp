// The pull CBOR reader and the writer: values, skipping, and refusal of what the format forbids.

#include "format/cbor_reader.h"
#include "format/cbor_writer.h"

#include <gtest/gtest.h>
#include <limits>

using namespace weft::format;

TEST(Cbor, IntegersRoundTripAtEveryWidth) {
    const int64_t values[] = {0,
                              1,
                              23,
                              24,
                              255,
                              256,
                              65535,
                              65536,
                              4294967295ll,
                              4294967296ll,
                              std::numeric_limits<int64_t>::max(),
                              -1,
                              -24,
                              -25,
                              -256,
                              -257,
                              -65537,
                              std::numeric_limits<int64_t>::min()};
    std::vector<uint8_t> bytes;
    CborWriter w(bytes);
    for (int64_t v : values)
        w.integer(v);
    w.uint(std::numeric_limits<uint64_t>::max());
    CborReader r(bytes);
    for (int64_t v : values) {
        int64_t back = 0;
        ASSERT_TRUE(r.read_int(back, "value")) << r.error().reason;
        EXPECT_EQ(back, v);
    }
    uint64_t max = 0;
    ASSERT_TRUE(r.read_uint(max, "max"));
    EXPECT_EQ(max, std::numeric_limits<uint64_t>::max());
    EXPECT_TRUE(r.at_end());
}

TEST(Cbor, ReadIntRefusesWhatDoesNotFitInt64) {
    std::vector<uint8_t> bytes;
    CborWriter(bytes).uint(std::numeric_limits<uint64_t>::max());
    CborReader r(bytes);
    int64_t v = 0;
    EXPECT_FALSE(r.read_int(v, "dt"));
    EXPECT_NE(r.error().reason.find("dt"), std::string::npos);
}

TEST(Cbor, StringsArraysMapsAndTypes) {
    std::vector<uint8_t> bytes;
    CborWriter w(bytes);
    w.map(2);
    w.text("key");
    w.bytes(std::vector<uint8_t>{9, 8, 7});
    w.text("");
    w.array(0);
    CborReader r(bytes);
    uint64_t count = 0;
    ASSERT_TRUE(r.read_map(count, "m"));
    EXPECT_EQ(count, 2u);
    std::string_view text;
    ASSERT_TRUE(r.read_text(text, "k"));
    EXPECT_EQ(text, "key");
    std::span<const uint8_t> data;
    ASSERT_TRUE(r.read_bytes(data, "b"));
    ASSERT_EQ(data.size(), 3u);
    EXPECT_EQ(data[2], 7);
    ASSERT_TRUE(r.read_text(text, "k"));
    EXPECT_TRUE(text.empty());
    ASSERT_TRUE(r.read_array(count, "a"));
    EXPECT_EQ(count, 0u);
    EXPECT_TRUE(r.at_end());
}

TEST(Cbor, TypeMismatchNamesWhatAndWhere) {
    std::vector<uint8_t> bytes;
    CborWriter w(bytes);
    w.uint(1);
    w.text("x");
    CborReader r(bytes);
    uint64_t v = 0;
    ASSERT_TRUE(r.read_uint(v, "first"));
    EXPECT_FALSE(r.read_uint(v, "second"));
    EXPECT_EQ(r.error().reason, "second: expected uint, found text at byte 1");
    EXPECT_EQ(r.error().offset, 1u);
    EXPECT_FALSE(r.read_uint(v, "third")); // nothing after an error
}

TEST(Cbor, SkipWalksNestedItems) {
    std::vector<uint8_t> bytes;
    CborWriter w(bytes);
    w.array(2);
    w.map(1);
    w.text("a");
    w.array(2);
    w.tag(2);
    w.bytes(std::vector<uint8_t>(300, 1));
    w.boolean(true);
    w.null();
    w.text("after the array");
    w.uint(5);
    CborReader r(bytes);
    ASSERT_TRUE(r.skip_value());
    std::string_view text;
    ASSERT_TRUE(r.read_text(text, "t"));
    EXPECT_EQ(text, "after the array");
    ASSERT_TRUE(r.skip_value());
    EXPECT_TRUE(r.at_end());
}

TEST(Cbor, IndefiniteLengthItemsAreRefused) {
    for (int which = 0; which < 3; ++which) {
        std::vector<uint8_t> bytes;
        CborWriter w(bytes);
        if (which == 0) w.indefinite_array();
        if (which == 1) w.indefinite_map();
        if (which == 2) w.indefinite_text();
        w.brk();
        CborReader r(bytes);
        CborItem item;
        EXPECT_FALSE(r.next(item));
        EXPECT_NE(r.error().reason.find("indefinite"), std::string::npos) << r.error().reason;
    }
}

TEST(Cbor, CountsBeyondTheRemainingBytesAreRefused) {
    const uint8_t huge_array[] = {0x9b, 0, 0, 0, 1, 0, 0, 0, 0, 0x01}; // 2^32 elements, one byte left
    CborReader r(huge_array);
    CborItem item;
    EXPECT_FALSE(r.next(item));
    EXPECT_NE(r.error().reason.find("4294967296"), std::string::npos) << r.error().reason;

    const uint8_t small_array[] = {0x85, 0x01, 0x02}; // 5 elements, 2 bytes
    CborReader r2(small_array);
    EXPECT_FALSE(r2.next(item));
    const uint8_t map[] = {0xa2, 0x01, 0x02, 0x03}; // 2 pairs need 4 bytes, 3 remain
    CborReader r3(map);
    EXPECT_FALSE(r3.next(item));
}

TEST(Cbor, TruncatedAndMalformedItems) {
    const uint8_t cut_uint[] = {0x1a, 0x00, 0x01}; // uint32 needs 4 bytes
    CborReader r(cut_uint);
    CborItem item;
    EXPECT_FALSE(r.next(item));
    EXPECT_NE(r.error().reason.find("needs 5 bytes"), std::string::npos) << r.error().reason;

    const uint8_t cut_text[] = {0x65, 'a', 'b'};
    CborReader r2(cut_text);
    EXPECT_FALSE(r2.next(item));

    const uint8_t reserved[] = {0x1c};
    CborReader r3(reserved);
    EXPECT_FALSE(r3.next(item));
    EXPECT_NE(r3.error().reason.find("malformed"), std::string::npos) << r3.error().reason;

    CborReader empty(std::span<const uint8_t>{});
    EXPECT_FALSE(empty.next(item));
    EXPECT_TRUE(empty.failed());
}

TEST(Cbor, NestingDeeperThanTheLimitIsRefused) {
    auto nested = [](int depth) {
        std::vector<uint8_t> bytes;
        CborWriter w(bytes);
        for (int i = 0; i < depth; ++i)
            w.array(1);
        w.uint(0);
        return bytes;
    };
    const auto ok = nested(kMaxCborDepth);
    CborReader r(ok);
    EXPECT_TRUE(r.skip_value()) << r.error().reason;
    const auto deep = nested(kMaxCborDepth + 1);
    CborReader r2(deep);
    EXPECT_FALSE(r2.skip_value());
    EXPECT_NE(r2.error().reason.find("nesting"), std::string::npos) << r2.error().reason;
    const auto very_deep = nested(100000);
    CborReader r3(very_deep);
    EXPECT_FALSE(r3.skip_value());
}
