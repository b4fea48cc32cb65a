// Durations, timestamps and uptimes as people read them: unit chosen by magnitude, three significant
// digits for durations, enough decimals in timestamps that neighbouring axis labels differ.

#include "query/time_format.h"

#include <gtest/gtest.h>

using namespace weft;

TEST(TimeFormat, DurationPicksTheUnitByMagnitude) {
    const struct {
        Time ns;
        const char* text;
    } rows[] = {
        {0, "0 ns"},
        {850, "850 ns"},
        {1'000, "1.00 \xC2\xB5s"},
        {12'400, "12.4 \xC2\xB5s"},
        {3'200'000, "3.20 ms"},
        {123'456'789, "123 ms"},
        {1'500'000'000, "1.500 s"},
        {59'999'000'000, "60.00 s"},
        {123'000'000'000, "2 min 03 s"},
        {-3'200'000, "-3.20 ms"},
    };
    for (const auto& row : rows) EXPECT_EQ(format_duration(row.ns), row.text) << row.ns;
}

TEST(TimeFormat, TimestampResolvesATenthOfTheSpan) {
    EXPECT_EQ(format_timestamp(12'345'678, 2'000'000), "12346 \xC2\xB5s");
    EXPECT_EQ(format_timestamp(1'250, 50'000), "1 \xC2\xB5s");
    EXPECT_EQ(format_timestamp(1'250, 5'000), "1250 ns");
    EXPECT_EQ(format_timestamp(1'250, 50'000'000), "0 ms");
    EXPECT_EQ(format_timestamp(1'234'000, 12'000), "1234 \xC2\xB5s");
    EXPECT_EQ(format_timestamp(7, 4), "7.0 ns"); // a span under 10 ns needs a decimal
    EXPECT_EQ(format_timestamp(3'000'000'000, 20'000'000'000), "3 s");
    EXPECT_EQ(format_timestamp(2'500'000'000, 5'000'000'000), "2500 ms");
    EXPECT_EQ(format_timestamp(4'200, 1'000), "4200 ns");
}

TEST(TimeFormat, ExactTimesKeepEveryNanosecond) {
    const char* thin = "\xE2\x80\xAF"; // narrow no-break space
    EXPECT_EQ(format_time_exact(104'705'312'456), std::string("104.705") + thin + "312" + thin + "456 s");
    EXPECT_EQ(format_time_exact(3'215'000), std::string("3.215") + thin + "000 ms");
    EXPECT_EQ(format_time_exact(190'123), "190.123 \xC2\xB5s");
    EXPECT_EQ(format_time_exact(850), "850 ns");
    EXPECT_EQ(format_time_exact(0), "0 ns");
    EXPECT_EQ(format_time_exact(1'000'000'000), std::string("1.000") + thin + "000" + thin + "000 s");
    EXPECT_EQ(format_time_exact(-2'500), "-2.500 \xC2\xB5s");
}

TEST(TimeFormat, PreciseTimesKeepFourSignificantDigits) {
    // A 190 us slice at 104.705 s no longer reads "105 s", nor a task created at 3.2 ms "0 s".
    EXPECT_EQ(format_time_precise(104'705'312'456), "104.7 s");
    EXPECT_EQ(format_time_precise(3'215'000), "3.215 ms");
    EXPECT_EQ(format_time_precise(190'123), "190.1 \xC2\xB5s");
    EXPECT_EQ(format_time_precise(12'345'678), "12.35 ms");
    EXPECT_EQ(format_time_precise(850), "850 ns");
    EXPECT_EQ(format_time_precise(0), "0 ns");
    EXPECT_EQ(format_time_precise(104'705'312'456, 6), "104.705 s");
}

TEST(TimeFormat, UptimeIsCoarse) {
    EXPECT_EQ(format_uptime(0), "0 s");
    EXPECT_EQ(format_uptime(59), "59 s");
    EXPECT_EQ(format_uptime(187), "3 min 07 s");
    EXPECT_EQ(format_uptime(7'500), "2 h 05 min");
    EXPECT_EQ(format_uptime(3 * 86'400 + 4 * 3'600 + 59), "3 d 04 h");
}
