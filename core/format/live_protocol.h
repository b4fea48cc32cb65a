#pragma once
// The live protocol's building blocks (docs/FORMAT.md, "Live protocol"): addresses, discovery files,
// the handshake, and socket set-up. Shared by producers (which serve) and the viewer (which attaches).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace weft::format::live {

inline constexpr uint8_t kMagic[8] = {'W', 'E', 'F', 'T', 'L', 'I', 'V', 'E'};
inline constexpr uint16_t kProtocolMajor = 1;
inline constexpr uint16_t kProtocolMinor = 0;
inline constexpr size_t kMaxToken = 64;
inline constexpr size_t kMaxMessage = 512;
inline constexpr size_t kHelloFixedSize = 14;
inline constexpr size_t kAnswerFixedSize = 16;
inline constexpr int kHandshakeTimeoutMs = 5000;

enum class Status : uint8_t { Accepted = 0, UnsupportedVersion = 1, WrongToken = 2, Busy = 3, NotAllowed = 4 };
std::string_view to_string(Status status);

struct Hello {
    uint16_t major = kProtocolMajor;
    uint16_t minor = kProtocolMinor;
    std::string token;
};

struct Answer {
    uint16_t major = kProtocolMajor;
    uint16_t minor = kProtocolMinor;
    Status status = Status::Accepted;
    std::string message;
};

std::vector<uint8_t> encode_hello(const Hello& hello);
std::vector<uint8_t> encode_answer(const Answer& answer);

enum class Parse { NeedMore, Done, Error };
// Parse from the start of `bytes`; on Done, `consumed` is the message size. Lengths are checked
// against kMaxToken / kMaxMessage before anything is read, so a peer can't make us wait or allocate.
Parse parse_hello(std::span<const uint8_t> bytes, Hello& out, size_t& consumed, std::string& error);
Parse parse_answer(std::span<const uint8_t> bytes, Answer& out, size_t& consumed, std::string& error);

struct Address {
    enum class Kind { Unix, Tcp };
    Kind kind = Kind::Unix;
    std::string path; // Unix
    std::string host; // Tcp: a loopback address
    uint16_t port = 0;
    std::string to_string() const; // "unix:/path" or "tcp:127.0.0.1:7878"
};

// Accepts "unix", "unix:/path", "tcp:HOST:PORT" (HOST must be loopback: 127.x.x.x, ::1, localhost).
// "unix" alone means the default socket of process `pid`.
std::optional<Address> parse_address(std::string_view text, uint64_t pid, std::string& error);

// $XDG_RUNTIME_DIR/weft, or /tmp/weft-<uid> when unset. create_runtime_dir() makes it with mode 0700
// and refuses a folder owned by someone else or open to others.
std::string runtime_dir();
bool create_runtime_dir(std::string& error);
std::string default_socket_path(uint64_t pid);

struct Discovery {
    int protocol = kProtocolMajor;
    uint64_t pid = 0;
    std::string exe;
    uint64_t start_time_ns = 0;
    std::string address;
    std::string token;
    std::string file; // where it was read from / written to
};

std::string make_token(); // 32 random hex digits
// Writes <runtime>/weft/<pid>.json with mode 0600 (write to a temporary name, then rename).
bool write_discovery(Discovery& info, std::string& error);
void remove_discovery(const Discovery& info);
std::optional<Discovery> parse_discovery(std::string_view json, std::string& error);
// Every readable, well-formed discovery file whose process is still alive, newest first.
std::vector<Discovery> list_discovered();

// Sockets. Each returns a file descriptor (close-on-exec) or -1 with `error` set.
int listen_on(const Address& address, std::string& error, Address* bound = nullptr);
int connect_to(const Address& address, int timeout_ms, std::string& error);
bool peer_is_same_user(int fd); // Unix sockets: SO_PEERCRED uid == getuid(); true for TCP
bool is_unix_socket(int fd);

// Reads exactly bytes.size() bytes, or fails after timeout_ms of total waiting.
bool read_exact(int fd, std::span<uint8_t> bytes, int timeout_ms, std::string& error);
// Writes everything, waiting at most timeout_ms in total.
bool write_all(int fd, std::span<const uint8_t> bytes, int timeout_ms, std::string& error);

} // namespace weft::format::live
