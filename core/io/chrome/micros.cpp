#include "io/chrome/micros.h"

#include <charconv>
#include <cstring>
#include <cmath>
#include <limits>

namespace weft::chrome {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view t) {
    while (!t.empty() && is_blank(t.front())) t.remove_prefix(1);
    while (!t.empty() && is_blank(t.back())) t.remove_suffix(1);
    return t;
}

unsigned digit(char c) { return static_cast<unsigned>(c) - '0'; }

// Eight ASCII digits read as one number with a few multiplies (the classic SWAR method): the
// whole-microsecond part of an epoch-scale timestamp is a dozen digits or more.
bool eight_digits(const char* p, uint64_t& value) {
    uint64_t x;
    std::memcpy(&x, p, sizeof x);
    if ((((x + 0x4646464646464646ull) | (x - 0x3030303030303030ull)) & 0x8080808080808080ull) != 0) return false;
    x -= 0x3030303030303030ull;
    x = x * 10 + (x >> 8);
    constexpr uint64_t kMask = 0x000000FF000000FFull;
    x = ((x & kMask) * 0x000F424000000064ull + ((x >> 16) & kMask) * 0x0000271000000001ull) >> 32;
    value = x;
    return true;
}

// With an exponent the exact path gives way to a double, as every other reader of these files does.
bool via_double(std::string_view t, int64_t& nanos) {
    t = trim(t);
    double us = 0;
    const char* first = t.data();
    if (!t.empty() && t.front() == '+') ++first; // from_chars takes no '+'
    const auto [end, ec] = std::from_chars(first, t.data() + t.size(), us);
    if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(us)) return false;
    const double ns = us * 1000.0;
    if (!(ns > -9.2e18 && ns < 9.2e18)) return false;
    nanos = std::llround(ns);
    return true;
}

} // namespace

// Runs for two fields of nearly every event: one pass over the characters, no copies, the rare
// forms (blanks before, an exponent) off the main line.
bool micros_to_nanos(std::string_view text, int64_t& nanos) {
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end && is_blank(*p)) ++p;
    bool negative = false;
    if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
    constexpr uint64_t kMaxWhole = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / 1000;
    uint64_t whole = 0;
    const char* const digits_at = p;
    uint64_t eight = 0;
    if (end - p >= 8 && eight_digits(p, eight)) {
        whole = eight;
        p += 8;
    }
    while (p < end && digit(*p) < 10) {
        whole = whole * 10 + digit(*p++);
        if (whole > kMaxWhole) return false;
    }
    bool any = p > digits_at;
    uint64_t fraction = 0; // nanoseconds
    if (p < end && *p == '.') {
        ++p;
        // The first three fraction digits are nanoseconds, the fourth rounds, the rest only count.
        unsigned k = 0;
        for (; p < end && digit(*p) < 10; ++p, ++k) {
            if (k < 3)
                fraction = fraction * 10 + digit(*p);
            else if (k == 3 && digit(*p) >= 5)
                ++fraction; // half away from zero, as llround does; at most one carry
        }
        // The carry of the fourth digit has already been added at the nanosecond; scale the
        // digits the text left out.
        for (unsigned missing = k < 3 ? 3 - k : 0; missing > 0; --missing) fraction *= 10;
        any = any || k > 0;
    }
    if (!any) return false;
    if (p < end && (*p == 'e' || *p == 'E')) return via_double(text, nanos);
    while (p < end && is_blank(*p)) ++p;
    if (p != end) return false;
    const uint64_t ns = whole * 1000 + fraction;
    if (ns > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    nanos = negative ? -static_cast<int64_t>(ns) : static_cast<int64_t>(ns);
    return true;
}

bool parse_number(std::string_view text, double& value) {
    std::string_view t = trim(text);
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    if (t.empty()) return false;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    return ec == std::errc() && end == t.data() + t.size() && std::isfinite(value);
}

bool parse_whole(std::string_view text, uint64_t& value) {
    const char* p = text.data();
    const char* const end = p + text.size();
    while (p < end && is_blank(*p)) ++p;
    const char* const first = p;
    uint64_t v = 0;
    for (; p < end && digit(*p) < 10; ++p) {
        const uint64_t next = v * 10 + digit(*p);
        if (v > std::numeric_limits<uint64_t>::max() / 10 || next < v * 10) return false; // past 2^64
        v = next;
    }
    if (p == first) return false;
    while (p < end && is_blank(*p)) ++p;
    if (p != end) return false;
    value = v;
    return true;
}

} // namespace weft::chrome
