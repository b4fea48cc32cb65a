#include "io/chrome/micros.h"

#include <charconv>
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

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// With an exponent the exact path gives way to a double, as every other reader of these files does.
bool via_double(std::string_view t, int64_t& nanos) {
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

bool micros_to_nanos(std::string_view text, int64_t& nanos) {
    const std::string_view t = trim(text);
    size_t i = 0;
    bool negative = false;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) negative = t[i++] == '-';
    constexpr uint64_t kMaxWhole = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) / 1000;
    uint64_t whole = 0;
    size_t digits = 0;
    for (; i < t.size() && is_digit(t[i]); ++i, ++digits) {
        whole = whole * 10 + static_cast<uint64_t>(t[i] - '0');
        if (whole > kMaxWhole) return false;
    }
    uint64_t fraction = 0; // nanoseconds
    int round_digit = 0; // the fourth fraction digit: the half nanosecond
    if (i < t.size() && t[i] == '.') {
        ++i;
        size_t k = 0;
        for (; i < t.size() && is_digit(t[i]); ++i, ++k) {
            const int d = t[i] - '0';
            if (k < 3)
                fraction = fraction * 10 + static_cast<uint64_t>(d);
            else if (k == 3)
                round_digit = d;
        }
        for (; k < 3; ++k) fraction *= 10;
        digits += k;
    }
    if (digits == 0) return false;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) return via_double(t, nanos);
    if (i != t.size()) return false;
    uint64_t ns = whole * 1000 + fraction;
    if (round_digit >= 5) ++ns; // half away from zero, as llround does
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
    const std::string_view t = trim(text);
    if (t.empty()) return false;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    return ec == std::errc() && end == t.data() + t.size();
}

} // namespace weft::chrome
