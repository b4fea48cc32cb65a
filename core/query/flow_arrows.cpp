#include "query/flow_arrows.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace weft {

namespace {

// A tree deeper than this is damaged data (a cycle): the walk up stops there.
constexpr int kMaxAncestors = 512;

float arrow_x(const ViewMapping& view, Time t) {
    const float w = static_cast<float>(view.width);
    return std::clamp(static_cast<float>(view.x_of(t)), -0.5f * w - 40.0f, 1.5f * w + 40.0f);
}

int task_or_ancestor_row(const Model& model, const LaneLayout& layout, TaskIndex task) {
    for (int guard = 0; task.valid() && task.value < model.tasks.size() && guard < kMaxAncestors; ++guard) {
        const int row = layout.row_of_task(task);
        if (row >= 0) return row;
        task = model.tasks[task.value].parent;
    }
    return -1;
}

struct PixelKey {
    uint32_t from_row;
    uint32_t to_row;
    int32_t from_px;
    int32_t to_px;
    bool operator==(const PixelKey&) const = default;
};

struct PixelKeyHash {
    size_t operator()(const PixelKey& k) const noexcept {
        uint64_t h = (uint64_t{k.from_row} << 32) ^ k.to_row;
        h = h * 0x9e3779b97f4a7c15ULL ^ (static_cast<uint64_t>(static_cast<uint32_t>(k.from_px)) << 20) ^
            static_cast<uint32_t>(k.to_px);
        return static_cast<size_t>(h * 0xbf58476d1ce4e5b9ULL);
    }
};

} // namespace

int flow_end_row(const Model& model, const LaneLayout& layout, const FlowEnd& end) {
    if (end.async_span.valid() && end.async_span.value < model.async_spans.size()) {
        int row = layout.row_of_async_span(end.async_span);
        if (row < 0) row = task_or_ancestor_row(model, layout, model.async_spans[end.async_span.value].task);
        if (row >= 0) return row;
    } else if (end.on_thread_span()) {
        const int row = layout.row_of_thread(end.thread, RowKind::ThreadSpans, end.depth);
        if (row >= 0) return row;
    }
    const int head = layout.row_of_thread_head(end.thread);
    if (head >= 0) return head;
    if (end.thread.value >= model.threads.size()) return -1;
    return layout.row_of_process(model.threads[end.thread.value].process);
}

void add_flow_arrows(const Model& model, const LaneLayout& layout, const ViewMapping& view,
                     std::span<const uint32_t> flows, bool strong, DrawList& out) {
    for (uint32_t f : flows) {
        if (f >= model.flows.size()) continue;
        const Flow& flow = model.flows[f];
        const int from = flow_end_row(model, layout, flow.from);
        const int to = flow_end_row(model, layout, flow.to);
        if (from < 0 || to < 0) continue;
        DrawArrow& a = out.arrows.emplace_back();
        a.from_row = static_cast<uint32_t>(from);
        a.to_row = static_cast<uint32_t>(to);
        a.from_x = arrow_x(view, flow.from.time);
        a.to_x = arrow_x(view, flow.to.time);
        a.kind = ArrowKind::Flow;
        a.strong = strong;
        a.flow = f;
    }
}

void add_visible_flow_arrows(const Model& model, const LaneLayout& layout, const ViewMapping& view,
                             const FlowIndex& index, size_t first_row, size_t last_row, DrawList& out,
                             const VisibleFlowOptions& options) {
    if (!index.covers(model) || model.flows.empty()) return;
    const size_t first_arrow = out.arrows.size();
    std::unordered_map<PixelKey, size_t, PixelKeyHash> by_pixels;
    auto visible = [&](int row, Time t) {
        return row >= 0 && static_cast<size_t>(row) >= first_row && static_cast<size_t>(row) < last_row &&
               t >= view.begin && t <= view.end;
    };
    index.visit_window(model, view.begin, view.end, options.max_visits, [&](uint32_t f) {
        const Flow& flow = model.flows[f];
        const int from = flow_end_row(model, layout, flow.from);
        const int to = flow_end_row(model, layout, flow.to);
        if (from < 0 || to < 0) return true;
        if (!visible(from, flow.from.time) && !visible(to, flow.to.time)) return true;
        const float fx = arrow_x(view, flow.from.time);
        const float tx = arrow_x(view, flow.to.time);
        const PixelKey key{static_cast<uint32_t>(from), static_cast<uint32_t>(to), static_cast<int32_t>(std::floor(fx)),
                           static_cast<int32_t>(std::floor(tx))};
        if (const auto it = by_pixels.find(key); it != by_pixels.end()) {
            ++out.arrows[it->second].count;
            return true;
        }
        if (out.arrows.size() - first_arrow >= options.max_arrows) {
            ++out.flows_omitted;
            return true;
        }
        by_pixels.emplace(key, out.arrows.size());
        DrawArrow& a = out.arrows.emplace_back();
        a.from_row = key.from_row;
        a.to_row = key.to_row;
        a.from_x = fx;
        a.to_x = tx;
        a.kind = ArrowKind::Flow;
        a.flow = f;
        return true;
    });
}

} // namespace weft
