#pragma once
// What the importer holds between reading a trace-event JSON file and handing it to a sink as Weft
// records: every event, compact, by thread, and what the file says about processes, threads,
// stack frames and ids. Filled by TraceCollector, turned into records by the later passes
// (slice_nesting.h, async_slices.h, flow_links.h, stream_emitter.h).

#include "io/chrome/string_table.h"
#include "model/huge_buffer.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace weft::chrome {

using Nanos = int64_t;
inline constexpr Nanos kOpenEnd = std::numeric_limits<Nanos>::max(); // a slice that never ends

enum EventFlag : uint8_t {
    kBindEnclosing = 1, // a v1 flow end with "bp": "e": it binds to the slice around it
    kFlowIn = 2,        // flow v2 ("bind_id" with "flow_in" / "flow_out") on this slice
    kFlowOut = 4,
    kScopeProcess = 8,  // instants
    kScopeGlobal = 16,
    kNoDuration = 32,   // an X without "dur"
};

// One event, as it will be used: times in nanoseconds, strings and ids interned.
struct RawEvent {
    Nanos ts = 0;
    Nanos dur = 0;     // X: its duration; C: the value's bits (a double); P: its weight
    uint32_t seq = 0;  // position in the file: ties in time keep file order
    uint32_t name = 0; // StringTable ids, 0 for none
    uint32_t cat = 0;  // C: the series (the args key)
    uint32_t args = 0; // the args JSON text
    uint32_t ref = 0;  // async and flow events: their group; B, X: a v2 bind id; P: a stack frame id
    char ph = 0;
    uint8_t flags = 0;
};
static_assert(sizeof(RawEvent) == 40, "events are the bulk of an import: keep them compact");

struct ThreadRecord {
    uint32_t process = 0;
    uint64_t tid = 0;
    uint32_t tid_name = 0; // a tid written as a string names the thread
    uint32_t name = 0;     // from thread_name metadata
    std::optional<int64_t> sort_index;
    // Appended in file order; grown in huge pages (model/huge_buffer.h), as a large import's events
    // are hundreds of megabytes written once.
    detail::PodBuffer<RawEvent> events;
};

struct ProcessRecord {
    uint64_t pid = 0;
    uint32_t pid_name = 0; // a pid written as a string names the process
    uint32_t name = 0;     // from process_name metadata
    std::string labels;
    std::optional<int64_t> sort_index;
    std::vector<uint32_t> threads;
};

// The events that must be matched with each other (async begins and ends, flow points) share a
// group: its key holds what makes them match (category, id, scope, process for local ids...).
enum class GroupKind : uint8_t { Async, LegacyAsync, Flow, Bind };

struct GroupKey {
    GroupKind kind;
    uint32_t a = 0, b = 0, c = 0, d = 0;
    bool operator==(const GroupKey&) const = default;
};

struct GroupKeyHash {
    size_t operator()(const GroupKey& k) const noexcept {
        uint64_t h = (uint64_t(k.a) << 32 | k.b) * 0x9E3779B97F4A7C15ull;
        h ^= (uint64_t(k.c) << 32 | k.d) * 0xC2B2AE3D27D4EB4Full;
        h ^= static_cast<uint64_t>(k.kind) * 0x165667B19E3779F9ull;
        return static_cast<size_t>(h ^ (h >> 31));
    }
};

struct StackFrame {
    uint32_t name = 0;     // string ids
    uint32_t category = 0;
    uint32_t parent = 0;   // the parent's id (a string id), 0 for a root
};

// An entry of the top-level "samples" array: threads are named by tid alone.
struct SampleEntry {
    uint64_t tid = 0;
    uint32_t tid_name = 0;
    Nanos ts = 0;
    uint32_t name = 0;
    uint32_t sf = 0;
    uint64_t weight = 1;
    uint32_t seq = 0;
};

// A V8 CPU profile (the "Profile" and "ProfileChunk" sample events that Chrome writes): a tree of
// call frames, and samples naming a node of it, timed by deltas from the profile's start.
struct V8Node {
    uint32_t function = 0; // string ids
    uint32_t url = 0;
    uint32_t line = 0;     // 1-based (V8 counts from 0); 0 for none
    uint64_t parent = 0;   // 0 for a root
};

struct V8Profile {
    uint32_t thread = ~0u; // the sampled thread: the one the "Profile" event names
    Nanos start = 0;
    bool has_start = false;
    Nanos elapsed = 0;     // the sum of the time deltas read so far
    std::unordered_map<uint64_t, V8Node> nodes;
};

struct V8Sample {
    uint32_t profile;
    uint32_t seq;
    Nanos offset; // from the profile's start
    uint64_t node;
};

struct ImportState {
    StringTable strings;
    std::vector<ProcessRecord> processes;
    std::vector<ThreadRecord> threads;
    std::vector<GroupKey> groups;  // by group id - 1
    // b and n events with a v2 bind id: (seq, bind group), in file order.
    std::vector<std::pair<uint32_t, uint32_t>> async_binds;
    std::unordered_map<uint32_t, StackFrame> stack_frames; // by id (a string id)
    std::vector<SampleEntry> sample_entries;
    std::vector<V8Profile> profiles;
    std::vector<V8Sample> v8_samples;
    // What was left out or read in a special way, by label. Looked up without building a string:
    // a note may be counted for every event of a large file.
    std::map<std::string, uint64_t, std::less<>> notes;
    uint32_t next_seq = 0;
    Nanos min_ts = kOpenEnd;       // earliest time of any event
    Nanos max_ts = std::numeric_limits<Nanos>::min();

    void note(std::string_view label, uint64_t count = 1) {
        const auto it = notes.find(label);
        if (it != notes.end())
            it->second += count;
        else
            notes.emplace(std::string(label), count);
    }
};

} // namespace weft::chrome
