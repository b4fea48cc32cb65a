// Kept apart from the builder so that linking the builder alone does not pull in the file reader.
//
// With more than one core, decoding and building run as a two-stage pipeline: the calling thread
// reads and decodes, a second thread builds. Records reach the builder in file order through a
// small ring of reusable slots, so the Model is exactly the one a single thread would build. Blocks
// are handed over by swapping rather than copied, so the pipeline costs little more than the
// hand-off itself, against a wall time close to the slower stage alone.

#include "model/model_builder.h"

#include "io/trace_file.h"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace weft {

namespace {

// One record in flight. Slots are reused, so their vectors stop allocating once warm.
struct Slot {
    enum class Kind { Process, Stream, Block } kind = Kind::Block;
    format::ProcessInfo process;
    format::StreamInfo stream;
    format::DecodedBlock block;
};

// The reader's sink: fills free slots in order and hands them to the building thread.
class PipelineSink final : public format::TraceSink {
public:
    PipelineSink(ModelBuilder& builder, const std::atomic<bool>* user_cancel)
        : m_builder(builder), m_user_cancel(user_cancel), m_stop(user_cancel && user_cancel->load()),
          m_slots(kSlots) {
        m_worker = std::thread([this] { build_loop(); });
    }
    ~PipelineSink() override { shutdown(); }

    void on_process(const format::ProcessInfo& info) override {
        Slot& s = acquire();
        s.kind = Slot::Kind::Process;
        s.process = info;
        publish();
    }
    void on_stream(const format::StreamInfo& info) override {
        Slot& s = acquire();
        s.kind = Slot::Kind::Stream;
        s.stream = info;
        publish();
    }
    // Only for a reader that does not hand blocks over (take_block): the block's views point into
    // memory that reader reuses, so it is built here and now, once the building thread has built
    // everything before it, which keeps file order without copying the block.
    void on_block(const format::DecodedBlock& block) override {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_count == 0; });
        if (m_error) return;
        try {
            m_builder.on_block(block);
        } catch (...) {
            m_error = std::current_exception();
            m_stop.store(true, std::memory_order_relaxed);
        }
    }
    // The decoded block moves into the slot and the slot's spent block goes back to the reader, so
    // no event is copied; the block's strings view into its own storage, which moves with it.
    bool reads_encoded_events() const override { return m_builder.reads_encoded_events(); }
    void take_block(format::DecodedBlock& block) override {
        Slot& s = acquire();
        s.kind = Slot::Kind::Block;
        std::swap(s.block, block);
        publish();
    }

    // Polled by the reader between records: set when the caller cancels or the builder failed.
    const std::atomic<bool>* stop_flag() const { return &m_stop; }

    // Waits until everything published was built; rethrows what the building thread threw.
    void close() {
        shutdown();
        if (m_error) std::rethrow_exception(std::exchange(m_error, nullptr));
    }

private:
    static constexpr size_t kSlots = 8;

    void shutdown() {
        {
            std::lock_guard lock(m_mutex);
            if (m_closed) return;
            m_closed = true;
        }
        m_changed.notify_all();
        m_worker.join();
    }

    Slot& acquire() {
        if (m_user_cancel && m_user_cancel->load(std::memory_order_relaxed))
            m_stop.store(true, std::memory_order_relaxed);
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_count < kSlots; });
        return m_slots[(m_head + m_count) % kSlots];
    }
    void publish() {
        {
            std::lock_guard lock(m_mutex);
            ++m_count;
        }
        m_changed.notify_all();
    }

    void build_loop() {
        while (true) {
            Slot* s = nullptr;
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [&] { return m_count > 0 || m_closed; });
                if (m_count == 0) return; // closed and drained
                s = &m_slots[m_head];
            }
            // The slot stays counted while it is built, so the reader cannot refill it meanwhile.
            if (!m_error) {
                try {
                    switch (s->kind) {
                    case Slot::Kind::Process: m_builder.on_process(s->process); break;
                    case Slot::Kind::Stream: m_builder.on_stream(s->stream); break;
                    case Slot::Kind::Block: m_builder.on_block(s->block); break;
                    }
                } catch (...) {
                    m_error = std::current_exception();
                    m_stop.store(true, std::memory_order_relaxed);
                }
            }
            {
                std::lock_guard lock(m_mutex);
                m_head = (m_head + 1) % kSlots;
                --m_count;
            }
            m_changed.notify_all();
        }
    }

    ModelBuilder& m_builder;
    const std::atomic<bool>* m_user_cancel;
    std::atomic<bool> m_stop;
    std::vector<Slot> m_slots;
    size_t m_head = 0;  // oldest published slot
    size_t m_count = 0; // published and not yet built
    bool m_closed = false;
    std::exception_ptr m_error;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::thread m_worker;
};

} // namespace

std::shared_ptr<const Model> load_trace(const std::string& path, format::ReadReport& report,
                                        const format::ReadOptions& options) {
    ModelBuilder builder;
    if (std::thread::hardware_concurrency() > 1) {
        PipelineSink sink(builder, options.cancel);
        format::ReadOptions piped = options;
        piped.cancel = sink.stop_flag();
        report = io::read_trace(path, sink, piped);
        sink.close();
        // A stop the caller did not ask for can only come with an exception, rethrown by close().
        report.cancelled = report.cancelled && options.cancel && options.cancel->load();
    } else {
        report = io::read_trace(path, builder, options);
    }
    builder.add_read_report(report);
    return builder.finish();
}

} // namespace weft
