#pragma once
// Serves a producer's trace to one attached viewer (docs/FORMAT.md, "Live protocol"), keeping a
// flight recorder of recent blocks, bounded in bytes, for whoever attaches next.
//
// Threading: publish()/add_stream()/set_process_info() are called by the producer's writer thread
// (never by application threads) and only take a short lock; one internal thread accepts, checks
// the handshake and sends. A slow viewer never slows the producer: it loses the oldest blocks, which
// shows as a gap in object_offset.

#include "format/live_protocol.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace weft::format::live {

class LiveServer {
public:
    struct Options {
        Address address;                       // where to listen
        size_t flight_recorder_bytes = 64u << 20;
        std::string exe;                        // for the discovery file
        uint64_t pid = 0;
        uint64_t start_time_ns = 0;
        bool write_discovery = true;
        std::string token;                      // empty: a random one
    };

    struct Stats {
        uint64_t blocks_published = 0;
        uint64_t blocks_sent = 0;
        uint64_t blocks_dropped = 0;  // evicted before the attached viewer got them
        uint64_t bytes_sent = 0;
        uint64_t attachments = 0;     // viewers accepted so far
        uint64_t refused = 0;         // peers refused (bad handshake, token, user, busy)
        bool attached = false;
        std::string last_refusal;     // why the last peer was refused
    };

    LiveServer();
    ~LiveServer(); // stop()
    LiveServer(const LiveServer&) = delete;
    LiveServer& operator=(const LiveServer&) = delete;

    bool start(const Options& options, std::string& error);
    void stop(); // disconnects, closes the socket, removes the socket file and the discovery file

    void set_process_info(std::vector<uint8_t> framed_record);
    void add_stream(std::vector<uint8_t> framed_record);
    void publish(std::vector<uint8_t> framed_block);

    const Address& address() const;
    const Discovery& discovery() const;
    Stats stats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace weft::format::live
