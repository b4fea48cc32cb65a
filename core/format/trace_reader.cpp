#include "format/trace_reader.h"

#include "format/framing.h"
#include "format/record_codec.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <variant>

namespace weft::format {

namespace {

constexpr size_t kChunkSize = 4u << 20;

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

// Delivers intact records to the sink, enforcing the order rule: a stream's process and a block's
// stream must have been announced before.
class RecordDispatcher {
public:
    RecordDispatcher(TraceSink& sink, ReadReport& report)
        : m_sink(sink), m_report(report),
          m_events(sink.reads_encoded_events() ? EventDecoding::LeaveEncoded : EventDecoding::Decode) {}

    void dispatch(const RecordView& record) {
        switch (record.kind) {
        case static_cast<uint8_t>(RecordKind::ProcessInfo): {
            auto result = decode_process_info(record.body, record.offset);
            if (auto* error = std::get_if<FormatError>(&result)) return m_report.errors.push_back(*error);
            const auto& info = std::get<ProcessInfo>(result);
            m_processes.insert(info.process_id);
            ++m_report.records;
            m_sink.on_process(info);
            return;
        }
        case static_cast<uint8_t>(RecordKind::StreamInfo): {
            auto result = decode_stream_info(record.body, record.offset);
            if (auto* error = std::get_if<FormatError>(&result)) return m_report.errors.push_back(*error);
            const auto& info = std::get<StreamInfo>(result);
            if (!m_processes.count(info.process_id)) {
                return m_report.errors.push_back(
                    {record.offset,
                     "stream info for a process whose process info did not come first; ignored"});
            }
            m_streams.insert(info.stream_id);
            ++m_report.records;
            m_sink.on_stream(info);
            return;
        }
        case static_cast<uint8_t>(RecordKind::Block): {
            FormatError error = m_decoder.decode(record.body, record.offset, m_block, m_events);
            // A block damaged inside its events still gives the events before the damage.
            if (!error.ok() && !m_block.events_cut) return m_report.errors.push_back(std::move(error));
            if (!m_streams.count(m_block.header.stream_id)) {
                if (!error.ok()) return m_report.errors.push_back(std::move(error));
                return m_report.errors.push_back(
                    {record.offset, "block of a stream whose stream info did not come first; ignored"});
            }
            if (error.ok())
                ++m_report.records;
            else
                m_report.errors.push_back(std::move(error));
            m_report.events += m_block.events.size();
            m_report.unknown_events += m_block.unknown_events;
            m_sink.take_block(m_block);
            return;
        }
        default:
            ++m_report.unknown_records; // a newer record kind: intact, skipped
            return;
        }
    }

private:
    TraceSink& m_sink;
    ReadReport& m_report;
    const EventDecoding m_events;
    BlockDecoder m_decoder;
    DecodedBlock m_block;
    std::set<Uuid> m_processes;
    std::set<Uuid> m_streams;
};

} // namespace

ReadReport read_trace_file(const std::string& path, TraceSink& sink, const ReadOptions& options) {
    ReadReport report;
    report.path = path;
    auto fail = [&](uint64_t offset, std::string reason) {
        report.errors.push_back({offset, std::move(reason)});
        report.fatal = true;
        return report;
    };

    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) return fail(0, "cannot open '" + path + "': " + std::strerror(errno));
    if (std::fseek(file.get(), 0, SEEK_END) == 0) {
        const long size = std::ftell(file.get());
        if (size > 0) report.file_size = static_cast<uint64_t>(size);
        std::fseek(file.get(), 0, SEEK_SET);
    }

    uint8_t header[kFileHeaderSize];
    const size_t header_bytes = std::fread(header, 1, sizeof header, file.get());
    if (auto error = check_file_header({header, header_bytes})) return fail(error->offset, error->reason);

    FrameReader frames(kFileHeaderSize);
    RecordDispatcher dispatcher(sink, report);
    // A small file needs no 4 MiB buffer (one byte more than the rest, to see the end in one read).
    const uint64_t rest = report.file_size > kFileHeaderSize ? report.file_size - kFileHeaderSize + 1 : 1;
    const auto chunk = static_cast<size_t>(std::min<uint64_t>(kChunkSize, rest));
    uint64_t done = kFileHeaderSize;
    bool end = false;
    if (options.progress) options.progress(done, report.file_size);
    while (!end) {
        // Straight into the frame reader's buffer: no second copy of the file's bytes.
        const std::span<uint8_t> room = frames.prepare(chunk);
        const size_t n = std::fread(room.data(), 1, room.size(), file.get());
        if (n < room.size()) {
            if (std::ferror(file.get())) {
                report.errors.push_back({done + n, std::string("read error: ") + std::strerror(errno)});
            }
            end = true;
        }
        done += n;
        frames.commit(n);
        if (end) frames.finish();
        while (auto record = frames.next()) {
            if (options.cancel && options.cancel->load(std::memory_order_relaxed)) {
                report.cancelled = true;
                break;
            }
            dispatcher.dispatch(*record);
        }
        if (report.cancelled) break;
        if (options.progress) options.progress(done, report.file_size);
    }
    // Damage found while framing goes with the decode errors, in file order.
    report.errors.insert(report.errors.end(), frames.damages().begin(), frames.damages().end());
    std::stable_sort(report.errors.begin(), report.errors.end(),
                     [](const FormatError& a, const FormatError& b) { return a.offset < b.offset; });
    report.skipped_bytes = frames.skipped_bytes();
    return report;
}

} // namespace weft::format
