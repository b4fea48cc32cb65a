#include "io/chrome/async_slices.h"

#include "io/chrome/json_value_reader.h"
#include "io/chrome/micros.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <unordered_map>

namespace weft::chrome {

namespace {

class Builder {
public:
    Builder(ImportState& st, std::vector<AsyncSlice>& out) : m_st(st), m_out(out) {}

    void nestable(std::span<const Member> members);
    void legacy(std::span<const Member> members);

private:
    const RawEvent& event(const Member& m) const { return m_st.threads[m.thread].events[m.event]; }
    uint32_t open(const Member& m, uint32_t parent) {
        const RawEvent& e = event(m);
        AsyncSlice s;
        s.begin = e.ts;
        s.begin_thread = s.end_thread = m.thread;
        s.begin_event = m.event;
        s.name = e.name;
        s.cat = e.cat;
        s.args = e.args;
        s.parent = parent;
        const auto index = static_cast<uint32_t>(m_out.size());
        s.root = parent == ~0u ? index : m_out[parent].root;
        m_out.push_back(s);
        return index;
    }
    void close(uint32_t slice, const Member& m) {
        AsyncSlice& s = m_out[slice];
        s.end = std::max(event(m).ts, s.begin);
        s.end_thread = m.thread;
        if (s.args == 0) s.args = event(m).args;
    }
    uint32_t step_name(uint32_t name, uint32_t args) {
        std::string label(m_st.strings.get(name));
        if (args != 0) {
            if (const auto step = m_values.member_text(m_st.strings.get(args), "step")) {
                label += ':';
                label += *step;
            }
        }
        return m_st.strings.intern(label);
    }

    ImportState& m_st;
    std::vector<AsyncSlice>& m_out;
    JsonValueReader m_values;
    std::vector<uint32_t> m_stack;
};

void Builder::nestable(std::span<const Member> members) {
    m_stack.clear();
    for (const Member& m : members) {
        const RawEvent& e = event(m);
        const uint32_t parent = m_stack.empty() ? ~0u : m_stack.back();
        if (e.ph == 'b') {
            m_stack.push_back(open(m, parent));
        } else if (e.ph == 'n') {
            close(open(m, parent), m);
        } else if (e.ph == 'e') {
            size_t k = m_stack.size();
            while (k-- > 0)
                if (e.name == 0 || m_out[m_stack[k]].name == e.name) break;
            if (k == static_cast<size_t>(-1)) {
                m_st.note("async ends (e) that close no open b: ignored");
                continue;
            }
            close(m_stack[k], m);
            m_stack.erase(m_stack.begin() + static_cast<std::ptrdiff_t>(k));
        }
    }
}

void Builder::legacy(std::span<const Member> members) {
    uint32_t root = ~0u;
    std::vector<Member> steps;
    char step_kind = 0;
    auto finish = [&](const Member* end) {
        // Steps become children: "step into" (T) runs from the step to the next event, "step
        // past" (p) from the event before it to the step.
        for (size_t j = 0; j < steps.size(); ++j) {
            const RawEvent& step = event(steps[j]);
            const uint32_t child = open(steps[j], root);
            AsyncSlice& s = m_out[child];
            s.begin_event = ~0u; // not a slice a flow names by its event
            s.name = step_name(m_out[root].name, step.args);
            if (step_kind == 'T') {
                if (j + 1 < steps.size())
                    close(child, steps[j + 1]);
                else if (end)
                    close(child, *end);
            } else {
                m_out[child].begin = j == 0 ? m_out[root].begin : event(steps[j - 1]).ts;
                m_out[child].begin_thread = j == 0 ? m_out[root].begin_thread : steps[j - 1].thread;
                close(child, steps[j]);
            }
        }
        if (end) close(root, *end);
        steps.clear();
        step_kind = 0;
        root = ~0u;
    };
    for (const Member& m : members) {
        const RawEvent& e = event(m);
        if (e.ph == 'S') {
            if (root != ~0u) {
                m_st.note("legacy async starts (S) with an id still open: ignored");
                continue;
            }
            root = open(m, ~0u);
        } else if (root == ~0u) {
            m_st.note("legacy async steps and ends (T, p, F) with no open start: ignored");
        } else if (e.ph == 'F') {
            finish(&m);
        } else {
            if (step_kind != 0 && step_kind != e.ph) {
                m_st.note("legacy async steps mixing T and p in one slice: the later kind ignored");
                continue;
            }
            step_kind = e.ph;
            steps.push_back(m);
        }
    }
    if (root != ~0u) finish(nullptr);
}

// An id as a number: "0x1f" (hex, as Node and Chrome write them) or "31".
bool id_number(std::string_view text, uint64_t& value) {
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        const auto [end, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), value, 16);
        return ec == std::errc() && end == text.data() + text.size();
    }
    return parse_whole(text, value);
}

} // namespace

void link_trigger_parents(std::vector<AsyncSlice>& slices, ImportState& st) {
    JsonValueReader values;
    std::unordered_map<uint64_t, uint32_t> by_id; // (category, id) -> the latest top-level slice
    auto key = [](uint32_t cat, uint64_t id) { return (uint64_t{cat} << 40) ^ id; };
    // Slices in the order they begin, so that an id reused later finds the resource live then.
    std::vector<uint32_t> order;
    for (uint32_t a = 0; a < slices.size(); ++a)
        if (slices[a].parent == ~0u && slices[a].begin_event != ~0u) order.push_back(a);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return slices[a].begin < slices[b].begin; });
    for (uint32_t a : order) {
        AsyncSlice& s = slices[a];
        const RawEvent& e = st.threads[s.begin_thread].events[s.begin_event];
        uint64_t id = 0;
        if (const GroupKey& g = st.groups[e.ref - 1]; g.kind == GroupKind::Async && id_number(st.strings.get(g.c), id))
            by_id[key(s.cat, id)] = a;
        const std::string_view args = st.strings.get(s.args);
        if (args.find("triggerAsyncId") == std::string_view::npos) continue; // the common case: no parse
        const auto data = values.member_text(args, "data");
        uint64_t trigger = 0;
        std::optional<std::string> text = data ? values.member_text(*data, "triggerAsyncId") : std::nullopt;
        if (!text && !data) text = values.member_text(args, "triggerAsyncId");
        if (!text || !parse_whole(*text, trigger)) continue;
        const auto parent = by_id.find(key(s.cat, trigger));
        if (parent != by_id.end() && parent->second != a) s.parent_task = parent->second;
    }
}

std::vector<AsyncSlice> build_async_slices(const GroupMembers& members, ImportState& st) {
    std::vector<AsyncSlice> slices;
    Builder builder(st, slices);
    for (uint32_t g = 1; g < members.groups(); ++g) {
        const GroupKind kind = st.groups[g - 1].kind;
        if (kind == GroupKind::Async)
            builder.nestable(members.of(g));
        else if (kind == GroupKind::LegacyAsync)
            builder.legacy(members.of(g));
    }
    return slices;
}

} // namespace weft::chrome
