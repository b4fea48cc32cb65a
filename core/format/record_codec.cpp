// Process info, stream info and block header bodies. Block payloads are decoded in block_decoder.cpp.

#include "format/record_codec.h"

#include "format/framing.h"

#include "format/cbor_reader.h"
#include "format/cbor_writer.h"

#include <string>

namespace weft::format {

namespace {

void write_uuid(CborWriter& w, const Uuid& id) {
    w.bytes(id);
}

void write_string_map(CborWriter& w, const std::map<std::string, std::string>& values) {
    w.map(values.size());
    for (const auto& [key, value] : values) {
        w.text(key);
        w.text(value);
    }
}

bool read_string(CborReader& r, std::string& out, const char* what) {
    std::string_view text;
    if (!r.read_text(text, what)) return false;
    out.assign(text);
    return true;
}

bool read_string_map(CborReader& r, std::map<std::string, std::string>& out, const char* what) {
    uint64_t count = 0;
    if (!r.read_map(count, what)) return false;
    for (uint64_t i = 0; i < count; ++i) {
        std::string_view key, value;
        if (!r.read_text(key, what) || !r.read_text(value, what)) return false;
        out.insert_or_assign(std::string(key), std::string(value));
    }
    return true;
}

bool read_string_array(CborReader& r, std::vector<std::string>& out, const char* what) {
    uint64_t count = 0;
    if (!r.read_array(count, what)) return false;
    out.reserve(count); // bounded: the reader refused counts beyond the remaining bytes
    for (uint64_t i = 0; i < count; ++i) {
        std::string_view text;
        if (!r.read_text(text, what)) return false;
        out.emplace_back(text);
    }
    return true;
}

// Walks the pairs of a map whose head was just read; `on_key` returns 1 when it consumed the value,
// 0 when the key is unknown (its value is skipped), -1 on error.
template <typename OnKey> bool for_each_key(CborReader& r, uint64_t count, OnKey&& on_key) {
    for (uint64_t i = 0; i < count; ++i) {
        CborItem key;
        if (!r.next(key)) return false;
        if (key.type != CborType::Text) {
            // Not a key this format writes: skip the key and its value.
            if (!r.skip(key, 1) || !r.skip_value(1)) return false;
            continue;
        }
        const int handled = on_key(key.text());
        if (handled < 0) return false;
        if (handled == 0 && !r.skip_value(1)) return false;
    }
    return true;
}

FormatError record_error(uint64_t offset, const char* what, const FormatError& inner) {
    return FormatError{offset, std::string(what) + ": " + inner.reason};
}

} // namespace

void encode_process_info(const ProcessInfo& info, std::vector<uint8_t>& out) {
    CborWriter w(out);
    w.map(8);
    w.text("process_id");
    write_uuid(w, info.process_id);
    w.text("exe");
    w.text(info.exe);
    w.text("pid");
    w.uint(info.pid);
    w.text("hostname");
    w.text(info.hostname);
    w.text("start_time_ns");
    w.uint(info.start_time_ns);
    w.text("start_ticks");
    w.integer(info.start_ticks);
    w.text("tick_frequency");
    w.uint(info.tick_frequency);
    w.text("properties");
    write_string_map(w, info.properties);
}

void encode_stream_info(const StreamInfo& info, std::vector<uint8_t>& out) {
    CborWriter w(out);
    w.map(6);
    w.text("stream_id");
    write_uuid(w, info.stream_id);
    w.text("process_id");
    write_uuid(w, info.process_id);
    w.text("thread_name");
    w.text(info.thread_name);
    w.text("thread_id");
    w.uint(info.thread_id);
    w.text("tags");
    w.array(info.tags.size());
    for (const std::string& tag : info.tags)
        w.text(tag);
    w.text("properties");
    write_string_map(w, info.properties);
}

void encode_block(const BlockHeader& header, std::span<const uint8_t> payload, std::vector<uint8_t>& out) {
    CborWriter w(out);
    w.map(10);
    w.text("block_id");
    write_uuid(w, header.block_id);
    w.text("stream_id");
    write_uuid(w, header.stream_id);
    w.text("process_id");
    write_uuid(w, header.process_id);
    w.text("begin_ticks");
    w.integer(header.begin_ticks);
    w.text("end_ticks");
    w.integer(header.end_ticks);
    w.text("object_offset");
    w.uint(header.object_offset);
    w.text("nb_objects");
    w.uint(header.nb_objects);
    w.text("codec");
    w.uint(static_cast<uint8_t>(header.codec));
    w.text("payload_size");
    w.uint(header.payload_size);
    w.text("payload");
    w.bytes(payload);
}

std::variant<ProcessInfo, FormatError> decode_process_info(std::span<const uint8_t> body, uint64_t offset) {
    CborReader r(body);
    ProcessInfo info;
    bool have_id = false;
    bool have_frequency = false;
    uint64_t count = 0;
    const bool ok =
        r.read_map(count, "body") && for_each_key(r, count, [&](std::string_view key) -> int {
            if (key == "process_id") return (have_id = r.read_uuid(info.process_id, "process_id")) ? 1 : -1;
            if (key == "exe") return read_string(r, info.exe, "exe") ? 1 : -1;
            if (key == "pid") return r.read_uint(info.pid, "pid") ? 1 : -1;
            if (key == "hostname") return read_string(r, info.hostname, "hostname") ? 1 : -1;
            if (key == "start_time_ns") return r.read_uint(info.start_time_ns, "start_time_ns") ? 1 : -1;
            if (key == "start_ticks") return r.read_int(info.start_ticks, "start_ticks") ? 1 : -1;
            if (key == "tick_frequency") {
                return (have_frequency = r.read_uint(info.tick_frequency, "tick_frequency")) ? 1 : -1;
            }
            if (key == "properties") return read_string_map(r, info.properties, "properties") ? 1 : -1;
            return 0;
        });
    if (!ok) return record_error(offset, "process info", r.error());
    if (!have_id) return FormatError{offset, "process info: required key 'process_id' is missing"};
    if (!have_frequency) return FormatError{offset, "process info: required key 'tick_frequency' is missing"};
    if (info.tick_frequency == 0)
        return FormatError{offset, "process info: tick_frequency is 0 (expected > 0)"};
    return info;
}

std::variant<StreamInfo, FormatError> decode_stream_info(std::span<const uint8_t> body, uint64_t offset) {
    CborReader r(body);
    StreamInfo info;
    bool have_stream = false;
    bool have_process = false;
    uint64_t count = 0;
    const bool ok = r.read_map(count, "body") && for_each_key(r, count, [&](std::string_view key) -> int {
                        if (key == "stream_id")
                            return (have_stream = r.read_uuid(info.stream_id, "stream_id")) ? 1 : -1;
                        if (key == "process_id")
                            return (have_process = r.read_uuid(info.process_id, "process_id")) ? 1 : -1;
                        if (key == "thread_name")
                            return read_string(r, info.thread_name, "thread_name") ? 1 : -1;
                        if (key == "thread_id") return r.read_uint(info.thread_id, "thread_id") ? 1 : -1;
                        if (key == "tags") return read_string_array(r, info.tags, "tags") ? 1 : -1;
                        if (key == "properties")
                            return read_string_map(r, info.properties, "properties") ? 1 : -1;
                        return 0;
                    });
    if (!ok) return record_error(offset, "stream info", r.error());
    if (!have_stream) return FormatError{offset, "stream info: required key 'stream_id' is missing"};
    if (!have_process) return FormatError{offset, "stream info: required key 'process_id' is missing"};
    return info;
}

FormatError decode_block_header(std::span<const uint8_t> body, uint64_t offset, BlockHeader& header,
                                std::span<const uint8_t>& payload) {
    CborReader r(body);
    header = BlockHeader{};
    header.codec = Codec::None;
    payload = {};
    bool have_stream = false;
    bool have_process = false;
    uint64_t codec = 0;
    uint64_t count = 0;
    const bool ok = r.read_map(count, "body") && for_each_key(r, count, [&](std::string_view key) -> int {
                        if (key == "block_id") return r.read_uuid(header.block_id, "block_id") ? 1 : -1;
                        if (key == "stream_id")
                            return (have_stream = r.read_uuid(header.stream_id, "stream_id")) ? 1 : -1;
                        if (key == "process_id")
                            return (have_process = r.read_uuid(header.process_id, "process_id")) ? 1 : -1;
                        if (key == "begin_ticks")
                            return r.read_int(header.begin_ticks, "begin_ticks") ? 1 : -1;
                        if (key == "end_ticks") return r.read_int(header.end_ticks, "end_ticks") ? 1 : -1;
                        if (key == "object_offset")
                            return r.read_uint(header.object_offset, "object_offset") ? 1 : -1;
                        if (key == "nb_objects") return r.read_uint(header.nb_objects, "nb_objects") ? 1 : -1;
                        if (key == "codec") return r.read_uint(codec, "codec") ? 1 : -1;
                        if (key == "payload_size")
                            return r.read_uint(header.payload_size, "payload_size") ? 1 : -1;
                        if (key == "payload") return r.read_bytes(payload, "payload") ? 1 : -1;
                        return 0;
                    });
    if (!ok) return record_error(offset, "block", r.error());
    if (!have_stream) return FormatError{offset, "block: required key 'stream_id' is missing"};
    if (!have_process) return FormatError{offset, "block: required key 'process_id' is missing"};
    if (codec > 1) {
        return FormatError{offset,
                           "block: unknown codec " + std::to_string(codec) + " (expected 0 none or 1 zstd)"};
    }
    header.codec = static_cast<Codec>(codec);
    if (header.payload_size > kMaxPayloadSize) {
        return FormatError{offset, "block: payload_size " + std::to_string(header.payload_size) +
                                       " exceeds the limit of " + std::to_string(kMaxPayloadSize) + " bytes"};
    }
    return {};
}

std::vector<uint8_t> frame_process_info(const ProcessInfo& info) {
    std::vector<uint8_t> body, framed;
    encode_process_info(info, body);
    append_record(static_cast<uint8_t>(RecordKind::ProcessInfo), body, framed);
    return framed;
}

std::vector<uint8_t> frame_stream_info(const StreamInfo& info) {
    std::vector<uint8_t> body, framed;
    encode_stream_info(info, body);
    append_record(static_cast<uint8_t>(RecordKind::StreamInfo), body, framed);
    return framed;
}

} // namespace weft::format
