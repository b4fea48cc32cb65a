#pragma once
// The text gen_chrome_trace writes: a large buffer flushed to a file, plain or through deflate
// (gzip), and the formatting of numbers into it without printf, which would cost more than the
// rest of the generator together.

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>
#include <zlib.h>

namespace weft::bench {

// Events are written straight at cursor() and committed with advance(); the buffer keeps more
// room after its flush threshold than any one event takes.
class TextOutput {
public:
    bool open(const char* path, bool gzip) {
        m_file = std::fopen(path, "wb");
        if (!m_file) return false;
        m_buf.resize(kBuffer + kSlack);
        m_gzip = gzip;
        if (gzip) {
            m_out.resize(kBuffer);
            if (deflateInit2(&m_z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
        }
        return true;
    }
    // Room for one event at the cursor: events are far smaller than kSlack.
    char* cursor() { return m_buf.data() + m_len; }
    void advance(char* end) {
        m_len = static_cast<size_t>(end - m_buf.data());
        if (m_len >= kBuffer) flush(false);
    }
    void text(std::string_view s) {
        std::memcpy(cursor(), s.data(), s.size());
        advance(cursor() + s.size());
    }
    uint64_t bytes() const { return m_total + m_len; }
    bool close() {
        flush(true);
        if (m_gzip) deflateEnd(&m_z);
        const bool ok = !m_failed && std::fclose(m_file) == 0;
        m_file = nullptr;
        return ok;
    }

private:
    static constexpr size_t kBuffer = size_t{8} << 20;
    static constexpr size_t kSlack = size_t{64} << 10;

    void flush(bool finish) {
        if (!m_gzip) {
            if (m_len && std::fwrite(m_buf.data(), 1, m_len, m_file) != m_len) m_failed = true;
        } else {
            m_z.next_in = reinterpret_cast<Bytef*>(m_buf.data());
            m_z.avail_in = static_cast<uInt>(m_len);
            int rc = Z_OK;
            do {
                m_z.next_out = m_out.data();
                m_z.avail_out = static_cast<uInt>(m_out.size());
                rc = deflate(&m_z, finish ? Z_FINISH : Z_NO_FLUSH);
                const size_t n = m_out.size() - m_z.avail_out;
                if (n && std::fwrite(m_out.data(), 1, n, m_file) != n) m_failed = true;
            } while (m_z.avail_out == 0 || (finish && rc != Z_STREAM_END && rc != Z_STREAM_ERROR));
        }
        m_total += m_len;
        m_len = 0;
    }

    std::FILE* m_file = nullptr;
    std::vector<char> m_buf;
    size_t m_len = 0;
    uint64_t m_total = 0;
    bool m_gzip = false;
    bool m_failed = false;
    z_stream m_z{};
    std::vector<Bytef> m_out;
};

inline char* put(char* p, std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}
inline char* put_u64(char* p, uint64_t v) {
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}
// Nanoseconds as microseconds with three decimals: exact, as Perfetto's exporter writes them.
inline char* put_micros(char* p, int64_t ns) {
    p = put_u64(p, static_cast<uint64_t>(ns / 1000));
    const auto frac = static_cast<int>(ns % 1000);
    p[0] = '.';
    p[1] = static_cast<char>('0' + frac / 100);
    p[2] = static_cast<char>('0' + frac / 10 % 10);
    p[3] = static_cast<char>('0' + frac % 10);
    return p + 4;
}
inline char* put_hex(char* p, uint64_t v) {
    static const char* const kHex = "0123456789abcdef";
    p = put(p, "0x");
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = kHex[v & 15];
        v >>= 4;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

} // namespace weft::bench
