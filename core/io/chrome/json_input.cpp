#include "io/chrome/json_input.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace weft::chrome {

namespace {
constexpr size_t kCompressedChunk = 1u << 20;
} // namespace

bool looks_gzip(const uint8_t* bytes, size_t size) {
    return size >= 3 && bytes[0] == 0x1f && bytes[1] == 0x8b && bytes[2] == 8; // deflate
}

// zlib's streaming inflate: memory stays one compressed chunk plus zlib's window whatever the file
// inflates to, so a gzip bomb costs time (it can be cancelled), never memory.
struct JsonInput::Gzip {
    z_stream z{};
    std::vector<uint8_t> in;
    bool initialised = false;
    bool member_done = false; // the last member ended; more bytes may start another one

    ~Gzip() {
        if (initialised) inflateEnd(&z);
    }
};

JsonInput::JsonInput() = default;

JsonInput::~JsonInput() {
    if (m_file) std::fclose(m_file);
}

bool JsonInput::open(const std::string& path) {
    m_file = std::fopen(path.c_str(), "rb");
    if (!m_file) {
        m_error = "cannot open '" + path + "': " + std::strerror(errno);
        return false;
    }
    if (std::fseek(m_file, 0, SEEK_END) == 0) {
        const long size = std::ftell(m_file);
        if (size > 0) m_file_size = static_cast<uint64_t>(size);
        std::fseek(m_file, 0, SEEK_SET);
    }
    uint8_t magic[3] = {};
    const size_t n = std::fread(magic, 1, sizeof magic, m_file);
    std::fseek(m_file, 0, SEEK_SET);
    if (!looks_gzip(magic, n)) return true;
    m_gzip = std::make_unique<Gzip>();
    // 16 + MAX_WBITS: a gzip wrapper, with its CRC checked at the end of each member.
    if (inflateInit2(&m_gzip->z, 16 + MAX_WBITS) != Z_OK) {
        m_error = "cannot start gzip decompression";
        return false;
    }
    m_gzip->initialised = true;
    m_gzip->in.resize(kCompressedChunk);
    return true;
}

size_t JsonInput::read_file(uint8_t* out, size_t size) {
    const size_t n = std::fread(out, 1, size, m_file);
    if (n < size && std::ferror(m_file) && m_error.empty())
        m_error = std::string("read error: ") + std::strerror(errno);
    m_file_read += n;
    return n;
}

size_t JsonInput::read(uint8_t* out, size_t size) {
    if (!m_file || !m_error.empty() || size == 0) return 0;
    const size_t n = m_gzip ? inflate(out, size) : read_file(out, size);
    m_text_offset += n;
    return n;
}

size_t JsonInput::inflate(uint8_t* out, size_t size) {
    Gzip& g = *m_gzip;
    z_stream& z = g.z;
    z.next_out = out;
    z.avail_out = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
    const uInt wanted = z.avail_out;
    while (z.avail_out > 0) {
        if (z.avail_in == 0) {
            const size_t n = read_file(g.in.data(), g.in.size());
            if (n == 0) {
                if (!g.member_done && m_error.empty())
                    m_error = "the gzip data ends early (the file is truncated) after " + std::to_string(m_text_offset) +
                              " bytes of text";
                break;
            }
            z.next_in = g.in.data();
            z.avail_in = static_cast<uInt>(n);
        }
        if (g.member_done) {
            // Concatenated gzip members (what `cat a.gz b.gz` makes) read as one text; anything
            // after the last member that is not a gzip header ends the text.
            if (!(z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b)) {
                z.avail_in = 0;
                std::fseek(m_file, 0, SEEK_END);
                break;
            }
            inflateReset(&z);
            g.member_done = false;
        }
        const int rc = ::inflate(&z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            g.member_done = true;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            m_error = std::string("damaged gzip data after ") + std::to_string(m_text_offset + (wanted - z.avail_out)) +
                      " bytes of text: " + (z.msg ? z.msg : "inflate failed");
            break;
        }
    }
    return wanted - z.avail_out;
}

} // namespace weft::chrome
