#include "io/chrome/json_value_reader.h"

#include "io/chrome/micros.h"
#include "io/chrome/simdjson_values.h"

#include <vector>

namespace weft::chrome {

using namespace json;

struct JsonValueReader::Impl {
    od::parser parser;
    std::string buffer;

    error_code load(std::string_view json, od::document& doc) {
        buffer.assign(json);
        buffer.append(simdjson::SIMDJSON_PADDING, '\0');
        return parser.iterate(simdjson::padded_string_view(buffer.data(), json.size(), buffer.size())).get(doc);
    }
};

JsonValueReader::JsonValueReader() : m_impl(std::make_unique<Impl>()) {}
JsonValueReader::~JsonValueReader() = default;

bool JsonValueReader::numbers(std::string_view json, const std::function<void(std::string_view, double)>& each) {
    od::document doc;
    od::object obj;
    if (m_impl->load(json, doc) || doc.get_object().get(obj)) return false;
    for (auto member : obj) {
        std::string_view key;
        if (member.unescaped_key().get(key)) return false;
        od::value v;
        if (member.value().get(v)) return false;
        od::json_type type;
        if (v.type().get(type)) return false;
        double value = 0;
        if (type == od::json_type::number) {
            if (v.get_double().get(value)) continue;
        } else if (type == od::json_type::string) {
            std::string_view text;
            if (v.get_string().get(text) || !parse_number(text, value)) continue;
        } else {
            continue;
        }
        each(key, value);
    }
    return true;
}

std::optional<std::string> JsonValueReader::member_text(std::string_view json, std::string_view key) {
    od::document doc;
    od::object obj;
    if (m_impl->load(json, doc) || doc.get_object().get(obj)) return std::nullopt;
    for (auto member : obj) {
        std::string_view k;
        if (member.unescaped_key().get(k)) return std::nullopt;
        if (k != key) continue;
        od::value v;
        if (member.value().get(v)) return std::nullopt;
        std::string_view text;
        bool quoted = false;
        if (scalar_text(v, text, quoted) != simdjson::SUCCESS && json_text(v, text) != simdjson::SUCCESS)
            return std::nullopt;
        return std::string(text);
    }
    return std::nullopt;
}

bool JsonValueReader::frames(std::string_view json,
                             const std::function<void(std::string_view, std::string_view, std::string_view,
                                                      std::string_view)>& each) {
    od::document doc;
    od::object obj;
    if (m_impl->load(json, doc) || doc.get_object().get(obj)) return false;
    std::string id_copy, name_copy, category_copy, parent_copy;
    for (auto member : obj) {
        std::string_view id;
        if (member.unescaped_key().get(id)) return false;
        id_copy.assign(id);
        od::value v;
        if (member.value().get(v)) return false;
        od::object frame;
        if (v.get_object().get(frame)) continue;
        name_copy.clear();
        category_copy.clear();
        parent_copy.clear();
        for (auto field : frame) {
            std::string_view k;
            if (field.unescaped_key().get(k)) return false;
            std::string* target = k == "name" ? &name_copy : k == "category" ? &category_copy : k == "parent" ? &parent_copy : nullptr;
            if (!target) continue;
            od::value fv;
            if (field.value().get(fv)) return false;
            std::string_view text;
            bool quoted = false;
            if (scalar_text(fv, text, quoted) == simdjson::SUCCESS) target->assign(text);
        }
        each(id_copy, name_copy, category_copy, parent_copy);
    }
    return true;
}

bool JsonValueReader::elements(std::string_view json, const std::function<void(std::string_view)>& each) {
    od::document doc;
    od::array arr;
    if (m_impl->load(json, doc) || doc.get_array().get(arr)) return false;
    for (auto element : arr) {
        od::value v;
        if (element.get(v)) return false;
        std::string_view text;
        bool quoted = false;
        if (scalar_text(v, text, quoted) != simdjson::SUCCESS && json_text(v, text)) return false;
        each(text);
    }
    return true;
}

namespace {

// The object at args.data, or an error.
error_code v8_data(od::document& doc, od::object& data) {
    od::object args;
    if (auto e = doc.get_object().get(args)) return e;
    od::value v;
    if (auto e = args.find_field_unordered("data").get(v)) return e;
    return v.get_object().get(data);
}

} // namespace

std::optional<std::string> JsonValueReader::v8_start(std::string_view json) {
    od::document doc;
    od::object data;
    if (m_impl->load(json, doc) || v8_data(doc, data)) return std::nullopt;
    od::value v;
    std::string_view text;
    bool quoted = false;
    if (data.find_field_unordered("startTime").get(v) || scalar_text(v, text, quoted)) return std::nullopt;
    return std::string(text);
}

bool JsonValueReader::v8_chunk(std::string_view json, V8ChunkVisitor& visitor) {
    od::document doc;
    od::object data;
    if (m_impl->load(json, doc) || v8_data(doc, data)) return false;
    // The deltas come after the samples they time in Chrome's output: read them first.
    std::vector<int64_t> deltas;
    od::value v;
    if (!data.find_field_unordered("timeDeltas").get(v)) {
        od::array a;
        if (!v.get_array().get(a))
            for (auto x : a) {
                int64_t d = 0;
                deltas.push_back(x.get_int64().get(d) ? 0 : d);
            }
    }
    od::object profile;
    if (data.find_field_unordered("cpuProfile").get(v) || v.get_object().get(profile)) return !deltas.empty();
    od::array nodes;
    if (!profile.find_field_unordered("nodes").get(v) && !v.get_array().get(nodes)) {
        for (auto n : nodes) {
            od::object node;
            if (n.get_object().get(node)) continue;
            uint64_t id = 0, parent = 0;
            int64_t line = -1;
            std::string_view function, url;
            for (auto field : node) {
                std::string_view key;
                if (field.unescaped_key().get(key)) return false;
                od::value fv;
                if (field.value().get(fv)) return false;
                if (key == "id") {
                    if (fv.get_uint64().get(id)) id = 0;
                } else if (key == "parent") {
                    if (fv.get_uint64().get(parent)) parent = 0;
                } else if (key == "callFrame") {
                    od::object frame;
                    if (fv.get_object().get(frame)) continue;
                    for (auto cf : frame) {
                        std::string_view ck;
                        if (cf.unescaped_key().get(ck)) return false;
                        od::value cv;
                        if (cf.value().get(cv)) return false;
                        if (ck == "functionName") {
                            if (cv.get_string().get(function)) function = {};
                        } else if (ck == "url") {
                            if (cv.get_string().get(url)) url = {};
                        } else if (ck == "lineNumber") {
                            if (cv.get_int64().get(line)) line = -1;
                        }
                    }
                }
            }
            if (id != 0) visitor.node(id, parent, function, url, line);
        }
    }
    od::array samples;
    if (!profile.find_field_unordered("samples").get(v) && !v.get_array().get(samples)) {
        size_t k = 0;
        for (auto x : samples) {
            uint64_t node = 0;
            if (!x.get_uint64().get(node)) visitor.sample(node, k < deltas.size() ? deltas[k] : 0);
            ++k;
        }
    }
    return true;
}

} // namespace weft::chrome
