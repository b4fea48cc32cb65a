#pragma once
// Internal: the sink that serves a session live through format::live::LiveServer, and the choice
// of sinks init() makes from Options and the environment (file, live, or both).
//
// Threading: the Sink calls come from the writer thread only; LiveServer copies each record into
// its flight recorder under a short lock and sends from its own thread, so neither application
// threads nor the writer ever wait for a viewer.

#include "weft/client.h"
#include "weft/sink.h"
#include "format/live_server.h"

#include <memory>
#include <string>
#include <vector>

namespace weft::client::detail {

class LiveSink final : public Sink {
public:
    // Starts listening and writes the discovery file.
    bool start(const std::string& address, size_t flight_recorder_bytes, std::string& error);

    void write_process_info(const format::ProcessInfo& info) override;
    void write_stream_info(const format::StreamInfo& info) override;
    void write(std::span<const uint8_t> framed_records) override;
    void close() override; // final send to an attached viewer, then socket and discovery file go

    std::string address() const { return m_server.address().to_string(); }
    const format::live::Discovery& discovery() const { return m_server.discovery(); }
    format::live::LiveServer::Stats server_stats() const { return m_server.stats(); }

private:
    format::live::LiveServer m_server;
    bool m_closed = false;
};

// What init() records to. `live` points into the returned sink when serving, else nullptr.
struct SinkSetup {
    std::unique_ptr<Sink> sink;
    LiveSink* live = nullptr;
};

// Resolves Options::output / sink / listen / flight_recorder_bytes and their environment variables
// (WEFT_OUTPUT, WEFT_LISTEN, WEFT_FLIGHT_RECORDER_MB). A failure to listen is reported on stderr and
// recording goes on to the other sinks, if any; returns no sink when nothing can be recorded.
SinkSetup open_sinks(Options& options, std::string& error);

// The listen address an Options/environment pair asks for ("" when off).
std::string requested_listen_address(const Options& options);

} // namespace weft::client::detail
