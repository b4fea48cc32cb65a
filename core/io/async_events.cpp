#include "io/async_events.h"

#include "format/uuid.h"
#include "io/atomic_file.h"
#include "io/json_out.h"
#include "model/text_hash.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <unordered_map>
#include <vector>

namespace weft::io {

namespace {

struct Row {
    Time time;
    uint32_t span;
    uint32_t is_begin; // 0 end, 1 begin: ends sort first at equal times
};

const char* const kColumns[] = {"process_id", "stream_id", "block_id",       "time",  "time_ns",
                                "event_type", "span_id",   "parent_span_id", "depth", "hash",
                                "name",       "filename",  "target",         "line"};

// One row's fields, in kColumns order; numbers are written as numbers in JSON Lines.
struct Fields {
    std::string_view process_id, stream_id, block_id;
    std::string time;
    uint64_t time_ns = 0;
    const char* event_type = "";
    uint64_t span_id = 0, parent_span_id = 0, depth = 0, hash = 0, line = 0;
    std::string_view name, filename, target;
};

// What rows repeat, made once: the ids as text (a process, a stream or a block stands in many
// rows) and each call site's hash.
class RowSource {
public:
    explicit RowSource(const Model& m) : m_model(m) {
        auto texts = [](const auto& items, auto id_of, std::vector<std::string>& out) {
            out.reserve(items.size());
            for (const auto& item : items) out.push_back(id_of(item) == Uuid{} ? std::string() : format::to_string(id_of(item)));
        };
        texts(m.processes, [](const Process& p) { return p.process_id; }, m_processes);
        texts(m.threads, [](const Thread& t) { return t.stream_id; }, m_streams);
        texts(m.blocks, [](const Uuid& b) { return b; }, m_blocks);
    }

