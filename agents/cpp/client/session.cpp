#include "weft/detail/session.h"

#include "weft/detail/block_writer.h"
#include "format/uuid.h"

#include <algorithm>
#include <chrono>

namespace weft::client::detail {

Session::Session(Options options, std::unique_ptr<Sink> sink, format::ProcessInfo process)
    : m_options(std::move(options)), m_sink(std::move(sink)), m_process(std::move(process)) {
    // Enough room in one buffer for the largest multi-slot event (message or frames) plus a marker.
    m_buffer_events = std::clamp<size_t>(m_options.buffer_events, 64, 1u << 20);
    const size_t count = std::clamp<size_t>(m_options.buffer_count, 2, 1u << 16);
    m_slots = std::make_unique<RawEvent[]>(m_buffer_events * count);
    m_buffers = std::make_unique<Buffer[]>(count);
    for (size_t i = 0; i < count; ++i) {
        Buffer& b = m_buffers[i];
        b.begin = m_slots.get() + i * m_buffer_events;
        b.end = b.begin + m_buffer_events;
        b.next_free = m_free;
        m_free = &b;
    }
    m_free_count.store(count, std::memory_order_relaxed);
    m_writer = std::make_unique<BlockWriter>(*m_sink, m_process, m_options.zstd_level);
}

Session::~Session() { stop(); }

void Session::start() {
    m_sink->write_process_info(m_process);
    m_thread = std::thread([this] { run(); });
}

void Session::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return;
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable()) m_thread.join();
    m_sink->flush();
    m_sink->close();
}

ThreadStream* Session::register_thread(const std::string& name, const std::vector<std::string>& tags) {
    auto stream = std::make_unique<ThreadStream>();
    stream->stream_id = format::make_random_uuid();
    stream->os_thread_id = os_thread_id();
    stream->name = name;
    stream->tags = {"thread"};
    for (const auto& t : tags)
        if (std::find(stream->tags.begin(), stream->tags.end(), t) == stream->tags.end()) stream->tags.push_back(t);
    ThreadStream* raw = stream.get();
    std::lock_guard lock(m_mutex);
    if (m_stopping) return nullptr;
    m_streams.push_back(std::move(stream));
    return raw;
}

Buffer* Session::take_buffer() {
    std::lock_guard lock(m_mutex);
    if (m_stopping || !m_free) return nullptr;
    Buffer* b = m_free;
    m_free = b->next_free;
    m_free_count.fetch_sub(1, std::memory_order_relaxed);
    b->next_free = nullptr;
    b->flushed = b->begin;
    b->committed.store(b->begin, std::memory_order_relaxed);
    return b;
}

void Session::hand_off(ThreadStream* stream, Buffer* full, Buffer* next) {
    {
        std::lock_guard lock(m_mutex);
        if (full) {
            m_full.push_back({stream, full});
            ++stream->queued;
        }
        stream->current = next;
    }
    if (full) m_wake.notify_one();
}

void Session::thread_exit(ThreadStream* stream, Buffer* last) {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return; // the final drain reads the buffer where it is
        if (last) {
            m_full.push_back({stream, last});
            ++stream->queued;
        }
        stream->current = nullptr;
        stream->exited = true;
    }
    m_wake.notify_one();
}

void Session::release_buffer(ThreadStream* stream, Buffer* buffer) {
    std::lock_guard lock(m_mutex);
    --stream->queued;
    buffer->next_free = m_free;
    m_free = buffer;
    m_free_count.fetch_add(1, std::memory_order_relaxed);
}

void Session::run() {
    using Clock = std::chrono::steady_clock;
    const auto interval = std::max(m_options.flush_interval, std::chrono::milliseconds(1));
    auto next_flush = Clock::now() + interval;
    std::deque<Handoff> batch;
    std::vector<std::pair<ThreadStream*, Buffer*>> partial;
    for (;;) {
        bool stopping = false;
        bool periodic = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_until(lock, next_flush, [&] { return !m_full.empty() || m_stopping; });
            stopping = m_stopping;
            periodic = stopping || Clock::now() >= next_flush;
            batch.swap(m_full);
            // Taken under the same lock as the batch: every buffer of a stream in the batch is older
            // than the stream's current buffer, so blocks of a stream go out in order.
            partial.clear();
            if (periodic)
                for (auto& s : m_streams)
                    if (s->current) partial.emplace_back(s.get(), s->current);
        }
        for (const Handoff& h : batch) {
            RawEvent* committed = h.buffer->committed.load(std::memory_order_acquire);
            m_writer->write_block(*h.stream, h.buffer->flushed, committed);
            h.buffer->flushed = committed;
            release_buffer(h.stream, h.buffer);
        }
        batch.clear();
        if (periodic) {
            for (auto [stream, buffer] : partial) {
                RawEvent* committed = buffer->committed.load(std::memory_order_acquire);
                m_writer->write_block(*stream, buffer->flushed, committed);
                buffer->flushed = committed;
            }
            m_writer->flush();
            next_flush = Clock::now() + interval;
            // Streams whose last buffer has been written are done.
            std::lock_guard lock(m_mutex);
            std::erase_if(m_streams, [](const auto& s) { return s->exited && s->queued == 0; });
        }
        if (stopping) {
            std::lock_guard lock(m_mutex);
            if (m_full.empty()) break;
        }
    }
}

Stats Session::stats() const { return m_writer->stats(); }

} // namespace weft::client::detail
