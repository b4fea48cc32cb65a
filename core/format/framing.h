#pragma once
// The file header and record framing shared by .weft files and live connections
// (docs/FORMAT.md, "File layout" and "Record framing").

#include "format/error.h"
#include "format/records.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace weft::format {

inline constexpr uint8_t kFileMagic[8] = {0x89, 'W', 'E', 'F', 'T', '\r', '\n', 0x1a};
inline constexpr uint8_t kRecordSync[4] = {'W', 'R', 'E', 'C'};
inline constexpr size_t kFileHeaderSize = 16;
inline constexpr size_t kFrameHeaderSize = 16;

// `minor_version`: the lowest one whose features the file uses (1.0 unless it holds 1.1 kinds).
void append_file_header(std::vector<uint8_t>& out, uint16_t minor_version = 0);
// Checks magic and version. Refuses a newer major version with a message naming both versions.
std::optional<FormatError> check_file_header(std::span<const uint8_t> bytes);

// Appends frame header + body. `kind` is a RecordKind value (raw, so tests can write unknown kinds).
void append_record(uint8_t kind, std::span<const uint8_t> body, std::vector<uint8_t>& out);

struct RecordView {
    uint8_t kind = 0;                   // raw kind; unknown kinds are returned too, callers skip them
    uint64_t offset = 0;                // byte offset of the frame header in the input
    std::span<const uint8_t> body;      // valid until the next call that changes the reader
};

// Incremental frame reader: bytes arrive in chunks (file reads, socket reads); complete records come
// out. Damaged frames are reported and skipped by scanning to the next valid sync; the input offset
// of every record and damage is absolute (counted from the first byte ever appended plus `base_offset`).
// Memory is bounded by the largest legal record plus one chunk.
class FrameReader {
public:
    explicit FrameReader(uint64_t base_offset = 0);

    void append(std::span<const uint8_t> bytes);
    // Room for `n` more input bytes at the end of the reader's own buffer, for a read to fill in
    // place (no copy through a second buffer); commit(k) then adds the first k <= n of them. The
    // span is valid until the next call that changes the reader.
    std::span<uint8_t> prepare(size_t n);
    void commit(size_t n);
    // Next complete, intact record, or nullopt when more bytes are needed. Damage found on the way is
    // appended to damages().
    std::optional<RecordView> next();
    // No more input. Call next() until it returns nullopt afterwards: a record running past the end
    // is reported as truncated (offset, claimed and remaining bytes), and intact records found by
    // scanning the rest of the input are still returned.
    void finish();

    const std::vector<FormatError>& damages() const { return m_damages; }
    uint64_t consumed_offset() const { return m_base + m_start; } // offset of the first unread byte
    uint64_t skipped_bytes() const { return m_skipped; }

private:
    void compact();
    void damage(uint64_t offset, std::string reason); // reports once per damaged region
    void skip(size_t bytes);

    std::vector<uint8_t> m_buffer; // input bytes are m_buffer[0, m_size); the rest is spare room
    size_t m_size = 0;
    size_t m_start = 0;   // first unread byte in m_buffer
    uint64_t m_base = 0;  // input offset of m_buffer[0]
    uint64_t m_skipped = 0;
    bool m_resyncing = false;
    bool m_finished = false;
    std::vector<FormatError> m_damages;
};

} // namespace weft::format
