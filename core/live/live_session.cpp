#include "live/live_session.h"

#include "format/framing.h"
#include "format/record_codec.h"
#include "model/model_builder.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>
#include <unistd.h>

namespace weft::live {

std::string_view to_string(LiveEnd::Reason reason) {
    switch (reason) {
    case LiveEnd::Reason::ProducerExited: return "producer exited";
    case LiveEnd::Reason::Detached: return "detached";
    case LiveEnd::Reason::Refused: return "could not attach";
    case LiveEnd::Reason::BadData: return "bad data";
    case LiveEnd::Reason::CaptureFailed: return "capture failed";
    }
    return "ended";
}

namespace {

using Clock = std::chrono::steady_clock;

// The temporary capture: a .weft file that only grows by whole records. TraceWriter would do the
// writing, but "Save capture" needs a flushed prefix while records keep coming, hence a plain FILE*.
class CaptureFile {
public:
    ~CaptureFile() { discard(); }

    bool create(const std::string& dir, std::string& error) {
        std::error_code ec;
        const std::filesystem::path base = dir.empty() ? std::filesystem::temp_directory_path(ec) : std::filesystem::path(dir);
        if (ec) {
            error = "no temporary folder for the capture: " + ec.message();
            return false;
        }
        std::random_device random;
        for (int attempt = 0; attempt < 8; ++attempt) {
            char name[96];
            std::snprintf(name, sizeof name, "weft-capture-%ld-%08x.weft", static_cast<long>(::getpid()),
                          static_cast<unsigned>(random()));
            const std::filesystem::path path = base / name;
            // O_EXCL: never write through a name someone else prepared; 0600: the trace is private.
            const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd < 0) {
                if (errno == EEXIST) continue;
                error = "cannot create the capture file in " + base.string() + ": " + std::strerror(errno);
                return false;
            }
            m_file = ::fdopen(fd, "wb");
            if (!m_file) {
                ::close(fd);
                error = std::string("cannot open the capture file: ") + std::strerror(errno);
                return false;
            }
            m_path = path.string();
            std::vector<uint8_t> header;
            // The capture holds whatever the producer sends: say every kind this reader knows.
            format::append_file_header(header, format::kMinorVersion);
            return append(header, error);
        }
        error = "cannot find a free name for the capture file in " + base.string();
        return false;
    }

    bool append(std::span<const uint8_t> bytes, std::string& error) {
        if (!m_file) return false;
        if (std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size()) {
            error = "cannot write the capture file " + m_path + ": " + std::strerror(errno);
            return false;
        }
        m_size += bytes.size();
        return true;
    }

    // Bytes that are on disk and end on a record boundary.
    uint64_t flush() {
        if (m_file) std::fflush(m_file);
        return m_size;
    }

    void discard() {
        if (m_file) std::fclose(m_file);
        m_file = nullptr;
        if (!m_path.empty()) {
            std::error_code ec;
            std::filesystem::remove(m_path, ec);
            m_path.clear();
        }
    }

    const std::string& path() const { return m_path; }

private:
    std::FILE* m_file = nullptr;
    std::string m_path;
    uint64_t m_size = 0;
};

// LiveClient reports transport failures and bad frames alike as Reason::Error; the user cares
// which of the two it was.
bool is_transport_failure(const std::string& message) {
    return message.starts_with("connection lost") || message.starts_with("poll") ||
           message.find("in the middle of a record") != std::string::npos;
}

} // namespace

struct LiveSession::Impl {
    Options options;
    SnapshotHandler on_snapshot;
    EndHandler on_end;
    AttachedHandler on_attached;

    LiveClient client;
    std::thread receiver;
    std::thread publisher;

    // Guards the builder: fed by the receiver, snapshotted by the publisher.
    std::mutex builder_mutex;
    ModelBuilder builder;

    mutable std::mutex capture_mutex;
    CaptureFile capture;
    std::string capture_path;

    mutable std::mutex stats_mutex;
    CaptureStats stats;
    LiveCounters counters;

    // Publisher state.
    std::mutex mutex;
    std::condition_variable wake;
    bool quit = false;
    bool dirty = false;       // records arrived since the last snapshot
    bool paused = false;
    bool kick = false;        // publish now (resumed, ended)
    bool end_pending = false; // the receiver ended; report after the last snapshot
    bool running = false;     // attach succeeded and run() may be stopped
    bool detach_requested = false;
    LiveEnd end;

    void receive(const AttachTarget& target);
    void ingest(const format::RecordView& record, std::span<const uint8_t> framed,
                format::BlockDecoder& decoder, format::DecodedBlock& block);
    void finish(LiveEnd how);
    void publish_loop();
};

