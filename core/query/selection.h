#pragma once
// What the user selected or hovers in the viewer: a kind and an index into the Model table of that kind.

#include "model/ids.h"

#include <cstdint>

namespace weft {

struct Model;

struct Selection {
    enum class Kind : uint8_t {
        None,
        Task,
        RunSlice,
        ThreadSpan,
        AwaitPoint,
        AsyncSpan,
        Blocking,
        LagSample,
        Instant,       // Model::instants (thread, process or global scope)
        Sample,        // Model::samples
        CounterSample, // Model::counter_samples; its track is found with counter_track_of()
        Flow,          // Model::flows
    };
    Kind kind = Kind::None;
    uint32_t index = 0; // into the Model table of `kind` (see above; tasks, runs, thread_spans, ...)

    bool empty() const { return kind == Kind::None; }
    bool operator==(const Selection&) const = default;
};

// The task a selection belongs to (a task itself, or the task of an await, run slice, async span
// or blocking event); invalid for other kinds and for an index past its table.
TaskIndex owning_task(const Model& model, Selection s);

// The counter track holding counter sample `sample`, or UINT32_MAX. Tracks are few (one per
// counter series of a process), so a scan is cheap enough for a selection.
uint32_t counter_track_of(const Model& model, uint32_t sample);

// The thread whose span lanes hold thread span `span`, or invalid.
ThreadIndex thread_of_span(const Model& model, uint32_t span);

} // namespace weft
