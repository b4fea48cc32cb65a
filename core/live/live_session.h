#pragma once
// A live capture from attach to detach, Qt-free: what the viewer runs behind "Attach to process".
//
// Two worker threads per session:
// - the receiver attaches, then for every intact record counts it (CaptureStats), appends its frame
//   to a temporary .weft file (so a long session costs disk, not RAM, and "Save capture" is a copy)
//   and, for blocks, decodes and feeds a ModelBuilder;
// - the publisher takes ModelBuilder::snapshot() now and then and hands it to the consumer. It
//   waits at least `min_interval` between snapshots and, when a snapshot is slow, long enough that
//   snapshot work stays under `max_duty` of the time: a big capture is refreshed less often rather
//   than starving the receiver, which shares the builder's lock.
//
// Handlers run on the worker threads; the consumer marshals them to its own thread. The destructor
// detaches, joins both threads and deletes the temporary capture.

#include "live/capture_stats.h"
#include "live/live_client.h"
#include "model/model.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace weft::live {

struct LiveCounters {
    uint64_t records = 0;
    uint64_t blocks = 0;
    uint64_t events = 0;          // as announced by block headers (nb_objects)
    uint64_t lost_events = 0;     // object_offset gaps: dropped in transit
    uint64_t bad_records = 0;     // records that could not be decoded (counted, skipped)
    uint64_t bytes = 0;           // framed bytes received
    uint64_t snapshots = 0;       // snapshots published
    double last_snapshot_ms = 0;  // how long the last snapshot took
    bool attached = false;        // handshake done, receiving
    bool ended = false;
};

struct LiveEnd {
    enum class Reason {
        ProducerExited, // the producer closed the connection (it exited or stopped serving)
        Detached,       // the user asked
        Refused,        // attach failed: nobody listening, refused handshake, wrong token...
        BadData,        // a damaged frame or an unreadable record ended the session
        CaptureFailed,  // the temporary capture file could not be written
    };
    Reason reason = Reason::ProducerExited;
    std::string message; // one sentence for the user
};

std::string_view to_string(LiveEnd::Reason reason);

class LiveSession {
public:
    struct Options {
        std::chrono::milliseconds min_interval{150}; // between two snapshots
        std::chrono::milliseconds max_interval{5000};
        double max_duty = 0.25;                       // snapshot time / wall time
        std::string capture_dir;                      // empty: the system's temporary folder
    };
    using SnapshotHandler = std::function<void(std::shared_ptr<const Model> model)>;
    using EndHandler = std::function<void(const LiveEnd& end)>;
    using AttachedHandler = std::function<void()>;

    LiveSession();
    explicit LiveSession(Options options);
    ~LiveSession();
    LiveSession(const LiveSession&) = delete;
    LiveSession& operator=(const LiveSession&) = delete;

    // Set before start(). Called on the publisher thread. The end handler comes after the last
    // snapshot of the session (unless paused).
    void on_snapshot(SnapshotHandler handler);
    void on_end(EndHandler handler);
    void on_attached(AttachedHandler handler); // on the receiver thread, once the producer accepted

    // Creates the temporary capture and starts attaching in the background; false (with `error`)
    // only when the capture file cannot be created. Attach failures arrive as LiveEnd::Refused.
    bool start(const AttachTarget& target, std::string& error);

    // Pausing stops publishing snapshots; records keep arriving and are kept. Resuming publishes
    // the current state at once.
    void set_paused(bool paused);
    bool paused() const;

    // Ends the connection (LiveClient::stop); the capture stays available until destruction.
    void detach();

    // Copies what has been captured so far (whole records: a valid .weft file) to `path`. Safe while
    // receiving and after the end. False with `error` on failure.
    bool save_capture(const std::string& path, std::string& error) const;
    std::string capture_path() const;

    LiveCounters counters() const;
    const AttachTarget& target() const { return m_target; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    AttachTarget m_target;
};

} // namespace weft::live
