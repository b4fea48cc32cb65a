#pragma once
// Stable colour keys: the same task or span name gets the same colour in every session, because the
// key derives from ids and names in the trace, never from table positions.

#include <cstdint>
#include <string_view>

namespace weft {

constexpr uint32_t mix_color_key(uint64_t x) {
    // splitmix64 finaliser: neighbouring ids land far apart on the colour wheel.
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return static_cast<uint32_t>(x) | 1u; // never 0: 0 means "no colour"
}

constexpr uint32_t color_key_for_id(uint64_t id) { return mix_color_key(id + 0x9e3779b97f4a7c15ULL); }

constexpr uint32_t color_key_for_name(std::string_view name) {
    uint64_t h = 1469598103934665603ULL; // FNV-1a
    for (char c : name) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return mix_color_key(h);
}

} // namespace weft
