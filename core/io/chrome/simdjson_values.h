#pragma once
// Small readers of simdjson On-Demand values shared by the event parser and the JSON value reader.
// Internal to core/io/chrome: it exposes simdjson.

#include <simdjson.h>

#include <string_view>

namespace weft::chrome::json {

namespace od = simdjson::ondemand;
using simdjson::error_code;

inline std::string_view trim_right(std::string_view t) {
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r'))
        t.remove_suffix(1);
    return t;
}

// A scalar's text, its type known: a string's content, or a number's or literal's token. An
// error for containers.
inline error_code scalar_of(od::value& v, od::json_type type, std::string_view& out, bool& quoted) {
    if (type == od::json_type::string) {
        quoted = true;
        return v.get_string().get(out);
    }
    if (type == od::json_type::object || type == od::json_type::array) return simdjson::INCORRECT_TYPE;
    quoted = false;
    out = trim_right(v.raw_json_token());
    return simdjson::SUCCESS;
}

// A scalar's text: a string's content, or a number's or literal's token. False for containers.
inline error_code scalar_text(od::value& v, std::string_view& out, bool& quoted) {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    return scalar_of(v, type, out, quoted);
}

// Any value's JSON text, consumed whole.
inline error_code json_text(od::value& v, std::string_view& out) {
    od::json_type type;
    if (auto e = v.type().get(type)) return e;
    if (type == od::json_type::object) {
        od::object o;
        if (auto e = v.get_object().get(o)) return e;
        return o.raw_json().get(out);
    }
    if (type == od::json_type::array) {
        od::array a;
        if (auto e = v.get_array().get(a)) return e;
        return a.raw_json().get(out);
    }
    out = trim_right(v.raw_json_token());
    return simdjson::SUCCESS;
}

} // namespace weft::chrome::json
