#include "format/live_protocol.h"

#include "format/uuid.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace weft::format::live {

namespace {

void put_u16(std::vector<uint8_t>& out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v & 0xff));
    out.push_back(static_cast<uint8_t>(v >> 8));
}
uint16_t get_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

bool is_loopback_host(std::string_view host) {
    if (host == "localhost" || host == "::1") return true;
    in_addr addr{};
    const std::string text(host);
    return inet_pton(AF_INET, text.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

using Clock = std::chrono::steady_clock;
int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

} // namespace

std::string_view to_string(Status status) {
    switch (status) {
    case Status::Accepted: return "accepted";
    case Status::UnsupportedVersion: return "unsupported protocol version";
    case Status::WrongToken: return "wrong token";
    case Status::Busy: return "another viewer is attached";
    case Status::NotAllowed: return "not allowed";
    }
    return "unknown status";
}

std::vector<uint8_t> encode_hello(const Hello& hello) {
    std::vector<uint8_t> out(std::begin(kMagic), std::end(kMagic));
    put_u16(out, hello.major);
    put_u16(out, hello.minor);
    const size_t n = std::min(hello.token.size(), kMaxToken);
    put_u16(out, static_cast<uint16_t>(n));
    out.insert(out.end(), hello.token.begin(), hello.token.begin() + static_cast<std::ptrdiff_t>(n));
    return out;
}

std::vector<uint8_t> encode_answer(const Answer& answer) {
    std::vector<uint8_t> out(std::begin(kMagic), std::end(kMagic));
    put_u16(out, answer.major);
    put_u16(out, answer.minor);
    out.push_back(static_cast<uint8_t>(answer.status));
    out.push_back(0);
    const size_t n = std::min(answer.message.size(), kMaxMessage);
    put_u16(out, static_cast<uint16_t>(n));
    out.insert(out.end(), answer.message.begin(), answer.message.begin() + static_cast<std::ptrdiff_t>(n));
    return out;
}

Parse parse_hello(std::span<const uint8_t> bytes, Hello& out, size_t& consumed, std::string& error) {
    const size_t magic_checked = std::min(bytes.size(), sizeof kMagic);
    if (std::memcmp(bytes.data(), kMagic, magic_checked) != 0) {
        error = "not a Weft viewer: the handshake does not start with WEFTLIVE";
        return Parse::Error;
    }
    if (bytes.size() < kHelloFixedSize) return Parse::NeedMore;
    const uint16_t n = get_u16(bytes.data() + 12);
    if (n > kMaxToken) {
        error = "handshake token of " + std::to_string(n) + " bytes exceeds the limit of " +
                std::to_string(kMaxToken);
        return Parse::Error;
    }
    if (bytes.size() < kHelloFixedSize + n) return Parse::NeedMore;
    out.major = get_u16(bytes.data() + 8);
    out.minor = get_u16(bytes.data() + 10);
    out.token.assign(reinterpret_cast<const char*>(bytes.data() + kHelloFixedSize), n);
    consumed = kHelloFixedSize + n;
    return Parse::Done;
}

Parse parse_answer(std::span<const uint8_t> bytes, Answer& out, size_t& consumed, std::string& error) {
    const size_t magic_checked = std::min(bytes.size(), sizeof kMagic);
    if (std::memcmp(bytes.data(), kMagic, magic_checked) != 0) {
        error = "the peer is not a Weft producer: its answer does not start with WEFTLIVE";
        return Parse::Error;
    }
    if (bytes.size() < kAnswerFixedSize) return Parse::NeedMore;
    const uint16_t n = get_u16(bytes.data() + 14);
    if (n > kMaxMessage) {
        error = "handshake message of " + std::to_string(n) + " bytes exceeds the limit of " +
                std::to_string(kMaxMessage);
        return Parse::Error;
    }
    if (bytes.size() < kAnswerFixedSize + n) return Parse::NeedMore;
    out.major = get_u16(bytes.data() + 8);
    out.minor = get_u16(bytes.data() + 10);
    if (bytes[12] > static_cast<uint8_t>(Status::NotAllowed)) {
        error = "the peer answered with an unknown status " + std::to_string(bytes[12]);
        return Parse::Error;
    }
    out.status = static_cast<Status>(bytes[12]);
    out.message.assign(reinterpret_cast<const char*>(bytes.data() + kAnswerFixedSize), n);
    consumed = kAnswerFixedSize + n;
    return Parse::Done;
}

std::string Address::to_string() const {
    if (kind == Kind::Unix) return "unix:" + path;
    return "tcp:" + host + ":" + std::to_string(port);
}

std::optional<Address> parse_address(std::string_view text, uint64_t pid, std::string& error) {
    Address address;
    if (text == "unix") {
        address.path = default_socket_path(pid);
        return address;
    }
    if (text.starts_with("unix:")) {
        address.path = std::string(text.substr(5));
        if (address.path.empty()) address.path = default_socket_path(pid);
        if (address.path.size() >= sizeof(sockaddr_un{}.sun_path)) {
            error = "socket path is too long: " + address.path;
            return std::nullopt;
        }
        return address;
    }
    if (text.starts_with("tcp:")) {
        const std::string_view rest = text.substr(4);
        const size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos) {
            error = "expected tcp:HOST:PORT, got '" + std::string(text) + "'";
            return std::nullopt;
        }
        address.kind = Address::Kind::Tcp;
        address.host = std::string(rest.substr(0, colon));
        if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']')
            address.host = address.host.substr(1, address.host.size() - 2);
        const std::string port(rest.substr(colon + 1));
        char* end = nullptr;
        const unsigned long value = std::strtoul(port.c_str(), &end, 10);
        if (port.empty() || *end != '\0' || value > 65535) {
            error = "bad TCP port '" + port + "'";
            return std::nullopt;
        }
        address.port = static_cast<uint16_t>(value);
        if (!is_loopback_host(address.host)) {
            error = "only loopback addresses are served (127.0.0.1, ::1, localhost), not '" + address.host + "'";
            return std::nullopt;
        }
        return address;
    }
    error = "unknown address '" + std::string(text) + "': expected unix, unix:PATH or tcp:HOST:PORT";
    return std::nullopt;
}

