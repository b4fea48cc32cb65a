#include "chrome_json.h"

#include "model/model_builder.h"
#include "model_dump.h"

#include <zlib.h>

#include <atomic>
#include <cstdio>
#include <stdexcept>
#include <unistd.h>

namespace weft::test {

namespace {

std::string temp_name() {
    static std::atomic<int> counter{0};
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir && *dir ? dir : "/tmp") + "/weft-chrome-test-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter++);
}

} // namespace

TempTrace::TempTrace(std::string_view text, bool gzip, int members) : m_path(temp_name()) {
    if (!gzip) {
        std::FILE* f = std::fopen(m_path.c_str(), "wb");
        if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size()) throw std::runtime_error("cannot write " + m_path);
        std::fclose(f);
        return;
    }
    std::FILE* f = std::fopen(m_path.c_str(), "wb");
    if (!f) throw std::runtime_error("cannot write " + m_path);
    const size_t per = members > 1 ? text.size() / static_cast<size_t>(members) + 1 : text.size();
    for (size_t at = 0; at < text.size() || at == 0; at += per) {
        const std::string_view part = text.substr(at, per);
        z_stream z{};
        deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
        std::string out(deflateBound(&z, part.size()) + 64, '\0');
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(part.data()));
        z.avail_in = static_cast<uInt>(part.size());
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        deflate(&z, Z_FINISH);
        std::fwrite(out.data(), 1, out.size() - z.avail_out, f);
        deflateEnd(&z);
        if (text.empty()) break;
    }
    std::fclose(f);
}

TempTrace::~TempTrace() { std::remove(m_path.c_str()); }

std::string Imported::errors() const {
    std::string out;
    for (const auto& e : report.errors) out += "offset " + std::to_string(e.offset) + ": " + e.reason + "\n";
    return out;
}

bool Imported::has_error(std::string_view text) const {
    for (const auto& e : report.errors)
        if (e.reason.find(text) != std::string::npos) return true;
    return false;
}

Imported load_json(std::string_view text, bool gzip) {
    TempTrace file(text, gzip);
    Imported out;
    out.model = load_trace(file.path(), out.report);
    return out;
}

std::string json_array(std::initializer_list<std::string_view> events) {
    std::string out = "[\n";
    bool first = true;
    for (std::string_view e : events) {
        if (!first) out += ",\n";
        out += e;
        first = false;
    }
    return out + "\n]\n";
}

std::string json_object(std::initializer_list<std::string_view> events) {
    return "{\"traceEvents\": " + json_array(events) + "}";
}

std::string spans_at(const Model& m, std::string_view thread, size_t depth) {
    const ThreadIndex t = find_thread(m, thread);
    if (!t.valid()) return "(no thread " + std::string(thread) + ")";
    const Thread& th = m.thread(t);
    if (depth >= th.span_depths.size()) return "";
    std::string out;
    const Range r = th.span_depths[depth];
    for (uint32_t i = r.first; i < r.end(); ++i) {
        const ThreadSpan& s = m.thread_spans[i];
        if (!out.empty()) out += ' ';
        out += std::string(m.string(s.name)) + "[" + std::to_string(s.begin) + "," + std::to_string(s.end) + "]" +
               (s.unfinished ? "!" : "");
    }
    return out;
}

std::string task_parent(const Model& m, std::string_view name) {
    for (const Task& t : m.tasks)
        if (m.string(t.name) == name) return t.parent.valid() ? std::string(m.string(m.task(t.parent).name)) : "-";
    return "?";
}

uint64_t note(const Model& m, std::string_view label_part) {
    for (const auto& [label, count] : m.diagnostics.notes)
        if (label.find(label_part) != std::string::npos) return count;
    return 0;
}

} // namespace weft::test
