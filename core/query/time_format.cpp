#include "query/time_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace weft {

namespace {

std::string with_unit(double value, const char* unit, int significant) {
    // Keep `significant` digits overall: 1.23, 12.3, 123.
    const double magnitude = std::fabs(value);
    int decimals = significant - 1;
    if (magnitude >= 10) decimals = significant - 2;
    if (magnitude >= 100) decimals = significant - 3;
    if (decimals < 0) decimals = 0;
    char text[64];
    std::snprintf(text, sizeof text, "%.*f %s", decimals, value, unit);
    return text;
}

} // namespace

std::string format_duration(Time ns) {
    const double v = static_cast<double>(ns);
    const double a = std::fabs(v);
    if (a < 1e3) return std::to_string(ns) + " ns";
    if (a < 1e6) return with_unit(v / 1e3, "\xC2\xB5s", 3);
    if (a < 1e9) return with_unit(v / 1e6, "ms", 3);
    if (a < 60e9) return with_unit(v / 1e9, "s", 4);
    const long long total_s = std::llabs(ns) / 1'000'000'000LL;
    char text[64];
    std::snprintf(text, sizeof text, "%s%lld min %02lld s", ns < 0 ? "-" : "", total_s / 60, total_s % 60);
    return text;
}

std::string format_uptime(uint64_t s) {
    char text[48];
    const auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
    if (s < 60) std::snprintf(text, sizeof text, "%llu s", u(s));
    else if (s < 3600) std::snprintf(text, sizeof text, "%llu min %02llu s", u(s / 60), u(s % 60));
    else if (s < 86400) std::snprintf(text, sizeof text, "%llu h %02llu min", u(s / 3600), u(s / 60 % 60));
    else std::snprintf(text, sizeof text, "%llu d %02llu h", u(s / 86400), u(s / 3600 % 24));
    return text;
}

std::string format_timestamp(Time ns, Time span) {
    const double v = static_cast<double>(ns);
    const double s = std::fabs(static_cast<double>(span));
    // Enough decimals that a tenth of the span is still resolved.
    const char* unit = "s";
    double scale = 1e9;
    if (s < 1e4) {
        unit = "ns";
        scale = 1;
    } else if (s < 1e7) {
        unit = "\xC2\xB5s";
        scale = 1e3;
    } else if (s < 1e10) {
        unit = "ms";
        scale = 1e6;
    }
    int decimals = 0;
    for (double step = s / 10 / scale; step < 1 && decimals < 6; step *= 10) ++decimals;
    char text[64];
    std::snprintf(text, sizeof text, "%.*f %s", decimals, v / scale, unit);
    return text;
}

namespace {

struct Magnitude {
    const char* unit;
    unsigned long long per_unit; // ns in one unit: 10^decimals
    int decimals;                // the ns digits below the unit
};

unsigned long long magnitude_abs(Time ns) {
    return ns < 0 ? 0ULL - static_cast<unsigned long long>(ns) : static_cast<unsigned long long>(ns);
}

Magnitude magnitude_of(Time ns) {
    const unsigned long long a = magnitude_abs(ns);
    if (a >= 1'000'000'000ULL) return {"s", 1'000'000'000ULL, 9};
    if (a >= 1'000'000ULL) return {"ms", 1'000'000ULL, 6};
    if (a >= 1'000ULL) return {"\xC2\xB5s", 1'000ULL, 3};
    return {"ns", 1, 0};
}

} // namespace

std::string format_time_exact(Time ns) {
    const Magnitude m = magnitude_of(ns);
    const unsigned long long a = magnitude_abs(ns);
    std::string text = ns < 0 ? "-" : "";
    text += std::to_string(a / m.per_unit);
    if (m.decimals > 0) {
        std::string digits(static_cast<size_t>(m.decimals), '0');
        unsigned long long below = a % m.per_unit;
        for (size_t i = digits.size(); i-- > 0; below /= 10) digits[i] = static_cast<char>('0' + below % 10);
        text += '.';
        for (int i = 0; i < m.decimals; ++i) {
            if (i > 0 && i % 3 == 0) text += "\xE2\x80\xAF"; // a narrow no-break space between groups
            text += digits[static_cast<size_t>(i)];
        }
    }
    text += ' ';
    text += m.unit;
    return text;
}

std::string format_time_precise(Time ns, int significant) {
    const Magnitude m = magnitude_of(ns);
    if (m.decimals == 0) return std::to_string(ns) + " ns";
    return with_unit(static_cast<double>(ns) / static_cast<double>(m.per_unit), m.unit, significant);
}

} // namespace weft
