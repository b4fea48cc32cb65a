#include "io/chrome/event_parser.h"

#include "io/chrome/micros.h"
#include "io/chrome/simdjson_values.h"

namespace weft::chrome {

using namespace json;

size_t parser_padding() { return simdjson::SIMDJSON_PADDING; }

namespace {

// `raw` is a key's text after its opening quote; true when it is exactly `lit` (the key's own
// closing quote follows). Keys with escapes never match, as no trace writes its keys that way.
template <size_t N>
bool key_is(const char* raw, const char (&lit)[N]) {
    for (size_t i = 0; i + 1 < N; ++i)
        if (raw[i] != lit[i]) return false;
    return raw[N - 1] == '"';
}

// A time field: microseconds as a number or a numeric string. Null leaves it absent.
error_code time_field(od::value& v, bool& has, int64_t& nanos, const char* problem, const char*& first_problem) {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    if (type == od::json_type::null) return simdjson::SUCCESS;
    std::string_view text;
    if (type == od::json_type::number) {
        text = v.raw_json_token(); // micros_to_nanos takes the blanks that may follow
    } else if (type == od::json_type::string) {
        if (auto e = v.get_string().get(text)) return e;
    }
    if ((type == od::json_type::number || type == od::json_type::string) && micros_to_nanos(text, nanos)) {
        has = true;
        return simdjson::SUCCESS;
    }
    if (!first_problem) first_problem = problem;
    return simdjson::SUCCESS;
}

error_code text_field(od::value& v, bool& has, std::string_view& text, const char* problem, const char*& first_problem) {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    if (type == od::json_type::null) return simdjson::SUCCESS;
    bool quoted = false;
    if (scalar_of(v, type, text, quoted) == simdjson::SUCCESS) {
        has = true;
        return simdjson::SUCCESS;
    }
    if (!first_problem) first_problem = problem;
    return simdjson::SUCCESS; // a container: skipped by the iteration
}

error_code who_field(od::value& v, ProcessOrThreadId& id) {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    if (type == od::json_type::null) return simdjson::SUCCESS;
    std::string_view text;
    bool quoted = false;
    if (scalar_of(v, type, text, quoted) != simdjson::SUCCESS) return simdjson::SUCCESS;
    id.present = true;
    if (!quoted && parse_whole(text, id.number)) return simdjson::SUCCESS;
    id.is_name = true; // a string names the process or thread; so does a number that is not whole
    id.name = text;
    return simdjson::SUCCESS;
}

error_code id_field(od::value& v, EventId& id, EventId::Kind kind) {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    if (type == od::json_type::null) return simdjson::SUCCESS;
    if (scalar_of(v, type, id.value, id.quoted) == simdjson::SUCCESS) id.kind = kind;
    return simdjson::SUCCESS;
}

error_code id2_field(od::value& v, EventId& id) {
    od::object o;
    if (v.get_object().get(o)) return simdjson::SUCCESS; // not an object: no id
    for (auto member : o) {
        od::raw_json_string key;
        if (auto e = member.key().get(key)) return e;
        od::value value;
        if (auto e = member.value().get(value)) return e;
        const char* k = key.raw();
        if (key_is(k, "local")) {
            if (auto e = id_field(value, id, EventId::Kind::Local)) return e;
        } else if (key_is(k, "global")) {
            if (auto e = id_field(value, id, EventId::Kind::Global)) return e;
        }
    }
    return simdjson::SUCCESS;
}

error_code flag_field(od::value& v, int8_t& flag) {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    if (type == od::json_type::boolean) {
        bool b = false;
        if (auto e = v.get_bool().get(b)) return e;
        flag = b ? 1 : 0;
    } else if (type == od::json_type::number) {
        double d = 0;
        if (auto e = v.get_double().get(d)) return e;
        flag = d != 0 ? 1 : 0;
    }
    return simdjson::SUCCESS;
}

// True when `json` nests deeper than kMaxNesting. Only a long text can: short ones are not scanned.
bool too_deep(std::string_view json) {
    if (json.size() <= 2 * static_cast<size_t>(kMaxNesting)) return false;
    int depth = 0;
    bool in_string = false, escape = false;
    for (const char c : json) {
        if (in_string) {
            if (escape)
                escape = false;
            else if (c == '\\')
                escape = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > kMaxNesting) return true;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return false;
}

// Reads every field of one event object. Returns an error only when the JSON itself is broken;
// a field of the wrong type is recorded in `f.problem` and skipped.
error_code read_fields(od::object& obj, EventFields& f) {
    for (auto member : obj) {
        ++f.members;
        od::raw_json_string key;
        if (auto e = member.key().get(key)) return e;
        od::value v;
        if (auto e = member.value().get(v)) return e;
        const char* k = key.raw();
        error_code e = simdjson::SUCCESS;
        switch (k[0]) {
        case 'p':
            if (key_is(k, "ph")) {
                std::string_view ph;
                od::json_type type;
                if (auto te = v.type().get(type)) return te;
                if (type == od::json_type::string && v.get_string().get(ph) == simdjson::SUCCESS) {
                    f.has_ph = true;
                    f.ph = ph.empty() ? '\0' : ph.front(); // only the first character counts
                } else if (!f.problem) {
                    f.problem = "ph: expected a string";
                }
            } else if (key_is(k, "pid")) {
                e = who_field(v, f.pid);
            }
            break;
        case 't':
            if (key_is(k, "ts"))
                e = time_field(v, f.has_ts, f.ts, "ts: not a number of microseconds", f.problem);
            else if (key_is(k, "tid"))
                e = who_field(v, f.tid);
            break; // tts and tdur (the thread's clock) are not used
        case 'd':
            if (key_is(k, "dur")) e = time_field(v, f.has_dur, f.dur, "dur: not a number of microseconds", f.problem);
            break;
        case 'n':
            if (key_is(k, "name")) e = text_field(v, f.has_name, f.name, "name: expected a string", f.problem);
            break;
        case 'c':
            if (key_is(k, "cat")) e = text_field(v, f.has_cat, f.cat, "cat: expected a string", f.problem);
            break;
        case 'a':
            if (key_is(k, "args")) {
                e = json_text(v, f.args);
                // As the scanner refuses for a whole event (trace_scanner.h), whichever path read it.
                if (!e && too_deep(f.args) && !f.problem) f.problem = "args: nested deeper than 1000 levels";
            }
            break;
        case 'i':
            if (key_is(k, "id"))
                e = id_field(v, f.id, EventId::Kind::Plain);
            else if (key_is(k, "id2"))
                e = id2_field(v, f.id);
            break;
        case 's':
            if (key_is(k, "s")) {
                bool has = false;
                e = text_field(v, has, f.s, "s: expected a string", f.problem);
            } else if (key_is(k, "scope")) {
                bool has = false;
                e = text_field(v, has, f.scope, "scope: expected a string", f.problem);
            } else if (key_is(k, "sf")) {
                e = text_field(v, f.has_sf, f.sf, "sf: expected a string or a number", f.problem);
            } else if (key_is(k, "stack")) {
                e = json_text(v, f.stack);
            }
            break;
        case 'b':
            if (key_is(k, "bp")) {
                bool has = false;
                e = text_field(v, has, f.bp, "bp: expected a string", f.problem);
            } else if (key_is(k, "bind_id")) {
                e = id_field(v, f.bind_id, EventId::Kind::Plain);
            }
            break;
        case 'f':
            if (key_is(k, "flow_in"))
                e = flag_field(v, f.flow_in);
            else if (key_is(k, "flow_out"))
                e = flag_field(v, f.flow_out);
            break;
        case 'w':
            if (key_is(k, "weight")) {
                double w = 0;
                if (v.get_double().get(w) == simdjson::SUCCESS && w >= 1 && w < 1.8e19) f.weight = static_cast<uint64_t>(w);
            }
            break;
        default:
            break; // a field Weft does not read is skipped by the iteration
        }
        if (e) return e;
    }
    return simdjson::SUCCESS;
}

std::string describe_error(error_code e) {
    switch (e) {
    case simdjson::UNESCAPED_CHARS: return "a string holds a raw control character";
    case simdjson::UTF8_ERROR: return "the text is not valid UTF-8";
    case simdjson::UNCLOSED_STRING: return "a string is not closed";
    case simdjson::DEPTH_ERROR: return "nested too deeply";
    case simdjson::NUMBER_ERROR: return "a number cannot be read";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR: return "a word that is not true, false or null (NaN and Infinity are not JSON)";
    default: return std::string("not valid JSON (") + simdjson::error_message(e) + ")";
    }
}

// The document was read to its end (On-Demand says so by having no location left).
bool at_end(od::document& doc) {
    const char* at = nullptr;
    return doc.current_location().get(at) == simdjson::OUT_OF_BOUNDS;
}

} // namespace

struct EventParser::Impl {
    od::parser parser;
};

EventParser::EventParser() : m_impl(std::make_unique<Impl>()) {}
EventParser::~EventParser() = default;

size_t EventParser::read_many(std::string_view text, uint64_t offset, ArrayKind array, Consumer& consumer) {
    od::document doc;
    const simdjson::padded_string_view view(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING);
    if (m_impl->parser.iterate(view).get(doc)) return 1; // the structural pass failed: nothing read
    od::array elements;
    if (doc.get_array().get(elements)) return 1;
    const char* base = text.data();
    size_t resume = 1; // just after the last element handed over: a ',' or the ']'
    EventFields fields;
    for (auto element : elements) {
        const char* at = nullptr;
        if (doc.current_location().get(at) || at < base) return resume;
        od::object obj;
        if (element.get_object().get(obj)) return resume;
        fields = EventFields{};
        fields.offset = offset + static_cast<size_t>(at - base) - 1;
        if (read_fields(obj, fields)) return resume;
        consumer.event(fields, array);
        const char* after = nullptr;
        if (doc.current_location().get(after) || after < base) return text.size();
        resume = static_cast<size_t>(after - base);
    }
    return at_end(doc) ? text.size() : resume;
}

bool EventParser::read_one(std::string_view text, uint64_t offset, ArrayKind array, Consumer& consumer,
                           std::string& error) {
    od::document doc;
    const simdjson::padded_string_view view(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING);
    error_code e = m_impl->parser.iterate(view).get(doc);
    od::object obj;
    EventFields fields;
    fields.offset = offset;
    if (!e) e = doc.get_object().get(obj);
    if (!e) e = read_fields(obj, fields);
    if (!e && !at_end(doc)) e = simdjson::TRAILING_CONTENT;
    if (e) {
        error = describe_error(e);
        return false;
    }
    consumer.event(fields, array);
    return true;
}

} // namespace weft::chrome