std::string runtime_dir() {
    const char* xdg = std::getenv("XDG_RUNTIME_DIR");
    if (xdg && *xdg) return std::string(xdg) + "/weft";
    return "/tmp/weft-" + std::to_string(getuid());
}

bool create_runtime_dir(std::string& error) {
    const std::string dir = runtime_dir();
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
        error = errno_text(("cannot create " + dir).c_str());
        return false;
    }
    struct stat st{};
    if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        error = dir + " is not a folder";
        return false;
    }
    if (st.st_uid != getuid() || (st.st_mode & 0077) != 0) {
        error = dir + " belongs to another user or is open to others; refusing to use it";
        return false;
    }
    return true;
}

std::string default_socket_path(uint64_t pid) { return runtime_dir() + "/" + std::to_string(pid) + ".sock"; }

std::string make_token() {
    const Uuid a = make_random_uuid();
    static const char* digits = "0123456789abcdef";
    std::string token;
    for (uint8_t byte : a) {
        token += digits[byte >> 4];
        token += digits[byte & 15];
    }
    return token;
}

bool write_discovery(Discovery& info, std::string& error) {
    if (!create_runtime_dir(error)) return false;
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    w.Key("protocol"); w.Int(info.protocol);
    w.Key("pid"); w.Uint64(info.pid);
    w.Key("exe"); w.String(info.exe.c_str(), static_cast<rapidjson::SizeType>(info.exe.size()));
    w.Key("start_time_ns"); w.Uint64(info.start_time_ns);
    w.Key("address"); w.String(info.address.c_str(), static_cast<rapidjson::SizeType>(info.address.size()));
    w.Key("token"); w.String(info.token.c_str(), static_cast<rapidjson::SizeType>(info.token.size()));
    w.EndObject();

    info.file = runtime_dir() + "/" + std::to_string(info.pid) + ".json";
    const std::string temp = info.file + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = errno_text(("cannot write " + temp).c_str());
        return false;
    }
    const bool ok = ::write(fd, buffer.GetString(), buffer.GetSize()) == static_cast<ssize_t>(buffer.GetSize());
    ::close(fd);
    if (!ok || ::rename(temp.c_str(), info.file.c_str()) != 0) {
        error = errno_text(("cannot write " + info.file).c_str());
        ::unlink(temp.c_str());
        return false;
    }
    return true;
}

