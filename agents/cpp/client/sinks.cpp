// The sinks that ship with weft_client: a .weft file and a null sink.

#include "weft/sink.h"

#include "format/trace_writer.h"

namespace weft::client {

namespace {

class FileSink final : public Sink {
public:
    bool open(const std::string& path) { return m_ok = m_writer.open(path); }
    const std::string& error() const { return m_writer.error(); }

    void write_process_info(const format::ProcessInfo& info) override {
        if (m_ok) m_ok = m_writer.write_process_info(info);
    }
    void write_stream_info(const format::StreamInfo& info) override {
        if (m_ok) m_ok = m_writer.write_stream_info(info);
    }
    void write(std::span<const uint8_t> framed_records) override {
        if (m_ok) m_ok = m_writer.write_framed(framed_records);
    }
    void flush() override {
        if (m_ok) m_ok = m_writer.flush();
    }
    void close() override {
        if (!m_closed) {
            m_closed = true;
            if (!m_writer.close()) m_ok = false;
        }
    }
    bool ok() const override { return m_ok; }

private:
    format::TraceWriter m_writer;
    bool m_ok = false;
    bool m_closed = false;
};

class NullSink final : public Sink {
public:
    void write_process_info(const format::ProcessInfo&) override {}
    void write_stream_info(const format::StreamInfo&) override {}
    void write(std::span<const uint8_t>) override {}
};

} // namespace

std::unique_ptr<Sink> make_file_sink(const std::string& path, std::string* error) {
    auto sink = std::make_unique<FileSink>();
    if (!sink->open(path)) {
        if (error) *error = sink->error();
        return nullptr;
    }
    return sink;
}

std::unique_ptr<Sink> make_null_sink() { return std::make_unique<NullSink>(); }

} // namespace weft::client
