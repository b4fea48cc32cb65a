// Microseconds as text to nanoseconds, exactly.

#include "io/chrome/micros.h"

#include <gtest/gtest.h>

namespace weft::chrome {
namespace {

TEST(Micros, ToNanosecondsExactly) {
    struct Case {
        const char* text;
        bool ok;
        int64_t nanos;
    };
    const Case cases[] = {
        {"0", true, 0},
        {"12", true, 12000},
        {"1.5", true, 1500},
        {"1.0005", true, 1001},     // the fourth fraction digit rounds half away from zero
        {"1.0004", true, 1000},
        {"1.9995", true, 2000},     // with a carry into the microseconds
        {"-2.25", true, -2250},
        {"+3", true, 3000},
        {".5", true, 500},
        {"7.", true, 7000},
        {"1700000000123456.789", true, 1700000000123456789}, // past a double's precision
        {"12345678", true, 12345678000},
        {"123456789012", true, 123456789012000},
        {" 42 ", true, 42000},
        {"1.2e3", true, 1200000},
        {"1E-3", true, 1},
        {"9223372036854775", true, 9223372036854775000},
        {"9223372036854776", false, 0}, // past 2^63 ns
        {"1e300", false, 0},
        {"", false, 0},
        {"-", false, 0},
        {".", false, 0},
        {"12a", false, 0},
        {"NaN", false, 0},
        {"inf", false, 0},
        {"1 2", false, 0},
        {"1234567a", false, 0},
    };
    for (const Case& c : cases) {
        int64_t ns = -1;
        EXPECT_EQ(micros_to_nanos(c.text, ns), c.ok) << c.text;
        if (c.ok) EXPECT_EQ(ns, c.nanos) << c.text;
    }
}

TEST(Micros, WholeNumbers) {
    uint64_t v = 0;
    EXPECT_TRUE(parse_whole("18446744073709551615", v));
    EXPECT_EQ(v, 18446744073709551615ull);
    EXPECT_FALSE(parse_whole("18446744073709551616", v));
    EXPECT_TRUE(parse_whole(" 7 ", v));
    EXPECT_EQ(v, 7u);
    EXPECT_FALSE(parse_whole("-1", v));
    EXPECT_FALSE(parse_whole("1.5", v));
    EXPECT_FALSE(parse_whole("", v));
}

} // namespace
} // namespace weft::chrome