void LiveSession::Impl::receive(const AttachTarget& target) {
    std::string error;
    if (!client.attach(target, error)) {
        finish({LiveEnd::Reason::Refused, error});
        return;
    }
    {
        std::unique_lock lock(mutex);
        if (detach_requested) {
            lock.unlock();
            finish({LiveEnd::Reason::Detached, "detached"});
            return;
        }
        running = true;
    }
    {
        std::lock_guard lock(stats_mutex);
        counters.attached = true;
    }
    if (on_attached) on_attached();
    format::BlockDecoder decoder;
    format::DecodedBlock block;
    bool capture_failed = false;
    std::string capture_error;
    const LiveClient::End end_of_run =
        client.run([&](const format::RecordView& record, std::span<const uint8_t> framed) {
            {
                std::lock_guard lock(capture_mutex);
                if (!capture_failed && !capture.append(framed, capture_error)) {
                    capture_failed = true;
                    client.stop();
                }
            }
            ingest(record, framed, decoder, block);
        });
    {
        std::lock_guard lock(mutex);
        running = false;
    }
    LiveEnd how;
    if (capture_failed) {
        how = {LiveEnd::Reason::CaptureFailed, capture_error};
    } else {
        switch (end_of_run.reason) {
        case LiveClient::End::Reason::PeerClosed:
            how = {LiveEnd::Reason::ProducerExited, "the process ended the connection (it exited or stopped serving)"};
            break;
        case LiveClient::End::Reason::Stopped: how = {LiveEnd::Reason::Detached, "detached"}; break;
        case LiveClient::End::Reason::Error:
            how = {is_transport_failure(end_of_run.message) ? LiveEnd::Reason::ProducerExited : LiveEnd::Reason::BadData,
                   end_of_run.message};
            break;
        }
    }
    finish(std::move(how));
}

void LiveSession::Impl::ingest(const format::RecordView& record, std::span<const uint8_t> framed,
                               format::BlockDecoder& decoder, format::DecodedBlock& block) {
    {
        std::lock_guard lock(stats_mutex);
        stats.on_record(record);
        counters.bytes += framed.size();
    }
    bool fed = false;
    bool bad = false;
    switch (static_cast<format::RecordKind>(record.kind)) {
    case format::RecordKind::ProcessInfo: {
        auto decoded = format::decode_process_info(record.body, record.offset);
        if (auto* info = std::get_if<format::ProcessInfo>(&decoded)) {
            std::lock_guard lock(builder_mutex);
            builder.on_process(*info);
            fed = true;
        } else {
            bad = true;
        }
        break;
    }
    case format::RecordKind::StreamInfo: {
        auto decoded = format::decode_stream_info(record.body, record.offset);
        if (auto* info = std::get_if<format::StreamInfo>(&decoded)) {
            std::lock_guard lock(builder_mutex);
            builder.on_stream(*info);
            fed = true;
        } else {
            bad = true;
        }
        break;
    }
    case format::RecordKind::Block:
        // Decompress and decode outside the builder's lock: only the append is serialized.
        if (decoder.decode(record.body, record.offset, block).ok()) {
            std::lock_guard lock(builder_mutex);
            builder.on_block(block);
            fed = true;
        } else {
            bad = true;
        }
        break;
    default: break; // a newer record kind: kept in the capture, skipped here
    }
    if (bad) {
        std::lock_guard lock(stats_mutex);
        ++counters.bad_records;
    }
    if (fed) {
        std::lock_guard lock(mutex);
        if (!dirty) {
            dirty = true;
            wake.notify_all();
        }
    }
}

void LiveSession::Impl::finish(LiveEnd how) {
    {
        std::lock_guard lock(stats_mutex);
        counters.ended = true;
        counters.attached = false;
    }
    std::lock_guard lock(mutex);
    end = std::move(how);
    end_pending = true;
    wake.notify_all();
}

void LiveSession::Impl::publish_loop() {
    Clock::time_point next = Clock::now();
    std::unique_lock lock(mutex);
    while (true) {
        wake.wait(lock, [&] { return quit || end_pending || kick || (dirty && !paused); });
        if (quit) return;
        // Keep to the interval unless something asks for an immediate snapshot.
        if (!end_pending && !kick)
            wake.wait_until(lock, next, [&] { return quit || end_pending || kick; });
        if (quit) return;
        kick = false;
        const bool publish = dirty && !paused;
        if (publish) dirty = false;
        lock.unlock();

        if (publish) {
            const Clock::time_point begin = Clock::now();
            std::shared_ptr<const Model> model;
            {
                std::lock_guard builder_lock(builder_mutex);
                model = builder.snapshot();
            }
            const Clock::time_point done = Clock::now();
            const auto took = std::chrono::duration_cast<std::chrono::microseconds>(done - begin);
            {
                std::lock_guard stats_lock(stats_mutex);
                ++counters.snapshots;
                counters.last_snapshot_ms = static_cast<double>(took.count()) / 1000.0;
            }
            if (on_snapshot && model) on_snapshot(std::move(model));
            // Wait so that snapshot time / (snapshot time + wait) <= max_duty.
            const double duty = std::clamp(options.max_duty, 0.01, 1.0);
            const auto adaptive = std::chrono::duration_cast<std::chrono::milliseconds>(took * ((1.0 - duty) / duty));
            next = done + std::clamp<std::chrono::milliseconds>(std::max(options.min_interval, adaptive),
                                                                options.min_interval, options.max_interval);
        }

        lock.lock();
        if (end_pending && (paused || !dirty)) {
            end_pending = false;
            const LiveEnd ended = end;
            lock.unlock();
            if (on_end) on_end(ended);
            lock.lock();
        }
    }
}

