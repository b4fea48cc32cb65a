#pragma once
// What the user selected or hovers in the viewer: a kind and an index into the Model table of that kind.

#include "model/ids.h"

#include <cstdint>

namespace weft {

struct Model;

struct Selection {
    enum class Kind : uint8_t { None, Task, RunSlice, ThreadSpan, AwaitPoint, AsyncSpan, Blocking, LagSample };
    Kind kind = Kind::None;
    uint32_t index = 0; // Model::tasks, runs, thread_spans, awaits, async_spans, blocking, lag

    bool empty() const { return kind == Kind::None; }
    bool operator==(const Selection&) const = default;
};

// The task a selection belongs to (a task itself, or the task of an await, run slice, async span
// or blocking event); invalid for other kinds and for an index past its table.
TaskIndex owning_task(const Model& model, Selection s);

} // namespace weft
