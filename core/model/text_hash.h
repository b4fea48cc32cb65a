#pragma once
// A fast 64-bit hash of a short text (names, categories, argument texts), for the string tables
// that intern them: eight bytes at a time through 64x64->128-bit multiplies, a handful of
// instructions for the few dozen bytes of a typical name.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace weft {

namespace detail {
inline uint64_t load64(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline uint64_t mix(uint64_t a, uint64_t b) {
    const __uint128_t r = static_cast<__uint128_t>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
} // namespace detail

inline uint64_t hash_text(std::string_view text) {
    using detail::load64;
    using detail::mix;
    constexpr uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull;
    const char* p = text.data();
    size_t n = text.size();
    uint64_t h = k0 ^ n;
    while (n > 16) {
        h = mix(load64(p) ^ k1, load64(p + 8) ^ h);
        p += 16;
        n -= 16;
    }
    uint64_t a = 0, b = 0;
    if (n >= 8) {
        a = load64(p);
        b = load64(p + n - 8);
    } else if (n >= 4) {
        uint32_t x, y;
        std::memcpy(&x, p, 4);
        std::memcpy(&y, p + n - 4, 4);
        a = x;
        b = y;
    } else if (n > 0) {
        a = (uint64_t(uint8_t(p[0])) << 16) | (uint64_t(uint8_t(p[n >> 1])) << 8) | uint8_t(p[n - 1]);
    }
    return mix(a ^ k1 ^ h, b ^ k2);
}

} // namespace weft