void remove_discovery(const Discovery& info) {
    if (!info.file.empty()) ::unlink(info.file.c_str());
}

std::optional<Discovery> parse_discovery(std::string_view json, std::string& error) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError() || !doc.IsObject()) {
        error = "not a JSON object";
        return std::nullopt;
    }
    Discovery info;
    auto text = [&](const char* key, std::string& out) {
        auto it = doc.FindMember(key);
        if (it != doc.MemberEnd() && it->value.IsString()) out = it->value.GetString();
    };
    auto number = [&](const char* key, uint64_t& out) {
        auto it = doc.FindMember(key);
        if (it != doc.MemberEnd() && it->value.IsUint64()) out = it->value.GetUint64();
    };
    uint64_t protocol = 0;
    number("protocol", protocol);
    number("pid", info.pid);
    number("start_time_ns", info.start_time_ns);
    text("exe", info.exe);
    text("address", info.address);
    text("token", info.token);
    info.protocol = static_cast<int>(std::min<uint64_t>(protocol, 1000));
    if (info.pid == 0 || info.address.empty()) {
        error = "missing pid or address";
        return std::nullopt;
    }
    return info;
}

std::vector<Discovery> list_discovered() {
    std::vector<Discovery> found;
    const std::string dir = runtime_dir();
    DIR* d = ::opendir(dir.c_str());
    if (!d) return found;
    while (dirent* entry = ::readdir(d)) {
        const std::string name = entry->d_name;
        if (name.size() < 6 || !name.ends_with(".json")) continue;
        const std::string path = dir + "/" + name;
        std::ifstream in(path, std::ios::binary);
        std::string json(4096, '\0');
        in.read(json.data(), static_cast<std::streamsize>(json.size()));
        json.resize(static_cast<size_t>(in.gcount()));
        std::string error;
        auto info = parse_discovery(json, error);
        if (!info) continue;
        if (::kill(static_cast<pid_t>(info->pid), 0) != 0 && errno == ESRCH) continue; // stale
        info->file = path;
        found.push_back(std::move(*info));
    }
    ::closedir(d);
    std::sort(found.begin(), found.end(),
              [](const Discovery& a, const Discovery& b) { return a.start_time_ns > b.start_time_ns; });
    return found;
}

int listen_on(const Address& address, std::string& error, Address* bound) {
    if (address.kind == Address::Kind::Unix) {
        if (address.path.rfind(runtime_dir(), 0) == 0 && !create_runtime_dir(error)) return -1;
        const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            error = errno_text("socket");
            return -1;
        }
        sockaddr_un sa{};
        sa.sun_family = AF_UNIX;
        std::strncpy(sa.sun_path, address.path.c_str(), sizeof sa.sun_path - 1);
        ::unlink(address.path.c_str()); // a stale socket of a crashed process with our pid
        // Created with no permission for others from the start, then fixed to exactly 0600.
        const mode_t old_mask = ::umask(0177);
        const int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        ::umask(old_mask);
        if (rc != 0 || ::chmod(address.path.c_str(), 0600) != 0 || ::listen(fd, 4) != 0) {
            error = errno_text(("cannot listen on " + address.path).c_str());
            ::close(fd);
            return -1;
        }
        if (bound) *bound = address;
        return fd;
    }
    const bool v6 = address.host == "::1";
    const int fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = errno_text("socket");
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    int rc;
    if (v6) {
        sockaddr_in6 sa{};
        sa.sin6_family = AF_INET6;
        sa.sin6_port = htons(address.port);
        sa.sin6_addr = in6addr_loopback;
        rc = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    } else {
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(address.port);
        const std::string host = address.host == "localhost" ? "127.0.0.1" : address.host;
        inet_pton(AF_INET, host.c_str(), &sa.sin_addr);
        rc = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    }
    if (rc != 0 || ::listen(fd, 4) != 0) {
        error = errno_text(("cannot listen on " + address.to_string()).c_str());
        ::close(fd);
        return -1;
    }
    if (bound) {
        *bound = address;
        sockaddr_storage ss{};
        socklen_t len = sizeof ss;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0)
            bound->port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                   : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    }
    return fd;
}

