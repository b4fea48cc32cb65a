#pragma once
// Strong 32-bit indices, one type per table, so a string id can't be passed where a task is meant.

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace weft {

template <class Tag>
struct Index {
    static constexpr uint32_t kInvalid = std::numeric_limits<uint32_t>::max();
    uint32_t value = kInvalid;

    constexpr Index() = default;
    constexpr explicit Index(uint32_t v) : value(v) {}
    constexpr bool valid() const { return value != kInvalid; }
    constexpr explicit operator bool() const { return valid(); }
    constexpr auto operator<=>(const Index&) const = default;
};

using ProcessIndex = Index<struct ProcessTag>;
using ThreadIndex = Index<struct ThreadTag>;
using TaskIndex = Index<struct TaskTag>;
using AsyncSpanIndex = Index<struct AsyncSpanTag>;
using StringId = Index<struct StringTag>;     // into Model::strings; StringId{0} is ""
using LocationId = Index<struct LocationTag>; // into Model::locations; LocationId{0} is "no location"

// Nanoseconds since Model::origin_ns. Signed: damaged clocks may put events before the origin.
using Time = int64_t;
inline constexpr Time kNoTime = std::numeric_limits<Time>::min();

} // namespace weft

template <class Tag>
struct std::hash<weft::Index<Tag>> {
    size_t operator()(weft::Index<Tag> i) const noexcept { return std::hash<uint32_t>{}(i.value); }
};
