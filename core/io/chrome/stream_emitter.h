#pragma once
// Hands an import to a TraceSink as Weft records (docs/FORMAT.md): a process info per process, a
// stream info per thread (and per overlap lane of a thread), then each stream's events in time
// order, in blocks. The same records a .weft file would give, so the model builder, the .weft
// writer and every other sink take an imported trace exactly as they take a recorded one.

#include "format/trace_reader.h"
#include "io/chrome/async_slices.h"
#include "io/chrome/flow_links.h"
#include "io/chrome/import_state.h"
#include "io/chrome/slice_nesting.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace weft::chrome {

struct EmitResult {
    uint64_t events = 0;  // Weft events handed over
    uint64_t streams = 0;
    bool cancelled = false;
};

// Consumes the threads' events and slices as it goes (each thread's are freed once handed over).
EmitResult emit_streams(ImportState& state, std::vector<ThreadSlices>& slices, const std::vector<AsyncSlice>& async,
                        const std::vector<FlowLink>& links, format::TraceSink& sink, const std::atomic<bool>* cancel);

} // namespace weft::chrome
