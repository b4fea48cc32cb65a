#pragma once
// The records of a Weft trace as plain values: what the decoder produces, what the encoder and the
// model builder consume. docs/FORMAT.md is the specification; names here follow it.

#include <array>
#include <bit>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace weft::format {

inline constexpr uint16_t kMajorVersion = 1;
// The newest minor version this reader knows. A producer writes the lowest minor version whose
// features it uses (docs/FORMAT.md, "Versioning"): 1.0 unless it writes the kinds 1.1 added.
inline constexpr uint16_t kMinorVersion = 1;

// Limits a reader enforces whatever a file or a peer claims (docs/FORMAT.md, "Limits").
inline constexpr uint32_t kMaxRecordBody = 64u << 20;
inline constexpr uint64_t kMaxPayloadSize = 64u << 20;
inline constexpr int kMaxCborDepth = 16;

using Uuid = std::array<uint8_t, 16>;

enum class RecordKind : uint8_t { ProcessInfo = 1, StreamInfo = 2, Block = 3 };

enum class Codec : uint8_t { None = 0, Zstd = 1 };

// The producers' zstd level. Event payloads are dense (about 10 bytes of CBOR per event, times as
// deltas), and much of what a higher level buys is Huffman coding of literals, which costs on both
// sides. Against level 1, -2 makes loading about 4 ns per event faster and the encoder 10-15%
// faster, for payloads 17-39% larger (the more repetitive the events, the more level 1 gains):
// docs/user-guide/benchmarks.md. Load speed is what a user of the viewer waits for every time;
// each producer can be given any other zstd level.
inline constexpr int kDefaultZstdLevel = -2;

struct ProcessInfo {
    Uuid process_id{};
    std::string exe;
    uint64_t pid = 0;
    std::string hostname;
    uint64_t start_time_ns = 0; // wall clock, ns since the Unix epoch
    int64_t start_ticks = 0;    // tick value at start_time_ns
    uint64_t tick_frequency = 1'000'000'000; // ticks per second
    std::map<std::string, std::string> properties;
};

struct StreamInfo {
    Uuid stream_id{};
    Uuid process_id{};
    std::string thread_name;
    uint64_t thread_id = 0;
    std::vector<std::string> tags;
    std::map<std::string, std::string> properties;
};

struct BlockHeader {
    Uuid block_id{};
    Uuid stream_id{};
    Uuid process_id{};
    int64_t begin_ticks = 0;
    int64_t end_ticks = 0;
    uint64_t object_offset = 0;
    uint64_t nb_objects = 0;
    Codec codec = Codec::Zstd;
    uint64_t payload_size = 0;
};

enum class EventKind : uint8_t {
    ThreadSpanBegin = 1,
    ThreadSpanEnd = 2,
    AsyncSpanBegin = 3,
    AsyncSpanEnd = 4,
    TaskCreated = 5,
    TaskRunBegin = 6,
    TaskRunEnd = 7,
    TaskCompleted = 8,
    AwaitBegin = 9,
    AwaitEnd = 10,
    Blocking = 11,
    LoopLag = 12,
    EventsDropped = 13,
    // 1.1: what traces imported from other tools carry (docs/FORMAT.md, "Events").
    Flow = 14,
    Instant = 15,
    Counter = 16,
    Sample = 17,
    Diagnostic = 18,
};
inline constexpr uint8_t kMaxKnownEventKind = 18;
// The first kind a 1.0 reader does not know: a block holding any kind from here on is 1.1.
inline constexpr uint8_t kFirstMinor1EventKind = 14;

enum class FlowPhase : uint8_t { Out = 0, In = 1 };
enum class InstantScope : uint8_t { Thread = 0, Process = 1, Global = 2 };

enum class Outcome : uint8_t { Ok = 0, Cancelled = 1, Error = 2 };

// Block-local ids: 0 means "none", k >= 1 indexes strings[k-1] / locations[k-1] of the same block.
using BlockStringId = uint32_t;
using BlockLocationId = uint32_t;

struct BlockLocation {
    BlockStringId name = 0;
    BlockStringId target = 0;
    BlockStringId file = 0;
    uint32_t line = 0;
};

// One decoded event. A single flat shape for every kind keeps the decoder and the builder free of
// allocation; which fields mean what depends on `kind`:
//
// kind              id          id2              ref1        ref2        ref3       extra
// ThreadSpanBegin   -           -                location    name        args       -
// ThreadSpanEnd     -           -                location    -           -          -
// AsyncSpanBegin    span_id     parent_span_id   location    name        args       id3: task_id
// AsyncSpanEnd      span_id     -                -           -           -          -
// TaskCreated       task_id     parent_task_id   name        coro_name   location   -
// TaskRunBegin/End  task_id     -                -           -           -          -
// TaskCompleted     task_id     -                message     -           -          outcome
// AwaitBegin        task_id     -                awaitable   location    -          -
// AwaitEnd          task_id     -                -           -           -          -
// Blocking          task_id     duration_ticks   -           -           -          frames: [frames_begin, +frames_count)
// LoopLag           -           lag_ticks        -           -           -          -
// EventsDropped     -           count            -           -           -          -
// Flow              flow_id     span_id          location    depth + 1   -          outcome: FlowPhase
// Instant           -           -                location    args        -          outcome: InstantScope
// Counter           -           value (double)   name        series      -          -
// Sample            -           weight           name        -           -          frames
// Diagnostic        -           count            label       -           -          -
//
// Counter values travel as the bits of a double in id2 (counter_value() / set_counter_value()).
struct Event {
    int64_t ticks = 0; // absolute, in the process's ticks
    uint64_t id = 0;
    uint64_t id2 = 0;
    uint64_t id3 = 0;
    uint32_t ref1 = 0;
    uint32_t ref2 = 0;
    uint32_t ref3 = 0;
    uint32_t frames_begin = 0; // index into DecodedBlock::frames
    uint16_t frames_count = 0;
    EventKind kind = EventKind::ThreadSpanBegin;
    uint8_t outcome = 0;

    double counter_value() const { return std::bit_cast<double>(id2); }
    void set_counter_value(double v) { id2 = std::bit_cast<uint64_t>(v); }
};

// A block with its payload decoded. Strings view into `payload_storage`, which the block owns.
struct DecodedBlock {
    BlockHeader header;
    uint64_t offset = 0;                        // of its record, for messages
    std::vector<std::string_view> strings;      // strings[k-1] is string id k
    std::vector<BlockLocation> locations;       // locations[k-1] is location id k
    std::vector<Event> events;
    std::vector<BlockLocationId> frames;        // stack frames of Blocking events
    uint64_t unknown_events = 0;                // events of kinds this reader does not know, skipped
    uint64_t backwards_steps = 0;               // events with a negative dt
    // Set when the events were damaged: `events` holds those before the first bad one.
    bool events_cut = false;
    // Set when the decoder was asked to leave the events encoded (format/event_decoder.h reads
    // them later): `events` is empty, and the events array's items start at byte
    // `encoded_events_at` of the payload, `encoded_event_count` of them, still unchecked.
    bool events_encoded = false;
    size_t encoded_events_at = 0;
    uint64_t encoded_event_count = 0;
    std::vector<uint8_t> payload_storage;       // the decompressed payload

    std::string_view string(BlockStringId id) const {
        return id >= 1 && id <= strings.size() ? strings[id - 1] : std::string_view{};
    }
    const BlockLocation* location(BlockLocationId id) const {
        return id >= 1 && id <= locations.size() ? &locations[id - 1] : nullptr;
    }
};

} // namespace weft::format
