#pragma once
// A TraceSink that writes what it receives as a .weft file: process and stream infos as they
// come, each block encoded again (CBOR + zstd) from its decoded events. What converts a trace read
// by any reader (an importer, another .weft) into a .weft file that loads to the same model.
//
// The file header says the lowest minor version the file needs: 1.0 until an event or field of
// 1.1 is written, then the header is rewritten when the file is closed.

#include "format/block_encoder.h"
#include "format/trace_reader.h"
#include "format/trace_writer.h"

#include <string>
#include <vector>

namespace weft::format {

class TraceFileSink final : public TraceSink {
public:
    explicit TraceFileSink(int zstd_level = kDefaultZstdLevel) : m_encoder(zstd_level) {}

    bool open(const std::string& path);
    // Completes the file; false (error() says why) if anything could not be written.
    bool close();
    const std::string& error() const { return m_error.empty() ? m_writer.error() : m_error; }
    uint64_t blocks() const { return m_blocks; }

    void on_process(const ProcessInfo& info) override;
    void on_stream(const StreamInfo& info) override;
    void on_block(const DecodedBlock& block) override;

private:
    TraceWriter m_writer;
    BlockEncoder m_encoder;
    std::string m_path;
    std::string m_error;
    std::vector<BlockStringId> m_strings;     // the block's string ids -> the encoder's
    std::vector<BlockLocationId> m_locations; // likewise for locations
    std::vector<BlockLocationId> m_frames;
    std::vector<uint8_t> m_framed;
    uint64_t m_blocks = 0;
    bool m_minor1 = false; // a 1.1 feature was written
};

} // namespace weft::format
