#pragma once
// Chrome trace-event JSON texts as test inputs: written to a temporary file (gzip-compressed when
// asked) and loaded the way the viewer and weft-cli load them.

#include "format/trace_reader.h"
#include "model/model.h"

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace weft::test {

// A temporary file holding `text`, gzip-compressed when asked (in `members` concatenated gzip
// members when more than one); removed with the object.
class TempTrace {
public:
    explicit TempTrace(std::string_view text, bool gzip = false, int members = 1);
    ~TempTrace();
    TempTrace(const TempTrace&) = delete;
    TempTrace& operator=(const TempTrace&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

struct Imported {
    std::shared_ptr<const Model> model;
    format::ReadReport report;
    // "offset N: reason" of each error, one per line, for failure messages.
    std::string errors() const;
    // True when some error's reason contains `text`.
    bool has_error(std::string_view text) const;
};

Imported load_json(std::string_view text, bool gzip = false);

// `[ev, ev, ...]` with one event per line.
std::string json_array(std::initializer_list<std::string_view> events);
// `{"traceEvents": [ev, ...]}`.
std::string json_object(std::initializer_list<std::string_view> events);

// The thread spans of `thread` at `depth`, as "name[begin,end]" (ns) joined by spaces.
std::string spans_at(const Model& m, std::string_view thread, size_t depth);
// The name of the parent of the task named `name`: "-" for a root, "?" when there is no such task.
std::string task_parent(const Model& m, std::string_view name);
// The note (diagnostic count) with this label, 0 when there is none.
uint64_t note(const Model& m, std::string_view label_part);

} // namespace weft::test
