#pragma once
// Internal: one recording session (init() .. shutdown()). Not part of the public API.
//
// Ownership and threads:
// - Buffers come from a pool allocated by init(); each registered thread owns one at a time.
// - A full buffer (or the last one of an exiting thread) is handed to the writer through `m_full`,
//   under `m_mutex`. That lock is taken once per buffer of thousands of events, at thread
//   registration and at thread exit, never per event.
// - The writer thread alone encodes buffers, returns them to the pool and deletes streams whose
//   thread has exited. It also encodes the committed prefix of buffers still being filled, every
//   flush interval and at shutdown, so quiet and long-lived threads lose nothing.

#include "weft/client.h"
#include "weft/detail/recorder.h"
#include "format/records.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace weft::client::detail {

struct ThreadStream {
    format::Uuid stream_id{};
    uint64_t os_thread_id = 0;
    std::mutex meta_mutex; // name and tags may change while the writer reads them
    std::string name;
    std::vector<std::string> tags;
    Buffer* current = nullptr;   // guarded by Session::m_mutex
    bool exited = false;         // guarded by Session::m_mutex; its last buffer was handed off
    uint32_t queued = 0;         // guarded by Session::m_mutex; its buffers waiting in m_full
    // Writer thread only:
    bool info_written = false;
    uint64_t object_offset = 0;
    size_t stats_index = 0; // into Stats::per_stream
};

struct Handoff {
    ThreadStream* stream = nullptr;
    Buffer* buffer = nullptr;
};

class BlockWriter; // writer_thread.cpp

class Session {
public:
    Session(Options options, std::unique_ptr<Sink> sink, format::ProcessInfo process);
    ~Session();

    void start();
    void stop(); // drains everything, joins the writer, closes the sink

    // Called by application threads (slow path only).
    ThreadStream* register_thread(const std::string& name, const std::vector<std::string>& tags);
    Buffer* take_buffer();                             // nullptr when the pool is empty
    bool pool_empty() const { return m_free_count.load(std::memory_order_relaxed) == 0; }
    void hand_off(ThreadStream* stream, Buffer* full, Buffer* next); // next may be nullptr
    void thread_exit(ThreadStream* stream, Buffer* last);

    Stats stats() const;
    const format::ProcessInfo& process() const { return m_process; }
    size_t buffer_events() const { return m_buffer_events; }

private:
    void run();
    void release_buffer(ThreadStream* stream, Buffer* buffer);

    Options m_options;
    std::unique_ptr<Sink> m_sink;
    format::ProcessInfo m_process;
    size_t m_buffer_events = 0;
    std::unique_ptr<RawEvent[]> m_slots;
    std::unique_ptr<Buffer[]> m_buffers;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    Buffer* m_free = nullptr;
    std::atomic<size_t> m_free_count{0}; // a lock-free hint for threads that are dropping
    std::deque<Handoff> m_full;
    std::vector<std::unique_ptr<ThreadStream>> m_streams;
    bool m_stopping = false;

    std::unique_ptr<BlockWriter> m_writer;
    std::thread m_thread;
};

// The running session (nullptr between sessions).
Session* current_session();

// Process probing helpers (process_probe.cpp).
std::string executable_path();
std::string host_name();
uint64_t os_thread_id();
uint64_t unix_time_ns();
bool tsc_usable(); // invariant TSC present
// Calibrates once per process; returns ticks per second of now_ticks() for the chosen clock.
uint64_t calibrate_clock(bool use_tsc);

} // namespace weft::client::detail
