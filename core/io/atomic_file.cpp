#include "io/atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace weft::io {

AtomicFile::~AtomicFile() {
    abandon();
}

void AtomicFile::abandon() {
    if (m_file) std::fclose(m_file);
    m_file = nullptr;
    if (!m_temp.empty()) ::unlink(m_temp.c_str());
    m_temp.clear();
}

bool AtomicFile::open(const std::string& path, std::string& error) {
    abandon();
    m_path = path;
    // In the target's directory, so the final rename stays on one file system.
    std::string temp = path + ".partial-XXXXXX";
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        error = path + ": " + std::strerror(errno);
        return false;
    }
    // mkstemp makes the file private; an export is an ordinary file.
    ::fchmod(fd, 0644);
    m_file = ::fdopen(fd, "wb");
    if (!m_file) {
        error = path + ": " + std::strerror(errno);
        ::close(fd);
        ::unlink(temp.c_str());
        return false;
    }
    m_temp = temp;
    return true;
}

bool AtomicFile::commit(std::string& error) {
    if (!m_file) {
        error = m_path + ": not open";
        return false;
    }
    const bool flushed = std::fflush(m_file) == 0 && !std::ferror(m_file);
    const int saved = errno;
    const bool closed = std::fclose(m_file) == 0;
    m_file = nullptr;
    if (!flushed || !closed) {
        error = m_path + ": write failed" +
                (saved != 0 ? std::string(": ") + std::strerror(saved) : std::string());
        abandon();
        return false;
    }
    if (::rename(m_temp.c_str(), m_path.c_str()) != 0) {
        error = m_path + ": " + std::strerror(errno);
        abandon();
        return false;
    }
    m_temp.clear();
    return true;
}

bool write_file_atomically(const std::string& path, std::string& error,
                           const std::function<bool(std::FILE*)>& write) {
    AtomicFile file;
    if (!file.open(path, error)) return false;
    if (!write(file.file())) {
        error = path + ": write failed";
        return false; // the temporary file goes with `file`
    }
    return file.commit(error);
}

} // namespace weft::io
