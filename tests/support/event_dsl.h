#pragma once
// A small text notation for event sequences, so model tests read like the traces they describe.
// It produces the records a decoder would (ProcessInfo, StreamInfo, DecodedBlock) and can feed them to
// any format::TraceSink in several interleavings of streams.
//
// One statement per line; `#` starts a comment. Words are separated by blanks; `key=value` options
// may come in any order after the positional words.
//
//   process [freq=N] [start_ns=N] [start_ticks=N] [pid=N] [exe=S] [sort=N]
//       Starts a process; the threads that follow belong to it. Without any `process` line, one
//       process with freq=1000000000, start_ns=0, start_ticks=0 is implied. sort: its sort_index.
//   thread LABEL [loop] [name=S] [tid=N] [sort=N]
//       Declares a stream. `loop` tags it "event-loop". name defaults to LABEL.
//   LABEL TICKS VERB ARGS...
//       An event on thread LABEL at absolute tick TICKS (any integer; going down is allowed and is
//       what "time going backwards" looks like). Verbs, one per event kind:
//         create TASK [parent=TASK] [name=S] [coro=S] [at=LOC]   task_created
//         run TASK                                               task_run_begin
//         end TASK                                               task_run_end
//         done TASK ok|cancelled|error [msg=S]                   task_completed
//         await TASK [AWAITABLE] [at=LOC]                        await_begin
//         resume TASK                                            await_end
//         span [NAME] [at=LOC] [args=S]                          thread_span_begin
//         close [at=LOC]                                         thread_span_end
//         abegin SPAN [parent=SPAN] [name=S] [at=LOC] [args=S] [task=TASK]
//                                                                async_span_begin
//         aend SPAN                                              async_span_end
//         block DURATION [task=TASK] [frames=LOC,LOC,...]        blocking (frames innermost first)
//         lag LAG                                                loop_lag
//         dropped COUNT                                          events_dropped
//         flow out|in ID [depth=N] [span=SPAN] [at=LOC]          flow (depth: of the thread span, from 0)
//         instant [at=LOC] [scope=thread|process|global] [args=S] instant
//         counter NAME SERIES VALUE                              counter (VALUE: a decimal number)
//         sample [name=S] [weight=N] [frames=LOC,LOC,...]        sample (frames innermost first)
//         note LABEL COUNT                                       diagnostic
//         unknown                                                an event of a kind no reader knows
//   LABEL flush          ends the thread's current block
//   LABEL gap N          ends the current block and loses N events: the next block's
//                        object_offset jumps by N, as when a block is lost in transit
//
// LOC is `file:line` or `name@file:line`. TASK and SPAN are decimal ids. Blocks hold at most
// `block_size` events; a block's begin_ticks/end_ticks are its first/last event's ticks.
//
// Example:
//   thread T1 loop
//   thread T2
//   T1 0   create 1 name=main
//   T1 10  run 1
//   T1 20  await 1 sleep at=app.py:12
//   T1 25  end 1
//   T2 40  resume 1
//   T2 41  run 1
//   T2 50  done 1 ok
//   T2 50  end 1

#include "format/records.h"
#include "format/trace_reader.h"
#include "model/model.h"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace weft::test {

struct DslError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct EventScript {
    std::vector<format::ProcessInfo> processes;
    std::vector<format::StreamInfo> streams;
    std::vector<std::string> labels;           // labels[i] names streams[i]
    std::vector<format::DecodedBlock> blocks;  // in the order they were closed
    std::vector<uint32_t> block_stream;        // stream index of each block
    size_t events = 0;
};

// Parses a script. Throws DslError("line N: ...") on a malformed line.
EventScript parse_events(std::string_view text, size_t block_size = 64);

enum class Interleaving {
    InOrder,         // blocks in the order they were closed
    ReversedStreams, // the last stream's blocks first, each stream's blocks together
    RoundRobin,      // one block of each stream in turn
    Random,          // a random stream with blocks left at each step (seeded)
};

// The blocks in the chosen order; each stream's blocks keep their own order.
std::vector<const format::DecodedBlock*> interleave(const EventScript& script, Interleaving order,
                                                    uint64_t seed = 0);

// Process infos, then stream infos, then the blocks in the chosen order.
void feed(const EventScript& script, format::TraceSink& sink, Interleaving order = Interleaving::InOrder,
          uint64_t seed = 0);

std::shared_ptr<const Model> build_model(const EventScript& script, Interleaving order = Interleaving::InOrder,
                                         uint64_t seed = 0);
std::shared_ptr<const Model> build_model(std::string_view text, size_t block_size = 64,
                                         Interleaving order = Interleaving::InOrder, uint64_t seed = 0);

} // namespace weft::test
