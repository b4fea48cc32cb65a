#pragma once
// Builds a Model from records arriving in file order: blocks of one stream in order, streams
// interleaved in any order (docs/FORMAT.md, "What a reader derives"). Pairing that can cross
// streams (task lifecycles, awaits, async spans) is resolved in finish(), so ingestion order between
// streams never changes the result.

#include "format/trace_reader.h"
#include "model/model.h"

#include <memory>

namespace weft {

class ModelBuilder final : public format::TraceSink {
public:
    ModelBuilder();
    ~ModelBuilder() override;

    void on_process(const format::ProcessInfo& info) override;
    void on_stream(const format::StreamInfo& info) override;
    void on_block(const format::DecodedBlock& block) override;
    // Events are read straight into the model, never stored (format/event_decoder.h).
    bool reads_encoded_events() const override { return true; }

    // Completes the reader's report with what reading the events found (their count, damage), then
    // adds it all (damaged records, skipped bytes, messages) to the diagnostics.
    void add_read_report(format::ReadReport& report);

    // Pairs, sorts, computes per-task totals and freezes. The builder is spent afterwards.
    std::shared_ptr<const Model> finish();

    // The model of everything ingested so far, leaving the builder able to take more: what a live
    // session publishes while data keeps arriving. Open runs, awaits and spans appear unfinished.
    std::shared_ptr<const Model> snapshot() const;

private:
    void count_errors(const std::vector<format::FormatError>& errors, uint64_t skipped_bytes);

    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Reads a .weft file into a model. `report` receives what the reader found (errors with offsets).
std::shared_ptr<const Model> load_trace(const std::string& path, format::ReadReport& report,
                                        const format::ReadOptions& options = {});

} // namespace weft
