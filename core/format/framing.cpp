#include "format/framing.h"

#include "format/pages.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#if defined(WEFT_HAVE_ISAL)
#include <isa-l/crc.h>
#else
#include <zlib.h>
#endif

namespace weft::format {

namespace {

uint16_t load_le16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

uint32_t load_le32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
           (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

void store_le32(uint8_t* p, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// CRC-32 over frame header bytes 4..11 (kind, flags, reserved, length) and the body.
uint32_t frame_checksum(const uint8_t* header, const uint8_t* body, size_t size) {
#if defined(WEFT_HAVE_ISAL)
    // The same CRC as zlib's (reflected polynomial 0xEDB88320, same seeding), computed with
    // carry-less multiplication: loading a trace checks every byte of it, and zlib's table-driven
    // loop costs about six times as much.
    return crc32_gzip_refl(crc32_gzip_refl(0, header + 4, 8), body, size);
#else
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, header + 4, 8);
    // zlib takes uInt lengths; bodies are at most 64 MiB, well within.
    crc = crc32(crc, body, static_cast<uInt>(size));
    return static_cast<uint32_t>(crc);
#endif
}

} // namespace

void append_file_header(std::vector<uint8_t>& out, uint16_t minor_version) {
    out.insert(out.end(), std::begin(kFileMagic), std::end(kFileMagic));
    const uint8_t version[8] = {kMajorVersion & 0xff,
                                kMajorVersion >> 8,
                                static_cast<uint8_t>(minor_version & 0xff),
                                static_cast<uint8_t>(minor_version >> 8),
                                0,
                                0,
                                0,
                                0};
    out.insert(out.end(), std::begin(version), std::end(version));
}

std::optional<FormatError> check_file_header(std::span<const uint8_t> bytes) {
    if (bytes.size() < kFileHeaderSize) {
        return FormatError{0, "not a Weft trace: " + std::to_string(bytes.size()) +
                                  " bytes, shorter than the 16-byte file header"};
    }
    if (std::memcmp(bytes.data(), kFileMagic, sizeof kFileMagic) != 0) {
        return FormatError{0, "not a Weft trace: the file does not start with the Weft magic bytes"};
    }
    const uint16_t major = load_le16(bytes.data() + 8);
    const uint16_t minor = load_le16(bytes.data() + 10);
    if (major > kMajorVersion) {
        return FormatError{8, "the file uses format version " + std::to_string(major) + "." +
                                  std::to_string(minor) + ", newer than the version " +
                                  std::to_string(kMajorVersion) + "." + std::to_string(kMinorVersion) +
                                  " this reader supports; use a newer Weft"};
    }
    if (major == 0) {
        return FormatError{8, "the file claims format version 0." + std::to_string(minor) +
                                  ", which never existed (expected " + std::to_string(kMajorVersion) + ".x)"};
    }
    return std::nullopt;
}

void append_record(uint8_t kind, std::span<const uint8_t> body, std::vector<uint8_t>& out) {
    uint8_t header[kFrameHeaderSize] = {};
    std::memcpy(header, kRecordSync, sizeof kRecordSync);
    header[4] = kind;
    store_le32(header + 8, static_cast<uint32_t>(body.size()));
    store_le32(header + 12, frame_checksum(header, body.data(), body.size()));
    out.insert(out.end(), header, header + kFrameHeaderSize);
    out.insert(out.end(), body.begin(), body.end());
}

FrameReader::FrameReader(uint64_t base_offset) : m_base(base_offset) {
}

void FrameReader::compact() {
    // Consumed bytes are dropped once they are at least half the buffer, so appending many small
    // chunks stays linear and the buffer never holds more than about twice the unread bytes.
    // The buffer's storage is kept: a reader fed chunk after chunk reuses the same memory.
    if (m_start == m_size) {
        m_base += m_start;
        m_size = 0;
        m_start = 0;
    } else if (m_start > 0 && m_start * 2 >= m_size) {
        m_base += m_start;
        std::memmove(m_buffer.data(), m_buffer.data() + m_start, m_size - m_start);
        m_size -= m_start;
        m_start = 0;
    }
}

void FrameReader::append(std::span<const uint8_t> bytes) {
    if (bytes.empty()) return;
    const std::span<uint8_t> room = prepare(bytes.size());
    std::memcpy(room.data(), bytes.data(), bytes.size());
    commit(bytes.size());
}

std::span<uint8_t> FrameReader::prepare(size_t n) {
    compact();
    if (m_buffer.size() - m_size < n) {
        // Grow geometrically so that many small appends stay linear.
        const size_t want = std::max(m_size + n, m_buffer.size() + m_buffer.size() / 2);
        std::vector<uint8_t> grown;
        grown.reserve(want);
        populate_pages(grown.data(), want);
        grown.assign(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_size));
        grown.resize(want);
        m_buffer.swap(grown);
    }
    return {m_buffer.data() + m_size, n};
}

void FrameReader::commit(size_t n) {
    m_size = std::min(m_size + n, m_buffer.size());
}

void FrameReader::finish() {
    m_finished = true;
}

void FrameReader::damage(uint64_t offset, std::string reason) {
    if (m_resyncing) return; // one report per damaged region, not one per false sync inside it
    m_damages.push_back({offset, std::move(reason)});
    m_resyncing = true;
}

void FrameReader::skip(size_t bytes) {
    m_start += bytes;
    m_skipped += bytes;
}

std::optional<RecordView> FrameReader::next() {
    for (;;) {
        size_t avail = m_size - m_start;
        if (avail == 0) return std::nullopt;
        const uint8_t* p = m_buffer.data() + m_start;
        if (m_resyncing) {
            // Scan for the next "WREC"; keep a possible partial sync at the end for the next chunk.
            size_t i = 0;
            while (i < avail) {
                const void* w = std::memchr(p + i, kRecordSync[0], avail - i);
                if (!w) {
                    i = avail;
                    break;
                }
                i = static_cast<size_t>(static_cast<const uint8_t*>(w) - p);
                const size_t n = std::min(avail - i, sizeof kRecordSync);
                if (std::memcmp(p + i, kRecordSync, n) == 0) break;
                ++i;
            }
            skip(i);
            avail -= i;
            p += i;
            if (avail == 0) return std::nullopt;
            if (avail < sizeof kRecordSync) { // a partial sync at the very end
                if (m_finished) skip(avail);
                return std::nullopt;
            }
        }
        const uint64_t offset = m_base + m_start;
        if (avail < kFrameHeaderSize) {
            if (!m_finished) return std::nullopt;
            damage(offset, "truncated record: the frame header needs 16 bytes but only " +
                               std::to_string(avail) + " remain");
            skip(avail);
            return std::nullopt;
        }
        if (std::memcmp(p, kRecordSync, sizeof kRecordSync) != 0) {
            char text[120];
            std::snprintf(text, sizeof text,
                          "damaged data: expected record sync 'WREC', found %02x %02x %02x %02x", p[0], p[1],
                          p[2], p[3]);
            damage(offset, text);
            skip(1);
            continue;
        }
        const uint32_t length = load_le32(p + 8);
        if (length > kMaxRecordBody) {
            damage(offset, "damaged record: body length " + std::to_string(length) +
                               " exceeds the limit of " + std::to_string(kMaxRecordBody) + " bytes");
            skip(1);
            continue;
        }
        if (avail - kFrameHeaderSize < length) {
            if (!m_finished) return std::nullopt;
            damage(offset, "truncated record: it claims " + std::to_string(length) + " body bytes but only " +
                               std::to_string(avail - kFrameHeaderSize) + " remain");
            skip(1);
            continue;
        }
        const uint32_t stored = load_le32(p + 12);
        const uint32_t computed = frame_checksum(p, p + kFrameHeaderSize, length);
        if (stored != computed) {
            char text[120];
            std::snprintf(text, sizeof text, "damaged record: checksum mismatch (stored %08x, computed %08x)",
                          stored, computed);
            damage(offset, text);
            skip(1);
            continue;
        }
        m_resyncing = false;
        RecordView view{p[4], offset, {p + kFrameHeaderSize, length}};
        m_start += kFrameHeaderSize + length;
        return view;
    }
}

} // namespace weft::format
