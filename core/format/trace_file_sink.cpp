#include "format/trace_file_sink.h"

#include "format/event_layout.h"

#include <cstdio>

namespace weft::format {

namespace {

bool uses_minor1(const Event& e) {
    const auto kind = static_cast<uint8_t>(e.kind);
    if (kind >= kFirstMinor1EventKind) return true;
    if (e.kind == EventKind::ThreadSpanBegin) return e.ref3 != 0;
    if (e.kind == EventKind::AsyncSpanBegin) return e.ref3 != 0 || e.id3 != 0;
    return false;
}

} // namespace

bool TraceFileSink::open(const std::string& path) {
    m_path = path;
    m_minor1 = false;
    m_blocks = 0;
    return m_writer.open(path, 0);
}

void TraceFileSink::on_process(const ProcessInfo& info) {
    m_minor1 = m_minor1 || info.properties.count("sort_index") != 0;
    m_writer.write_process_info(info);
}

void TraceFileSink::on_stream(const StreamInfo& info) {
    m_minor1 = m_minor1 || info.properties.count("sort_index") != 0;
    m_writer.write_stream_info(info);
}

void TraceFileSink::on_block(const DecodedBlock& block) {
    if (block.events.empty() && block.events_encoded) {
        if (m_error.empty()) m_error = "internal: a block with its events left encoded cannot be written again";
        return;
    }
    BlockHeader header = block.header;
    header.block_id = Uuid{}; // a new block: the encoder gives it an id of its own
    header.codec = Codec::Zstd;
    m_encoder.begin(header);
    m_strings.assign(block.strings.size() + 1, 0);
    for (size_t k = 0; k < block.strings.size(); ++k) m_strings[k + 1] = m_encoder.intern(block.strings[k]);
    m_locations.assign(block.locations.size() + 1, 0);
    for (size_t k = 0; k < block.locations.size(); ++k) {
        const BlockLocation& l = block.locations[k];
        m_locations[k + 1] = m_encoder.intern_location(block.string(l.name), block.string(l.target),
                                                       block.string(l.file), l.line);
    }
    auto string = [&](uint32_t id) { return id < m_strings.size() ? m_strings[id] : 0; };
    auto location = [&](uint32_t id) { return id < m_locations.size() ? m_locations[id] : 0; };
    for (Event e : block.events) {
        const auto kind = static_cast<uint8_t>(e.kind);
        if (kind == 0 || kind > kMaxKnownEventKind) continue;
        uint32_t* refs[3] = {&e.ref1, &e.ref2, &e.ref3};
        for (int r = 0; r < 3; ++r) {
            switch (detail::kEventRefs[kind][r]) {
            case detail::Ref::String: *refs[r] = string(*refs[r]); break;
            case detail::Ref::Location: *refs[r] = location(*refs[r]); break;
            case detail::Ref::None:
            case detail::Ref::Number: break;
            }
        }
        m_frames.clear();
        for (uint32_t f = 0; f < e.frames_count && e.frames_begin + f < block.frames.size(); ++f)
            m_frames.push_back(location(block.frames[e.frames_begin + f]));
        m_minor1 = m_minor1 || uses_minor1(e);
        m_encoder.add(e, m_frames);
    }
    m_framed.clear();
    m_encoder.finish(m_framed);
    m_writer.write_framed(m_framed);
    ++m_blocks;
}

bool TraceFileSink::close() {
    if (!m_writer.close()) return false;
    if (!m_error.empty()) return false;
    if (!m_minor1) return true;
    // The file uses 1.1: say so in its header (bytes 10..11, little-endian).
    std::FILE* f = std::fopen(m_path.c_str(), "r+b");
    const uint8_t minor[2] = {1, 0};
    const bool ok = f && std::fseek(f, 10, SEEK_SET) == 0 && std::fwrite(minor, 1, 2, f) == 2;
    if (f && std::fclose(f) != 0 && ok) return false;
    if (!ok) m_error = "cannot write the file header of '" + m_path + "'";
    return ok;
}

} // namespace weft::format