int connect_to(const Address& address, int timeout_ms, std::string& error) {
    int fd = -1;
    int rc = -1;
    if (address.kind == Address::Kind::Unix) {
        fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un sa{};
        sa.sun_family = AF_UNIX;
        std::strncpy(sa.sun_path, address.path.c_str(), sizeof sa.sun_path - 1);
        if (fd >= 0) rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    } else {
        const bool v6 = address.host == "::1";
        fd = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd >= 0 && v6) {
            sockaddr_in6 sa{};
            sa.sin6_family = AF_INET6;
            sa.sin6_port = htons(address.port);
            sa.sin6_addr = in6addr_loopback;
            rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        } else if (fd >= 0) {
            sockaddr_in sa{};
            sa.sin_family = AF_INET;
            sa.sin_port = htons(address.port);
            const std::string host = address.host == "localhost" ? "127.0.0.1" : address.host;
            inet_pton(AF_INET, host.c_str(), &sa.sin_addr);
            rc = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
        }
    }
    if (fd < 0) {
        error = errno_text("socket");
        return -1;
    }
    if (rc != 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        if (::poll(&p, 1, timeout_ms) == 1) {
            int so_error = 0;
            socklen_t len = sizeof so_error;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
            rc = so_error == 0 ? 0 : -1;
            errno = so_error;
        } else {
            errno = ETIMEDOUT;
        }
    }
    if (rc != 0) {
        error = errno_text(("cannot connect to " + address.to_string()).c_str());
        ::close(fd);
        return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    if (address.kind == Address::Kind::Tcp) {
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

bool is_unix_socket(int fd) {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    return ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0 && ss.ss_family == AF_UNIX;
}

bool peer_is_same_user(int fd) {
    if (!is_unix_socket(fd)) return true;
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
    return cred.uid == ::getuid();
}

bool read_exact(int fd, std::span<uint8_t> bytes, int timeout_ms, std::string& error) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    size_t done = 0;
    while (done < bytes.size()) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, remaining_ms(deadline));
        if (ready == 0) {
            error = "timed out after " + std::to_string(timeout_ms) + " ms";
            return false;
        }
        if (ready < 0) {
            if (errno == EINTR) continue;
            error = errno_text("poll");
            return false;
        }
        const ssize_t n = ::recv(fd, bytes.data() + done, bytes.size() - done, 0);
        if (n == 0) {
            error = "connection closed by the peer";
            return false;
        }
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            error = errno_text("recv");
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

bool write_all(int fd, std::span<const uint8_t> bytes, int timeout_ms, std::string& error) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    size_t done = 0;
    while (done < bytes.size()) {
        pollfd p{fd, POLLOUT, 0};
        const int ready = ::poll(&p, 1, remaining_ms(deadline));
        if (ready == 0) {
            error = "the peer stopped reading (timed out after " + std::to_string(timeout_ms) + " ms)";
            return false;
        }
        if (ready < 0) {
            if (errno == EINTR) continue;
            error = errno_text("poll");
            return false;
        }
        const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            error = errno_text("send");
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return true;
}

} // namespace weft::format::live
