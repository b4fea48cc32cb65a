#pragma once
// Writing a file so that it appears whole or not at all: the text goes to a temporary file beside
// the target, which takes the target's name only once every byte was written and flushed. A failed
// export (a full disk, an unwritable directory) leaves no half-written file under the final name,
// and an existing file under that name untouched.

#include <cstdio>
#include <functional>
#include <string>

namespace weft::io {

class AtomicFile {
public:
    AtomicFile() = default;
    ~AtomicFile(); // abandons the temporary file unless commit() succeeded
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    // Creates the temporary file; false with `error` naming the path on failure.
    bool open(const std::string& path, std::string& error);
    std::FILE* file() const { return m_file; }
    // Flushes, closes and renames the temporary file to the target; false with `error` if any step
    // failed (the temporary file is then removed).
    bool commit(std::string& error);

private:
    void abandon();
    std::string m_path;
    std::string m_temp;
    std::FILE* m_file = nullptr;
};

// Writes `path` whole or not at all with `write`, which returns false when a write failed.
// False with `error` naming the path on failure.
bool write_file_atomically(const std::string& path, std::string& error,
                           const std::function<bool(std::FILE*)>& write);

} // namespace weft::io
