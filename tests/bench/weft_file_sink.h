#pragma once
// A TraceSink that writes what it receives as a .weft file: how bench_chrome_import converts a
// JSON trace, to compare loading the same trace from both formats.

#include "format/block_encoder.h"
#include "format/trace_reader.h"
#include "format/trace_writer.h"

#include <string>
#include <vector>

namespace weft::bench {

// Each block is encoded anew with tables of its own: which of an event's fields are string ids and
// which are location ids depends on its kind, so each is mapped by kind.
class WeftFileSink final : public weft::format::TraceSink {
public:
    bool open(const std::string& path) { return m_writer.open(path, weft::format::kMinorVersion); }
    bool close() { return m_writer.close(); }
    const std::string& error() const { return m_writer.error(); }

    void on_process(const weft::format::ProcessInfo& info) override { m_writer.write_process_info(info); }
    void on_stream(const weft::format::StreamInfo& info) override { m_writer.write_stream_info(info); }
    void on_block(const weft::format::DecodedBlock& block) override {
        using weft::format::EventKind;
        weft::format::BlockHeader header = block.header;
        header.block_id = {};
        m_encoder.begin(header);
        m_strings.assign(1, 0);
        for (std::string_view s : block.strings)
            m_strings.push_back(m_encoder.intern(s));
        m_locations.assign(1, 0);
        for (const weft::format::BlockLocation& l : block.locations)
            m_locations.push_back(m_encoder.intern_location(block.string(l.name), block.string(l.target),
                                                            block.string(l.file), l.line));
        auto str = [&](uint32_t& id) { id = id < m_strings.size() ? m_strings[id] : 0; };
        auto loc = [&](uint32_t& id) { id = id < m_locations.size() ? m_locations[id] : 0; };
        for (weft::format::Event e : block.events) {
            m_frames.clear();
            for (uint32_t i = 0; i < e.frames_count && e.frames_begin + i < block.frames.size(); ++i)
                m_frames.push_back(block.frames[e.frames_begin + i]);
            for (uint32_t& f : m_frames)
                loc(f);
            switch (e.kind) {
            case EventKind::ThreadSpanBegin:
            case EventKind::AsyncSpanBegin:
                loc(e.ref1);
                str(e.ref2);
                str(e.ref3);
                break;
            case EventKind::ThreadSpanEnd:
            case EventKind::Flow:
                loc(e.ref1);
                break;
            case EventKind::TaskCreated:
                str(e.ref1);
                str(e.ref2);
                loc(e.ref3);
                break;
            case EventKind::TaskCompleted:
            case EventKind::Sample:
            case EventKind::Diagnostic:
                str(e.ref1);
                break;
            case EventKind::AwaitBegin:
                str(e.ref1);
                loc(e.ref2);
                break;
            case EventKind::Instant:
                loc(e.ref1);
                str(e.ref2);
                break;
            case EventKind::Counter:
                str(e.ref1);
                str(e.ref2);
                break;
            default:
                break;
            }
            m_encoder.add(e, m_frames);
        }
        m_framed.clear();
        m_encoder.finish(m_framed);
        m_writer.write_framed(m_framed);
    }

private:
    weft::format::TraceWriter m_writer;
    weft::format::BlockEncoder m_encoder;
    std::vector<uint32_t> m_strings, m_locations, m_frames;
    std::vector<uint8_t> m_framed;
};

} // namespace weft::bench
