// Timeline frame cost on a 10M-event trace: draw-list build + paint of a 1920x1080 viewport into a
// QImage at whole-trace, middle and deepest zoom, one zoom step and one pan step. Reported, never
// asserted; the budget is 16 ms per frame (docs: performance budget).
//
// The model is synthesised in memory (8 threads, 2.5M run slices, 2.5M await points, 24k tasks,
// 200k thread spans: about 10.3M events), or loaded from the .weft file named by WEFT_BENCH_TRACE.
//
// BM_PaintImported draws what an imported trace-event file holds instead, with every flow in view
// shown: 8 threads of spans without run slices, 1M counter samples in 4 tracks, 480k instants,
// 480k samples and 100k flows.

#include "model/model_builder.h"
#include "query/draw_list.h"
#include "timeline/timeline_view.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>

namespace {

using namespace weft;

std::shared_ptr<const Model> synthesise() {
    auto m = std::make_shared<Model>();
    m->strings = {""};
    m->locations.resize(1);
    constexpr uint32_t kThreads = 8;
    constexpr uint32_t kSlicesPerThread = 312'500;
    constexpr uint32_t kTasksPerThread = 3'000;
    constexpr uint32_t kRoots = 64;
    constexpr uint32_t kTasks = kThreads * kTasksPerThread;
    std::mt19937_64 rng(42);
    auto uniform = [&](Time lo, Time hi) { return lo + static_cast<Time>(rng() % static_cast<uint64_t>(hi - lo)); };

    Process& p = m->processes.emplace_back();
    p.exe = "synthetic";
    p.pid = 1;
    std::vector<std::vector<uint32_t>> task_runs(kTasks);
    for (uint32_t th = 0; th < kThreads; ++th) {
        Thread& t = m->threads.emplace_back();
        t.name = "worker-" + std::to_string(th);
        t.event_loop = th == 0;
        t.process = ProcessIndex{0};
        p.threads.push_back(ThreadIndex{th});
        const uint32_t first = static_cast<uint32_t>(m->runs.size());
        Time now = uniform(0, 1000);
        for (uint32_t i = 0; i < kSlicesPerThread; ++i) {
            const Time len = uniform(300, 8'000);
            const uint32_t task = th * kTasksPerThread + (i % kTasksPerThread);
            m->runs.begin.push_back(now);
            m->runs.end.push_back(now + len);
            m->runs.task.push_back(TaskIndex{task});
            task_runs[task].push_back(static_cast<uint32_t>(m->runs.size() - 1));
            now += len + uniform(100, 25'000);
        }
        t.run_slices = {first, kSlicesPerThread};
        // Two depths of thread spans, non-overlapping within a depth.
        for (uint16_t depth = 0; depth < 2; ++depth) {
            const uint32_t sfirst = static_cast<uint32_t>(m->thread_spans.size());
            const uint32_t count = depth == 0 ? 20'000 : 5'000;
            const StringId name{static_cast<uint32_t>(m->strings.size())};
            m->strings.push_back(depth == 0 ? "handle_request" : "parse");
            Time s = 0;
            for (uint32_t k = 0; k < count; ++k) {
                const Time len = uniform(1'000, depth == 0 ? 100'000 : 300'000);
                m->thread_spans.push_back({s, s + len, LocationId{0}, name, StringId{0}, depth, false});
                s += len + uniform(10'000, 400'000);
            }
            t.span_depths.push_back({sfirst, count});
        }
        m->end = std::max(m->end, now);
    }
    // Tasks: each awaits between its consecutive run slices.
    const StringId awaitable{static_cast<uint32_t>(m->strings.size())};
    m->strings.push_back("socket.recv");
    m->tasks.resize(kTasks);
    std::vector<std::vector<TaskIndex>> children(kRoots);
    for (uint32_t k = 0; k < kTasks; ++k) {
        Task& task = m->tasks[k];
        task.task_id = 1000 + k;
        task.process = ProcessIndex{0};
        task.name = StringId{static_cast<uint32_t>(m->strings.size())};
        m->strings.push_back("conn-" + std::to_string(k));
        const auto& runs = task_runs[k];
        task.slices = {static_cast<uint32_t>(m->task_slices.size()), static_cast<uint32_t>(runs.size())};
        m->task_slices.insert(m->task_slices.end(), runs.begin(), runs.end());
        task.created = m->runs.begin[runs.front()] - 500;
        task.first_run = m->runs.begin[runs.front()];
        task.completed = m->runs.end[runs.back()];
        task.polls = static_cast<uint32_t>(runs.size());
        task.thread_count = 1;
        task.state = TaskState::Ok;
        task.awaits.first = static_cast<uint32_t>(m->awaits.size());
        for (size_t j = 0; j + 1 < runs.size(); ++j) {
            const Time b = m->runs.end[runs[j]];
            const Time e = std::max(b, m->runs.begin[runs[j + 1]] - 200);
            m->awaits.push_back({b, e, TaskIndex{k}, awaitable, LocationId{0}, false});
        }
        task.awaits.count = static_cast<uint32_t>(m->awaits.size()) - task.awaits.first;
        if (k < kRoots) {
            p.root_tasks.push_back(TaskIndex{k});
        } else {
            task.parent = TaskIndex{k % kRoots};
            task.depth = 1;
            children[k % kRoots].push_back(TaskIndex{k});
        }
    }
    for (uint32_t r = 0; r < kRoots; ++r) {
        m->tasks[r].children = {static_cast<uint32_t>(m->task_children.size()),
                                static_cast<uint32_t>(children[r].size())};
        m->task_children.insert(m->task_children.end(), children[r].begin(), children[r].end());
    }
    m->event_count = 2 * (m->runs.size() + m->awaits.size() + m->thread_spans.size()) + 2 * m->tasks.size();
    return m;
}

std::shared_ptr<const Model> synthesise_imported() {
    auto m = std::make_shared<Model>();
    m->strings = {"", "RunTask", "Layout", "Paint", "mark", "cpu", "memory", "used", "free", "gpu", "ipc"};
    m->locations.resize(1);
    for (uint32_t name : {1u, 2u, 3u, 4u, 10u}) m->locations.push_back({StringId{name}, StringId{0}, StringId{0}, 0});
    constexpr uint32_t kThreads = 8;
    constexpr uint32_t kSpans = 20'000;     // per thread and depth
    constexpr uint32_t kPoints = 60'000;    // instants and samples per thread
    constexpr uint32_t kCounterSamples = 250'000;
    constexpr uint32_t kFlows = 100'000;
    constexpr Time kSpanPeriod = 50'000;    // 1 s of trace
    const Time end = kSpans * kSpanPeriod;
    std::mt19937_64 rng(7);
    Process& p = m->processes.emplace_back();
    p.exe = "imported";
    p.pid = 2;
    for (uint32_t th = 0; th < kThreads; ++th) {
        Thread& t = m->threads.emplace_back();
        t.name = "thread-" + std::to_string(th);
        t.process = ProcessIndex{0};
        p.threads.push_back(ThreadIndex{th});
        // Three nested depths: each span holds the next depth's one.
        for (uint16_t depth = 0; depth < 3; ++depth) {
            const uint32_t first = static_cast<uint32_t>(m->thread_spans.size());
            for (uint32_t k = 0; k < kSpans; ++k) {
                const Time b = k * kSpanPeriod + depth * 2'000;
                m->thread_spans.push_back({b, b + 30'000 - depth * 8'000, LocationId{1u + depth}, StringId{1u + depth},
                                           StringId{0}, depth, false});
            }
            t.span_depths.push_back({first, kSpans});
        }
    }
    // Instants by thread, then samples by thread: each thread's own range, by time.
    for (uint32_t th = 0; th < kThreads; ++th) {
        m->threads[th].instants = {static_cast<uint32_t>(m->instants.size()), kPoints};
        for (uint32_t k = 0; k < kPoints; ++k)
            m->instants.push_back({static_cast<Time>(k) * (end / kPoints) + th, ThreadIndex{th}, LocationId{4}, StringId{0},
                                   InstantScope::Thread});
    }
    for (uint32_t th = 0; th < kThreads; ++th) {
        m->threads[th].samples = {static_cast<uint32_t>(m->samples.size()), kPoints};
        for (uint32_t k = 0; k < kPoints; ++k)
            m->samples.push_back({static_cast<Time>(k) * (end / kPoints) + 7 * th, ThreadIndex{th}, StringId{5}, Range{}, 1});
    }
    p.counters = {0, 4};
    for (uint32_t c = 0; c < 4; ++c) {
        CounterTrack& track = m->counters.emplace_back();
        track.process = ProcessIndex{0};
        track.name = StringId{c < 2 ? 6u : 9u};
        track.series = StringId{c % 2 == 0 ? 7u : 8u};
        track.samples = {static_cast<uint32_t>(m->counter_samples.size()), kCounterSamples};
        double v = 100;
        track.min = track.max = v;
        for (uint32_t k = 0; k < kCounterSamples; ++k) {
            v = std::max(0.0, v + static_cast<double>(static_cast<int64_t>(rng() % 21) - 10));
            m->counter_samples.time.push_back(static_cast<Time>(k) * (end / kCounterSamples));
            m->counter_samples.value.push_back(v);
            track.min = std::min(track.min, v);
            track.max = std::max(track.max, v);
        }
    }
    for (uint32_t f = 0; f < kFlows; ++f) {
        // From a depth-0 span of one thread to one of another, a little later.
        const Time at = static_cast<Time>(f) * (end / kFlows);
        Flow& flow = m->flows.emplace_back();
        flow.from = {at, ThreadIndex{f % kThreads}, AsyncSpanIndex{}, 0};
        flow.to = {at + 20'000, ThreadIndex{(f * 3 + 1) % kThreads}, AsyncSpanIndex{}, 0};
        flow.location = LocationId{5};
        flow.flow_id = f + 1;
    }
    m->end = end + 50'000;
    m->event_count = 2 * m->thread_spans.size() + m->instants.size() + m->samples.size() + m->counter_samples.size() +
                     2 * m->flows.size();
    return m;
}

std::shared_ptr<const Model> bench_model() {
    static std::shared_ptr<const Model> model = [] {
        if (const char* path = std::getenv("WEFT_BENCH_TRACE")) {
            format::ReadReport report;
            auto loaded = load_trace(path, report);
            if (loaded) return loaded;
            std::fprintf(stderr, "could not load %s; synthesising\n", path);
        }
        return synthesise();
    }();
    return model;
}

struct Fixture {
    ui::TimelineView view;
    QImage image{1920, 1080, QImage::Format_ARGB32_Premultiplied};
    Fixture() {
        view.resize(1920, 1080);
        view.setModel(bench_model());
        // Fill the viewport below the threads with expanded task rows.
        view.setTaskExpanded(TaskIndex{0}, true);
        view.setTaskExpanded(TaskIndex{1}, true);
    }
    void frame() {
        view.render(&image);
        benchmark::DoNotOptimize(image.constBits());
    }
    void report(benchmark::State& state) {
        state.counters["marks"] = static_cast<double>(view.drawList().marks.size());
        state.counters["rows"] = static_cast<double>(view.drawList().last_row - view.drawList().first_row);
        state.counters["events"] = static_cast<double>(bench_model()->event_count);
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

enum Zoom { Whole = 0, Middle = 1, Deepest = 2 };

void set_zoom(Fixture& f, int zoom) {
    const Model& m = *bench_model();
    const Time mid = m.begin + (m.end - m.begin) / 2;
    f.view.fitAll();
    if (zoom == Middle) f.view.setVisibleRange(mid - 5'000'000, mid + 5'000'000); // 10 ms
    if (zoom == Deepest) f.view.setVisibleRange(mid, mid);                        // clamped to the minimum span
}

void BM_PaintFrame(benchmark::State& state) {
    Fixture& f = fixture();
    set_zoom(f, static_cast<int>(state.range(0)));
    for (auto _ : state) f.frame();
    f.report(state);
    // WEFT_BENCH_SNAPSHOT=dir saves each zoom's last frame as a PNG, to look at what was measured.
    if (const char* dir = std::getenv("WEFT_BENCH_SNAPSHOT"))
        f.image.save(QString::fromLocal8Bit(dir) + QStringLiteral("/timeline_zoom_") +
                     QString::number(state.range(0)) + QStringLiteral(".png"));
    state.SetLabel(state.range(0) == Whole ? "whole trace" : state.range(0) == Middle ? "10 ms" : "deepest");
}
BENCHMARK(BM_PaintFrame)->Arg(Whole)->Arg(Middle)->Arg(Deepest)->Unit(benchmark::kMillisecond);

// What an imported trace draws, every flow in view included.
void BM_PaintImported(benchmark::State& state) {
    static std::shared_ptr<const Model> model = synthesise_imported();
    static ui::TimelineView view;
    static QImage image{1920, 1080, QImage::Format_ARGB32_Premultiplied};
    if (view.model() != model) {
        view.resize(1920, 1080);
        view.setModel(model);
        view.setShowAllFlows(true);
        while (!view.indexesReady()) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    const Time mid = model->begin + (model->end - model->begin) / 2;
    view.fitAll();
    if (state.range(0) == Middle) view.setVisibleRange(mid - 5'000'000, mid + 5'000'000);
    if (state.range(0) == Deepest) view.setVisibleRange(mid, mid);
    for (auto _ : state) {
        view.render(&image);
        benchmark::DoNotOptimize(image.constBits());
    }
    state.counters["marks"] = static_cast<double>(view.drawList().marks.size());
    state.counters["arrows"] = static_cast<double>(view.drawList().arrows.size());
    state.counters["events"] = static_cast<double>(model->event_count);
    if (const char* dir = std::getenv("WEFT_BENCH_SNAPSHOT"))
        image.save(QString::fromLocal8Bit(dir) + QStringLiteral("/timeline_imported_") +
                   QString::number(state.range(0)) + QStringLiteral(".png"));
    state.SetLabel(state.range(0) == Whole ? "whole trace" : state.range(0) == Middle ? "10 ms" : "deepest");
}
BENCHMARK(BM_PaintImported)->Arg(Whole)->Arg(Middle)->Arg(Deepest)->Unit(benchmark::kMillisecond);

void BM_DrawListOnly(benchmark::State& state) {
    Fixture& f = fixture();
    set_zoom(f, static_cast<int>(state.range(0)));
    const LaneLayout& layout = f.view.laneLayout();
    DrawList list;
    const ViewMapping view = f.view.mapping();
    const size_t rows = std::min<size_t>(layout.size(), 60);
    DrawOptions options;
    options.lod.max_fold_px = static_cast<double>(state.range(1));
    for (auto _ : state) {
        build_draw_list(*bench_model(), layout, view, 0, rows, list, options);
        benchmark::DoNotOptimize(list.marks.data());
    }
    state.counters["marks"] = static_cast<double>(list.marks.size());
}
// The second argument is LodOptions::max_fold_px: 8 as the viewer draws, 100000 for one fold per
// dense stretch (no shading per few pixels), to see what the narrower folds cost.
BENCHMARK(BM_DrawListOnly)
    ->ArgsProduct({{Whole, Middle, Deepest}, {8, 100000}})
    ->Unit(benchmark::kMillisecond);

// One Ctrl+wheel notch in or out (alternating, so the range stays put) and the frame it causes.
void BM_ZoomStep(benchmark::State& state) {
    Fixture& f = fixture();
    set_zoom(f, Middle);
    bool in = true;
    for (auto _ : state) {
        f.view.zoomBy(in ? 1.25 : 0.8);
        in = !in;
        f.frame();
    }
    f.report(state);
}
BENCHMARK(BM_ZoomStep)->Unit(benchmark::kMillisecond);

// Rebuilding the rows: what a new model (a load, every live snapshot) and every expand, collapse,
// hide or pin costs. Packing the sibling tasks into rows is most of it on a trace of many tasks.
void BM_LayoutBuild(benchmark::State& state) {
    const Model& m = *bench_model();
    LaneLayout layout;
    layout.set_task_expanded(TaskIndex{0}, true);
    for (auto _ : state) {
        layout.build(m);
        benchmark::DoNotOptimize(layout.size());
    }
    size_t packed = 0;
    for (const LaneRow& r : layout.rows())
        packed += r.kind == RowKind::TaskPack;
    state.counters["rows"] = static_cast<double>(layout.size());
    state.counters["packed_rows"] = static_cast<double>(packed);
    state.counters["tasks"] = static_cast<double>(m.tasks.size());
}
BENCHMARK(BM_LayoutBuild)->Unit(benchmark::kMillisecond);

// A 40 px drag step (alternating direction) and its frame, at whole-trace zoom where lanes are densest.
void BM_PanStep(benchmark::State& state) {
    Fixture& f = fixture();
    set_zoom(f, Whole);
    f.view.zoomBy(2.0);
    bool right = true;
    for (auto _ : state) {
        f.view.panByPixels(right ? 40 : -40);
        right = !right;
        f.frame();
    }
    f.report(state);
}
BENCHMARK(BM_PanStep)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
