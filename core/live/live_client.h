#pragma once
// Attaching to a live producer: find it, connect, shake hands, then receive framed records until the
// producer exits, the user detaches or the peer misbehaves. Qt-free: used by weft-cli and the viewer.

#include "format/framing.h"
#include "format/live_protocol.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

namespace weft::live {

struct AttachTarget {
    format::live::Address address;
    std::string token;
    uint64_t pid = 0; // 0 when unknown (a manual address)
    std::string exe;
};

// `spec` is a pid, "unix:PATH", "tcp:HOST:PORT", or a discovery file path. The token comes from
// `token` when given, else from the discovery file that matches.
std::optional<AttachTarget> resolve_target(std::string_view spec, std::string_view token, std::string& error);

class LiveClient {
public:
    LiveClient() = default;
    ~LiveClient();
    LiveClient(const LiveClient&) = delete;
    LiveClient& operator=(const LiveClient&) = delete;

    // Connects and performs the handshake; on refusal `error` carries the producer's reason.
    bool attach(const AttachTarget& target, std::string& error, int timeout_ms = 5000);

    struct End {
        enum class Reason { PeerClosed, Stopped, Error } reason = Reason::PeerClosed;
        std::string message;
    };
    // Receives until the end. For each intact record: `on_record(record, framed)` where framed is
    // the whole frame (header + body) as received, ready to be appended to a .weft file.
    // A damaged or oversized frame ends the session with Reason::Error (what was received stays valid).
    using RecordHandler = std::function<void(const format::RecordView& record, std::span<const uint8_t> framed)>;
    End run(const RecordHandler& on_record);

    // Thread-safe: makes run() return Reason::Stopped soon.
    void stop();

    uint64_t bytes_received() const { return m_bytes.load(std::memory_order_relaxed); }
    uint64_t records_received() const { return m_records.load(std::memory_order_relaxed); }

private:
    int m_fd = -1;
    int m_wake = -1;
    std::atomic<bool> m_stop{false};
    std::atomic<uint64_t> m_bytes{0};
    std::atomic<uint64_t> m_records{0};
};

} // namespace weft::live
