#pragma once
// Small readers of the JSON values that carry data inside events and at the top level: counter
// args, metadata args, stackFrames, V8 CPU profile chunks. Built on simdjson's On-Demand API.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace weft::chrome {

// Readers of small JSON values (args of one event, a top-level value). They copy `json` into a
// padded buffer of their own, so it may point anywhere.
class JsonValueReader {
public:
    JsonValueReader();
    ~JsonValueReader();
    JsonValueReader(const JsonValueReader&) = delete;
    JsonValueReader& operator=(const JsonValueReader&) = delete;

    // Every member of an object whose value is a number or a numeric string, in order. False when
    // `json` is not an object.
    bool numbers(std::string_view json, const std::function<void(std::string_view key, double value)>& each);
    // A member's value as text: a string's content, a number's or literal's text, or the JSON
    // text of an object or array.
    std::optional<std::string> member_text(std::string_view json, std::string_view key);
    // Every member of an object whose value is an object: key, then that object's members
    // "name", "category" and "parent" as text (empty when absent). For stackFrames.
    bool frames(std::string_view json,
                const std::function<void(std::string_view id, std::string_view name, std::string_view category,
                                         std::string_view parent)>& each);
    // Every element of an array as text (a string's content, else the JSON text). For "stack".
    bool elements(std::string_view json, const std::function<void(std::string_view text)>& each);

    // The args of a V8 "ProfileChunk": each node of args.data.cpuProfile.nodes (id, parent or 0,
    // callFrame's functionName, url and lineNumber or -1), each sample of
    // args.data.cpuProfile.samples with its delta from args.data.timeDeltas (in microseconds;
    // 0 where the deltas run short). False when `json` is not such an object.
    struct V8ChunkVisitor {
        virtual ~V8ChunkVisitor() = default;
        virtual void node(uint64_t id, uint64_t parent, std::string_view function, std::string_view url, int64_t line) = 0;
        virtual void sample(uint64_t node, int64_t delta_us) = 0;
    };
    bool v8_chunk(std::string_view json, V8ChunkVisitor& visitor);
    // args.data.startTime of a V8 "Profile", in microseconds as text.
    std::optional<std::string> v8_start(std::string_view json);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace weft::chrome
