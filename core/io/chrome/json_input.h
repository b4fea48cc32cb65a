#pragma once
// The bytes of a JSON trace file, plain or gzip-compressed (sniffed from the content, whatever the
// name says), read in chunks so that a file of any size costs a bounded buffer. Offsets are in the
// uncompressed text, which is what error messages name.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace weft::chrome {

class JsonInput {
public:
    JsonInput();
    ~JsonInput();
    JsonInput(const JsonInput&) = delete;
    JsonInput& operator=(const JsonInput&) = delete;

    // Opens `path`; false with error() set when it cannot be read.
    bool open(const std::string& path);

    // Reads up to `size` bytes of text into `out`; 0 at the end or on error (error() then says
    // what went wrong: a read error, or damaged gzip data after the bytes delivered so far).
    size_t read(uint8_t* out, size_t size);

    bool compressed() const { return m_gzip != nullptr; }
    uint64_t file_size() const { return m_file_size; }
    uint64_t file_bytes_read() const { return m_file_read; } // compressed bytes consumed, for progress
    const std::string& error() const { return m_error; }

private:
    struct Gzip;
    size_t read_file(uint8_t* out, size_t size);
    size_t inflate(uint8_t* out, size_t size);

    std::FILE* m_file = nullptr;
    std::unique_ptr<Gzip> m_gzip;
    uint64_t m_file_size = 0;
    uint64_t m_file_read = 0;
    uint64_t m_text_offset = 0; // uncompressed bytes delivered
    std::string m_error;
};

// True when these first bytes of a file are a gzip member's header.
bool looks_gzip(const uint8_t* bytes, size_t size);

} // namespace weft::chrome
