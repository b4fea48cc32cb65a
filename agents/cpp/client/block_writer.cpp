#include "weft/detail/block_writer.h"

#include "weft/detail/session.h"

#include <algorithm>
#include <cstring>

namespace weft::client::detail {

namespace {

const void* location_key(std::source_location where) {
    const void* key = nullptr;
    std::memcpy(&key, &where, sizeof(where));
    return key;
}

bool has_location(std::source_location where) {
    return where.line() != 0 || (where.file_name() && where.file_name()[0] != '\0');
}

} // namespace

std::string clean_function_name(std::string_view pretty) {
    // Cut the parameter list: the last '(' at template depth 0 that starts it.
    size_t end = pretty.size();
    int depth = 0;
    for (size_t i = 0; i < pretty.size(); ++i) {
        const char c = pretty[i];
        if (c == '<') ++depth;
        else if (c == '>') depth = std::max(0, depth - 1);
        else if (c == '(' && depth == 0) {
            // "(anonymous namespace)" is part of a name, not a parameter list.
            if (pretty.substr(i).starts_with("(anonymous namespace)")) {
                i += std::string_view("(anonymous namespace)").size() - 1;
                continue;
            }
            end = i;
            break;
        }
    }
    std::string_view head = pretty.substr(0, end);
    // Cut the return type: the last space at template depth 0.
    depth = 0;
    size_t start = 0;
    for (size_t i = 0; i < head.size(); ++i) {
        const char c = head[i];
        if (c == '<') ++depth;
        else if (c == '>') depth = std::max(0, depth - 1);
        else if (c == ' ' && depth == 0 && !head.substr(0, i).ends_with("(anonymous")) start = i + 1;
    }
    head = head.substr(start);
    while (!head.empty() && (head.front() == '*' || head.front() == '&')) head.remove_prefix(1);
    return std::string(head.empty() ? pretty : head);
}

BlockWriter::BlockWriter(Sink& sink, const format::ProcessInfo& process, int zstd_level)
    : m_sink(sink), m_process(process), m_encoder(zstd_level) {
    m_stats.tick_frequency = process.tick_frequency;
}

format::BlockStringId BlockWriter::string_id(const char* text) {
    if (!text || !*text) return 0;
    auto [it, inserted] = m_string_ids.try_emplace(text, 0);
    if (inserted) it->second = m_encoder.intern(text);
    return it->second;
}

const std::string& BlockWriter::function_name(const char* pretty) {
    auto it = m_function_names.find(pretty);
    if (it == m_function_names.end())
        it = m_function_names.emplace(pretty, clean_function_name(pretty ? pretty : "")).first;
    return it->second;
}

format::BlockStringId BlockWriter::function_string_id(const char* pretty) {
    if (!pretty || !*pretty) return 0;
    return m_encoder.intern(function_name(pretty));
}

format::BlockLocationId BlockWriter::location_id(std::source_location where, const char* name,
                                                 bool name_is_function) {
    if (!has_location(where)) return 0;
    const LocationKey key{location_key(where), name};
    auto [it, inserted] = m_location_ids.try_emplace(key, 0);
    if (!inserted) return it->second;
    const std::string& function = function_name(where.function_name());
    std::string_view loc_name = function;
    if (name && *name) loc_name = name_is_function ? std::string_view(function_name(name)) : std::string_view(name);
    it->second = m_encoder.intern_location(loc_name, function, where.file_name(), where.line());
    return it->second;
}

void BlockWriter::write_stream_info(ThreadStream& stream) {
    format::StreamInfo info;
    info.stream_id = stream.stream_id;
    info.process_id = m_process.process_id;
    info.thread_id = stream.os_thread_id;
    {
        std::lock_guard lock(stream.meta_mutex);
        info.thread_name = stream.name;
        info.tags = stream.tags;
    }
    m_sink.write_stream_info(info);
    stream.info_written = true;
    std::lock_guard lock(m_stats_mutex);
    ++m_stats.streams;
    stream.stats_index = m_stats.per_stream.size();
    m_stats.per_stream.push_back({info.thread_name, info.thread_id, 0, 0});
}

void BlockWriter::write_block(ThreadStream& stream, const RawEvent* from, const RawEvent* to) {
    if (from >= to) return;
    if (!stream.info_written) write_stream_info(stream);

    format::BlockHeader header;
    header.stream_id = stream.stream_id;
    header.process_id = m_process.process_id;
    header.begin_ticks = from->ticks;
    header.end_ticks = from->ticks;
    header.object_offset = stream.object_offset;
    m_encoder.begin(header);
    m_string_ids.clear();
    m_location_ids.clear();

    uint64_t counts[14] = {};
    uint64_t dropped = 0;
    uint64_t events = 0;
    for (const RawEvent* e = from; e < to; e += 1 + e->continuation_slots) {
        const auto* bytes = reinterpret_cast<const unsigned char*>(e + 1);
        format::Event ev;
        ev.ticks = e->ticks;
        ev.kind = static_cast<format::EventKind>(e->kind);
        m_frames.clear();
        switch (e->kind) {
        case kThreadSpanBegin:
            ev.ref1 = location_id(e->loc, e->p1);
            ev.ref2 = string_id(e->p1);
            break;
        case kThreadSpanEnd:
            ev.ref1 = location_id(e->loc, e->p1);
            break;
        case kAsyncSpanBegin:
            ev.id = e->a;
            ev.id2 = e->b;
            ev.ref1 = location_id(e->loc, e->p1);
            ev.ref2 = string_id(e->p1);
            break;
        case kTaskCreated:
            ev.id = e->a;
            ev.id2 = e->b;
            // Unnamed tasks (coroutines) are named after their function, without signature.
            ev.ref1 = e->p1 ? string_id(e->p1) : function_string_id(e->p2);
            ev.ref2 = string_id(e->p2);
            ev.ref3 = location_id(e->loc, e->p2, true);
            break;
        case kTaskCompleted: {
            ev.id = e->a;
            ev.outcome = e->outcome;
            const size_t size = std::min<size_t>(e->extra, e->continuation_slots * sizeof(RawEvent));
            if (size) ev.ref1 = m_encoder.intern(std::string_view(reinterpret_cast<const char*>(bytes), size));
            break;
        }
        case kAwaitBegin:
            ev.id = e->a;
            ev.ref1 = string_id(e->p1);
            ev.ref2 = location_id(e->loc, e->p2, true);
            break;
        case kBlocking: {
            ev.id = e->a;
            ev.id2 = e->b;
            const size_t n = std::min<size_t>(e->extra, e->continuation_slots * sizeof(RawEvent) / sizeof(RawFrame));
            for (size_t i = 0; i < n; ++i) {
                RawFrame f;
                std::memcpy(&f, bytes + i * sizeof(RawFrame), sizeof(RawFrame));
                if (const auto id = location_id(f.loc, f.name)) m_frames.push_back(id);
            }
            break;
        }
        case kLoopLag:
        case kEventsDropped:
            ev.id2 = e->b;
            if (e->kind == kEventsDropped) dropped += e->b;
            break;
        default: // task run begin/end, await end, async span end: the id only
            ev.id = e->a;
            break;
        }
        m_encoder.add(ev, m_frames);
        if (e->kind < 14) ++counts[e->kind];
        ++events;
    }

    m_out.clear();
    m_encoder.finish(m_out);
    stream.object_offset += events;
    m_sink.write(m_out);

    std::lock_guard lock(m_stats_mutex);
    for (int k = 0; k < 14; ++k) m_stats.events_by_kind[k] += counts[k];
    m_stats.events += events;
    m_stats.dropped += dropped;
    Stats::Stream& per_stream = m_stats.per_stream[stream.stats_index];
    per_stream.events += events;
    per_stream.dropped += dropped;
    ++m_stats.blocks;
    m_stats.bytes += m_out.size();
    m_stats.sink_failed = !m_sink.ok();
}

void BlockWriter::flush() {
    m_sink.flush();
    std::lock_guard lock(m_stats_mutex);
    m_stats.sink_failed = !m_sink.ok();
}

Stats BlockWriter::stats() const {
    std::lock_guard lock(m_stats_mutex);
    return m_stats;
}

} // namespace weft::client::detail