    Fields fields(const Row& row) {
        const Model& m = m_model;
        const AsyncSpan& s = m.async_spans[row.span];
        Fields f;
        f.process_id = text_at(m_processes, s.process.value);
        const ThreadIndex thread = row.is_begin ? s.begin_thread : s.end_thread;
        f.stream_id = thread.valid() ? text_at(m_streams, thread.value) : std::string_view{};
        f.block_id = text_at(m_blocks, row.is_begin ? s.begin_block : s.end_block);
        f.time_ns = m.to_unix_ns(row.time);
        f.time = rfc3339_ns(f.time_ns);
        f.event_type = row.is_begin ? "begin" : "end";
        f.span_id = s.span_id;
        f.parent_span_id =
            s.parent.valid() && s.parent.value < m.async_spans.size() ? m.async_spans[s.parent.value].span_id : 0;
        f.depth = s.depth;
        const auto [it, added] = m_hashes.try_emplace((uint64_t{s.name.value} << 32) | s.location.value, 0);
        if (added) it->second = async_span_site_hash(m, s);
        f.hash = it->second;
        const Location& at = m.location(s.location);
        f.name = m.string(s.name);
        f.filename = m.string(at.file);
        f.target = m.string(at.target);
        f.line = at.line;
        return f;
    }

private:
    static std::string_view text_at(const std::vector<std::string>& texts, uint32_t i) {
        return i < texts.size() ? std::string_view(texts[i]) : std::string_view{};
    }
    const Model& m_model;
    std::vector<std::string> m_processes, m_streams, m_blocks;
    std::unordered_map<uint64_t, uint64_t> m_hashes; // (name, location) -> site hash
};

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled.
void csv_field(JsonOut& out, std::string_view text, std::string& scratch) {
    const std::string_view valid = valid_utf8(text, scratch);
    if (valid.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.raw(valid);
        return;
    }
    out.raw("\"");
    for (char c : valid)
        out.raw(c == '"' ? std::string_view("\"\"") : std::string_view(&c, 1));
    out.raw("\"");
}

void csv_row(JsonOut& out, const Fields& f, std::string& scratch) {
    char number[24];
    auto num = [&](uint64_t v) {
        std::snprintf(number, sizeof number, "%" PRIu64, v);
        return std::string_view(number);
    };
    // Ids, times and numbers never hold a comma or a quote; the texts are quoted as needed.
    for (std::string_view plain : {f.process_id, f.stream_id, f.block_id, std::string_view(f.time)}) {
        out.raw(plain);
        out.raw(",");
    }
    out.raw(num(f.time_ns));
    out.raw(",");
    out.raw(f.event_type);
    for (uint64_t v : {f.span_id, f.parent_span_id, f.depth, f.hash}) {
        out.raw(",");
        out.raw(num(v));
    }
    for (std::string_view text : {f.name, f.filename, f.target}) {
        out.raw(",");
        csv_field(out, text, scratch);
    }
    out.raw(",");
    out.raw(num(f.line));
    out.raw("\r\n");
}

void json_row(JsonOut& out, const Fields& f) {
    out.begin_object();
    out.key(kColumns[0]).optional_string(f.process_id);
    out.key(kColumns[1]).optional_string(f.stream_id);
    out.key(kColumns[2]).optional_string(f.block_id);
    out.key(kColumns[3]).string(f.time);
    out.key(kColumns[4]).uint(f.time_ns);
    out.key(kColumns[5]).string(f.event_type);
    out.key(kColumns[6]).uint(f.span_id);
    out.key(kColumns[7]).uint(f.parent_span_id);
    out.key(kColumns[8]).uint(f.depth);
    // As a string: a 64-bit hash is past the integers every JSON reader keeps exactly.
    out.key(kColumns[9]).string(std::to_string(f.hash));
    out.key(kColumns[10]).string(f.name);
    out.key(kColumns[11]).string(f.filename);
    out.key(kColumns[12]).string(f.target);
    out.key(kColumns[13]).uint(f.line);
    out.end_object();
    out.end_line();
}

} // namespace

std::string rfc3339_ns(uint64_t unix_ns) {
    using namespace std::chrono;
    const sys_time<nanoseconds> t{nanoseconds{static_cast<int64_t>(unix_ns)}};
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    const uint64_t in_day = static_cast<uint64_t>((t - day).count());
    const uint64_t second = in_day / 1'000'000'000;
    char text[40];
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02u:%02u:%02u.%09" PRIu64 "Z",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<unsigned>(second / 3600),
                  static_cast<unsigned>(second / 60 % 60), static_cast<unsigned>(second % 60),
                  in_day % 1'000'000'000);
    return text;
}

uint64_t async_span_site_hash(const Model& m, const AsyncSpan& s) {
    const Location& at = m.location(s.location);
    std::string site;
    site.append(m.string(s.name)).push_back('\x1f');
    site.append(m.string(at.file)).push_back('\x1f');
    site.append(m.string(at.target)).push_back('\x1f');
    site.append(std::to_string(at.line));
    return hash_text(site);
}

bool export_async_events(const Model& m, std::FILE* file, AsyncEventsFormat format) {
    std::vector<Row> rows;
    rows.reserve(m.async_spans.size() * 2);
    for (uint32_t i = 0; i < m.async_spans.size(); ++i) {
        const AsyncSpan& s = m.async_spans[i];
        rows.push_back({s.begin, i, 1});
        if (!s.unfinished) rows.push_back({s.end, i, 0});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        return std::tie(a.time, a.is_begin, a.span) < std::tie(b.time, b.is_begin, b.span);
    });
    JsonOut out(file);
    std::string scratch;
    if (format == AsyncEventsFormat::Csv) {
        for (size_t c = 0; c < std::size(kColumns); ++c) {
            if (c > 0) out.raw(",");
            out.raw(kColumns[c]);
        }
        out.raw("\r\n");
    }
    RowSource source(m);
    for (const Row& row : rows) {
        const Fields f = source.fields(row);
        if (format == AsyncEventsFormat::Csv)
            csv_row(out, f, scratch);
        else
            json_row(out, f);
    }
    return out.finish();
}

bool export_async_events_file(const Model& model, const std::string& path, AsyncEventsFormat format,
                              std::string& error) {
    return write_file_atomically(path, error, [&](std::FILE* f) { return export_async_events(model, f, format); });
}

} // namespace weft::io