LiveSession::LiveSession() : LiveSession(Options{}) {}

LiveSession::LiveSession(Options options) : m_impl(std::make_unique<Impl>()) { m_impl->options = std::move(options); }

LiveSession::~LiveSession() {
    detach();
    if (m_impl->receiver.joinable()) m_impl->receiver.join();
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->quit = true;
        m_impl->wake.notify_all();
    }
    if (m_impl->publisher.joinable()) m_impl->publisher.join();
    std::lock_guard lock(m_impl->capture_mutex);
    m_impl->capture.discard();
}

void LiveSession::on_snapshot(SnapshotHandler handler) { m_impl->on_snapshot = std::move(handler); }
void LiveSession::on_end(EndHandler handler) { m_impl->on_end = std::move(handler); }
void LiveSession::on_attached(AttachedHandler handler) { m_impl->on_attached = std::move(handler); }

bool LiveSession::start(const AttachTarget& target, std::string& error) {
    if (m_impl->receiver.joinable()) {
        error = "this session has already started";
        return false;
    }
    m_target = target;
    {
        std::lock_guard lock(m_impl->capture_mutex);
        if (!m_impl->capture.create(m_impl->options.capture_dir, error)) return false;
        m_impl->capture_path = m_impl->capture.path();
    }
    Impl* impl = m_impl.get();
    impl->publisher = std::thread([impl] { impl->publish_loop(); });
    impl->receiver = std::thread([impl, target] { impl->receive(target); });
    return true;
}

void LiveSession::set_paused(bool paused) {
    std::lock_guard lock(m_impl->mutex);
    if (m_impl->paused == paused) return;
    m_impl->paused = paused;
    if (!paused) m_impl->kick = true;
    m_impl->wake.notify_all();
}

bool LiveSession::paused() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->paused;
}

void LiveSession::detach() {
    // Stop only a client whose attach() has returned: before that its wake-up descriptor is being
    // set up on the receiver thread. A detach during attach is noticed right after it.
    std::lock_guard lock(m_impl->mutex);
    m_impl->detach_requested = true;
    if (m_impl->running) m_impl->client.stop();
}

std::string LiveSession::capture_path() const {
    std::lock_guard lock(m_impl->capture_mutex);
    return m_impl->capture_path;
}

bool LiveSession::save_capture(const std::string& path, std::string& error) const {
    uint64_t size = 0;
    std::string source;
    {
        std::lock_guard lock(m_impl->capture_mutex);
        if (m_impl->capture_path.empty()) {
            error = "nothing has been captured";
            return false;
        }
        size = m_impl->capture.flush();
        source = m_impl->capture_path;
    }
    std::error_code ec;
    if (std::filesystem::equivalent(source, path, ec)) {
        error = "cannot save the capture onto itself";
        return false;
    }
    // The capture only grows by whole records, so its first `size` bytes are a complete .weft file
    // whatever arrives meanwhile: copy them without holding the receiver up.
    std::FILE* in = std::fopen(source.c_str(), "rb");
    if (!in) {
        error = "cannot read the capture " + source + ": " + std::strerror(errno);
        return false;
    }
    std::FILE* out = std::fopen(path.c_str(), "wb");
    if (!out) {
        error = "cannot create " + path + ": " + std::strerror(errno);
        std::fclose(in);
        return false;
    }
    std::vector<char> buffer(1u << 20);
    uint64_t left = size;
    bool ok = true;
    while (left > 0 && ok) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(left, buffer.size()));
        const size_t got = std::fread(buffer.data(), 1, want, in);
        if (got != want) {
            error = "the capture " + source + " is shorter than expected";
            ok = false;
        } else if (std::fwrite(buffer.data(), 1, got, out) != got) {
            error = "cannot write " + path + ": " + std::strerror(errno);
            ok = false;
        }
        left -= got;
    }
    std::fclose(in);
    if (std::fclose(out) != 0 && ok) {
        error = "cannot write " + path + ": " + std::strerror(errno);
        ok = false;
    }
    if (!ok) std::filesystem::remove(path, ec);
    return ok;
}

LiveCounters LiveSession::counters() const {
    std::lock_guard lock(m_impl->stats_mutex);
    LiveCounters c = m_impl->counters;
    c.records = m_impl->stats.records();
    c.blocks = m_impl->stats.blocks();
    c.events = m_impl->stats.events();
    c.lost_events = m_impl->stats.lost_events();
    return c;
}

} // namespace weft::live
