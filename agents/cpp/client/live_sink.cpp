// Live serving for weft_client: the live sink, the tee that combines it with a file, and the
// choice of sinks from Options and the environment.

#include "weft/detail/live_sink.h"

#include "weft/detail/session.h"
#include "format/framing.h"
#include "format/record_codec.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

namespace weft::client {

namespace detail {

namespace {

uint32_t frame_body_size(const uint8_t* header) {
    return static_cast<uint32_t>(header[8]) | static_cast<uint32_t>(header[9]) << 8 |
           static_cast<uint32_t>(header[10]) << 16 | static_cast<uint32_t>(header[11]) << 24;
}

size_t flight_recorder_from_env(size_t fallback) {
    const char* v = std::getenv("WEFT_FLIGHT_RECORDER_MB");
    if (!v || !*v) return fallback;
    char* end = nullptr;
    const double mb = std::strtod(v, &end);
    // Bounded on both sides: at least one block must fit, and a typo must not reserve the machine.
    if (!end || *end != '\0' || !(mb > 0) || mb > 64 * 1024) return fallback;
    return static_cast<size_t>(mb * 1024 * 1024);
}

std::string default_trace_path() {
    std::string exe = executable_path();
    const size_t slash = exe.rfind('/');
    exe = slash == std::string::npos ? exe : exe.substr(slash + 1);
    return (exe.empty() ? std::string("weft") : exe) + "-" + std::to_string(getpid()) + ".weft";
}

class TeeSink final : public Sink {
public:
    explicit TeeSink(std::vector<std::unique_ptr<Sink>> sinks) : m_sinks(std::move(sinks)) {}
    void write_process_info(const format::ProcessInfo& info) override {
        for (auto& s : m_sinks) s->write_process_info(info);
    }
    void write_stream_info(const format::StreamInfo& info) override {
        for (auto& s : m_sinks) s->write_stream_info(info);
    }
    void write(std::span<const uint8_t> framed_records) override {
        for (auto& s : m_sinks) s->write(framed_records);
    }
    void flush() override {
        for (auto& s : m_sinks) s->flush();
    }
    void close() override {
        for (auto& s : m_sinks) s->close();
    }
    bool ok() const override {
        for (auto& s : m_sinks)
            if (!s->ok()) return false;
        return true;
    }

private:
    std::vector<std::unique_ptr<Sink>> m_sinks;
};

} // namespace

bool LiveSink::start(const std::string& address, size_t flight_recorder_bytes, std::string& error) {
    const uint64_t pid = static_cast<uint64_t>(getpid());
    auto parsed = format::live::parse_address(address, pid, error);
    if (!parsed) return false;
    format::live::LiveServer::Options options;
    options.address = *parsed;
    options.flight_recorder_bytes = flight_recorder_bytes;
    options.exe = executable_path();
    options.pid = pid;
    options.start_time_ns = unix_time_ns();
    return m_server.start(options, error);
}

void LiveSink::write_process_info(const format::ProcessInfo& info) {
    m_server.set_process_info(format::frame_process_info(info));
}

void LiveSink::write_stream_info(const format::StreamInfo& info) {
    m_server.add_stream(format::frame_stream_info(info));
}

void LiveSink::write(std::span<const uint8_t> framed_records) {
    // One flight-recorder entry per record, so eviction drops whole blocks, oldest first.
    while (framed_records.size() >= format::kFrameHeaderSize) {
        const size_t size = format::kFrameHeaderSize + frame_body_size(framed_records.data());
        if (size > framed_records.size()) break;
        m_server.publish(std::vector<uint8_t>(framed_records.begin(), framed_records.begin() + size));
        framed_records = framed_records.subspan(size);
    }
    if (!framed_records.empty()) // not whole frames: pass on as they are rather than lose them
        m_server.publish(std::vector<uint8_t>(framed_records.begin(), framed_records.end()));
}

void LiveSink::close() {
    if (m_closed) return;
    m_closed = true;
    m_server.stop();
}

std::string requested_listen_address(const Options& options) {
    std::string listen = options.listen;
    if (listen.empty())
        if (const char* env = std::getenv("WEFT_LISTEN")) listen = env;
    if (listen == "off" || listen == "0" || listen == "none") listen.clear();
    return listen;
}

SinkSetup open_sinks(Options& options, std::string& error) {
    SinkSetup setup;
    const std::string listen = requested_listen_address(options);
    std::vector<std::unique_ptr<Sink>> sinks;
    if (options.sink) {
        sinks.push_back(std::move(options.sink));
    } else {
        std::string path = options.output;
        if (path.empty())
            if (const char* env = std::getenv("WEFT_OUTPUT")) path = env;
        if (path.empty() && listen.empty()) path = default_trace_path();
        if (!path.empty()) {
            auto file = make_file_sink(path, &error);
            if (!file) return setup;
            sinks.push_back(std::move(file));
        }
    }
    if (!listen.empty()) {
        const size_t bytes = options.flight_recorder_bytes ? options.flight_recorder_bytes
                                                           : flight_recorder_from_env(size_t{64} << 20);
        auto live = std::make_unique<LiveSink>();
        std::string live_error;
        if (live->start(listen, bytes, live_error)) {
            setup.live = live.get();
            sinks.push_back(std::move(live));
        } else {
            // The program keeps running; what was asked for and why it failed goes where a user
            // who set WEFT_LISTEN will look.
            std::fprintf(stderr, "weft_client: not serving live on '%s': %s\n", listen.c_str(), live_error.c_str());
            if (sinks.empty()) {
                error = live_error;
                return setup;
            }
        }
    }
    if (sinks.size() == 1) setup.sink = std::move(sinks.front());
    else setup.sink = make_tee_sink(std::move(sinks));
    return setup;
}

} // namespace detail

std::unique_ptr<Sink> make_live_sink(const std::string& address, size_t flight_recorder_bytes, std::string* error) {
    auto sink = std::make_unique<detail::LiveSink>();
    std::string message;
    if (!sink->start(address, flight_recorder_bytes, message)) {
        if (error) *error = message;
        return nullptr;
    }
    return sink;
}

bool serves_live(const Options& options) { return !detail::requested_listen_address(options).empty(); }

std::unique_ptr<Sink> make_tee_sink(std::vector<std::unique_ptr<Sink>> sinks) {
    std::erase(sinks, nullptr);
    return std::make_unique<detail::TeeSink>(std::move(sinks));
}

} // namespace weft::client
