#pragma once
// What the user selected or hovers in the viewer: a kind and an index into the Model table of that kind.

#include <cstdint>

namespace weft {

struct Selection {
    enum class Kind : uint8_t { None, Task, RunSlice, ThreadSpan, AwaitPoint, AsyncSpan, Blocking, LagSample };
    Kind kind = Kind::None;
    uint32_t index = 0; // Model::tasks, runs, thread_spans, awaits, async_spans, blocking, lag

    bool empty() const { return kind == Kind::None; }
    bool operator==(const Selection&) const = default;
};

} // namespace weft
