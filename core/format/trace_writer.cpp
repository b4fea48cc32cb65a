#include "format/trace_writer.h"

#include "format/framing.h"
#include "format/record_codec.h"

#include <cerrno>
#include <cstring>

namespace weft::format {

TraceWriter::~TraceWriter() {
    if (m_file) std::fclose(m_file);
}

bool TraceWriter::open(const std::string& path, uint16_t minor_version) {
    if (m_file) close();
    m_error.clear();
    m_file = std::fopen(path.c_str(), "wb");
    if (!m_file) {
        m_error = "cannot create '" + path + "': " + std::strerror(errno);
        return false;
    }
    m_scratch.clear();
    append_file_header(m_scratch, minor_version);
    return write_framed(m_scratch);
}

bool TraceWriter::write_process_info(const ProcessInfo& info) { return write_framed(frame_process_info(info)); }

bool TraceWriter::write_stream_info(const StreamInfo& info) { return write_framed(frame_stream_info(info)); }

bool TraceWriter::write_framed(std::span<const uint8_t> framed_records) {
    if (!m_file) {
        if (m_error.empty()) m_error = "no trace file is open";
        return false;
    }
    if (!m_error.empty()) return false; // an earlier write failed: the file is already incomplete
    if (!framed_records.empty() &&
        std::fwrite(framed_records.data(), 1, framed_records.size(), m_file) != framed_records.size()) {
        m_error = std::string("write failed: ") + std::strerror(errno);
        return false;
    }
    return true;
}

bool TraceWriter::flush() {
    if (!m_file || !m_error.empty()) return m_error.empty();
    if (std::fflush(m_file) != 0) m_error = std::string("write failed: ") + std::strerror(errno);
    return m_error.empty();
}

bool TraceWriter::close() {
    if (!m_file) return m_error.empty();
    const bool flushed = std::fflush(m_file) == 0;
    if (!flushed && m_error.empty()) m_error = std::string("write failed: ") + std::strerror(errno);
    const bool closed = std::fclose(m_file) == 0;
    if (!closed && m_error.empty()) m_error = std::string("close failed: ") + std::strerror(errno);
    m_file = nullptr;
    return m_error.empty();
}

} // namespace weft::format
