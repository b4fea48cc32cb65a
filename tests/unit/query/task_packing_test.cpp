#include "format/trace_reader.h"
#include "model/model_builder.h"
#include "query/draw_list.h"
#include "query/lane_layout.h"
#include "query/task_packing.h"
#include "synth/synthetic_trace.h"

#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <unistd.h>

namespace weft {
namespace {

// A model of one process whose root tasks have the given names and lifetimes.
struct Spec {
    const char* name;
    Time begin;
    Time end; // kNoTime: unfinished
};
std::shared_ptr<Model> roots(const std::vector<Spec>& specs, Time trace_end = 1000) {
    auto m = std::make_shared<Model>();
    m->strings = {""};
    m->locations.resize(1);
    m->end = trace_end;
    std::map<std::string, StringId> ids;
    Process& p = m->processes.emplace_back();
    p.pid = 1;
    for (const Spec& s : specs) {
        auto [it, added] = ids.try_emplace(s.name, StringId{static_cast<uint32_t>(m->strings.size())});
        if (added) m->strings.push_back(s.name);
        Task& t = m->tasks.emplace_back();
        t.task_id = m->tasks.size();
        t.name = it->second;
        t.created = s.begin;
        t.completed = s.end;
        t.state = s.end == kNoTime ? TaskState::Unfinished : TaskState::Ok;
        p.root_tasks.push_back(TaskIndex{static_cast<uint32_t>(m->tasks.size() - 1)});
    }
    return m;
}

// The most tasks alive at once: first-fit packing in start order needs exactly this many rows.
size_t max_overlap(const Model& m, std::span<const TaskIndex> tasks) {
    std::vector<std::pair<Time, int>> edges;
    for (TaskIndex t : tasks) {
        const TaskExtent e = task_extent(m, m.tasks[t.value]);
        edges.emplace_back(e.begin, +1);
        edges.emplace_back(e.end, -1);
    }
    std::sort(edges.begin(), edges.end()); // an end sorts before a start at the same time: they touch
    size_t now = 0, most = 0;
    for (auto [t, d] : edges) {
        now += d;
        most = std::max(most, now);
    }
    return most;
}

void expect_rows_are_lanes(const Model& m, const std::vector<TaskIndex>& items,
                           const std::vector<Range>& rows) {
    for (const Range& r : rows) {
        ASSERT_GT(r.count, 0u);
        for (uint32_t k = r.first + 1; k < r.end(); ++k) {
            const TaskExtent a = task_extent(m, m.tasks[items[k - 1].value]);
            const TaskExtent b = task_extent(m, m.tasks[items[k].value]);
            EXPECT_LE(a.end, b.begin) << "row items overlap or are out of order";
        }
    }
}

TEST(TaskPacking, FirstFreeRowAtStart) {
    // a [0,100] b [10,50] c [60,200] d [120,130] e [150,300]
    auto m = roots({{"t", 0, 100}, {"t", 10, 50}, {"t", 60, 200}, {"t", 120, 130}, {"t", 150, 300}});
    std::vector<TaskIndex> items;
    std::vector<Range> rows;
    pack_tasks(*m, m->processes[0].root_tasks, items, rows);
    ASSERT_EQ(rows.size(), 2u);
    // Row 0: a, then d (row 0 is free again at 120), then nothing (e starts while d... no: d ended
    // at 130, so e takes row 0). Row 1: b, then c (row 1 free since 50).
    auto row = [&](size_t r) {
        std::vector<uint32_t> out;
        for (uint32_t k = rows[r].first; k < rows[r].end(); ++k)
            out.push_back(items[k].value);
        return out;
    };
    EXPECT_EQ(row(0), (std::vector<uint32_t>{0, 3, 4}));
    EXPECT_EQ(row(1), (std::vector<uint32_t>{1, 2}));
}

TEST(TaskPacking, UnfinishedTasksHoldTheirRowToTheEnd) {
    auto m = roots({{"t", 0, kNoTime}, {"t", 10, 20}, {"t", 30, 40}}, 1000);
    std::vector<TaskIndex> items;
    std::vector<Range> rows;
    pack_tasks(*m, m->processes[0].root_tasks, items, rows);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].count, 1u);
    EXPECT_EQ(rows[1].count, 2u);
}

TEST(TaskPacking, RowCountIsTheMostAliveAtOnceAndDeterministic) {
    std::mt19937_64 rng(7);
    std::vector<Spec> specs;
    for (int i = 0; i < 5000; ++i) {
        const Time b = static_cast<Time>(rng() % 1'000'000);
        specs.push_back({"t", b, b + 1 + static_cast<Time>(rng() % 5000)});
    }
    auto m = roots(specs, 2'000'000);
    std::vector<TaskIndex> items, again;
    std::vector<Range> rows, rows_again;
    pack_tasks(*m, m->processes[0].root_tasks, items, rows);
    EXPECT_EQ(rows.size(), max_overlap(*m, m->processes[0].root_tasks));
    EXPECT_EQ(items.size(), specs.size());
    expect_rows_are_lanes(*m, items, rows);
    pack_tasks(*m, m->processes[0].root_tasks, again, rows_again);
    EXPECT_EQ(again, items);
    ASSERT_EQ(rows_again.size(), rows.size());
}

TEST(TaskPacking, LaterTasksLeaveEarlierOnesInTheirRows) {
    // What a live capture does: the same tasks, and more that started later.
    std::mt19937_64 rng(11);
    std::vector<Spec> specs;
    for (int i = 0; i < 2000; ++i) {
        const Time b = static_cast<Time>(i) * 100 + static_cast<Time>(rng() % 100);
        specs.push_back({"t", b, b + 1 + static_cast<Time>(rng() % 3000)});
    }
    auto all = roots(specs, 1'000'000);
    auto row_of = [](const Model& m, std::span<const TaskIndex> tasks) {
        std::vector<TaskIndex> items;
        std::vector<Range> rows;
        pack_tasks(m, tasks, items, rows);
        std::map<uint32_t, size_t> row;
        for (size_t r = 0; r < rows.size(); ++r)
            for (uint32_t k = rows[r].first; k < rows[r].end(); ++k)
                row[items[k].value] = r;
        return row;
    };
    const auto full = row_of(*all, all->processes[0].root_tasks);
    const auto early = row_of(*all, std::span(all->processes[0].root_tasks).first(1500));
    for (const auto& [task, row] : early)
        EXPECT_EQ(full.at(task), row) << "task " << task;
}

TEST(TaskPacking, GroupsByShownNameInOrderOfFirstTask) {
    auto m = roots({{"Task-1", 0, 10}, {"b", 1, 5}, {"Task-2", 2, 30}, {"b", 6, 9}});
    // The default-named tasks run the same coroutine: they group under it.
    const StringId coro{static_cast<uint32_t>(m->strings.size())};
    m->strings.push_back("handler");
    m->tasks[0].coro_name = coro;
    m->tasks[2].coro_name = coro;
    const auto groups = group_tasks(*m, m->processes[0].root_tasks, TaskGrouping::Name);
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(task_group_label(*m, groups[0].key, TaskGrouping::Name), "handler");
    EXPECT_EQ(groups[0].tasks.size(), 2u);
    EXPECT_EQ(task_group_label(*m, groups[1].key, TaskGrouping::Name), "b");
}

TEST(TaskPacking, GroupsBySpawnLocation) {
    auto m = roots({{"a", 0, 10}, {"b", 1, 5}, {"c", 2, 30}});
    Location at;
    at.name = StringId{static_cast<uint32_t>(m->strings.size())};
    m->strings.push_back("accept_loop");
    at.file = StringId{static_cast<uint32_t>(m->strings.size())};
    m->strings.push_back("app/server.py");
    at.line = 112;
    m->locations.push_back(at);
    m->tasks[0].spawn_location = LocationId{1};
    m->tasks[2].spawn_location = LocationId{1};
    const auto groups = group_tasks(*m, m->processes[0].root_tasks, TaskGrouping::SpawnLocation);
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].tasks.size(), 2u);
    EXPECT_EQ(task_group_label(*m, groups[0].key, TaskGrouping::SpawnLocation),
              "accept_loop \u00b7 app/server.py:112");
    EXPECT_EQ(task_group_label(*m, groups[1].key, TaskGrouping::SpawnLocation), "(spawn site unknown)");
}

TEST(TaskPacking, LayoutPacksGroupsAndGivesEveryTaskARow) {
    auto m = roots({{"req", 0, 100}, {"req", 10, 50}, {"req", 60, 200}, {"solo", 5, 500}});
    LaneLayout layout;
    layout.build(*m);
    // Process, Tasks heading, two packed rows of "req", one row of "solo".
    ASSERT_EQ(layout.size(), 5u);
    EXPECT_EQ(layout.row(2).kind, RowKind::TaskPack);
    EXPECT_EQ(layout.row(3).kind, RowKind::TaskPack);
    EXPECT_EQ(layout.row(3).depth, 1);
    EXPECT_EQ(layout.pack_group(layout.row(2)).task_count, 3u);
    EXPECT_EQ(layout.row(4).kind, RowKind::Task);
    EXPECT_EQ(layout.row_of_task(TaskIndex{0}), 2);
    EXPECT_EQ(layout.row_of_task(TaskIndex{1}), 3);
    EXPECT_EQ(layout.row_of_task(TaskIndex{2}), 3);
    EXPECT_EQ(layout.row_of_task(TaskIndex{3}), 4);
    // The hit test finds a packed task by time.
    ViewMapping view;
    view.begin = 0;
    view.end = 1000;
    view.width = 1000;
    EXPECT_EQ(hit_test(*m, layout, view, 3, 70), (Selection{Selection::Kind::Task, 2}));
    EXPECT_EQ(hit_test(*m, layout, view, 3, 55), Selection{});
}

TEST(TaskPacking, ExpandedTaskLeavesThePackForItsOwnRowWithItsChildren) {
    auto m = roots({{"req", 0, 100}, {"req", 10, 50}, {"child", 20, 30}});
    // Task 2 is a child of task 0.
    m->processes[0].root_tasks = {TaskIndex{0}, TaskIndex{1}};
    m->tasks[2].parent = TaskIndex{0};
    m->task_children = {TaskIndex{2}};
    m->tasks[0].children = {0, 1};
    LaneLayout layout;
    layout.build(*m);
    ASSERT_EQ(layout.size(), 4u); // process, heading, two packed rows
    layout.expand_to(*m, TaskIndex{2});
    layout.build(*m);
    // Task 1 alone in the pack, then task 0 on its own row, then its child.
    ASSERT_EQ(layout.size(), 5u);
    EXPECT_EQ(layout.row(2).kind, RowKind::TaskPack);
    EXPECT_EQ(layout.row(3).kind, RowKind::Task);
    EXPECT_EQ(layout.row(3).index, 0u);
    EXPECT_TRUE(layout.row(3).expanded);
    EXPECT_EQ(layout.row(4).kind, RowKind::Task);
    EXPECT_EQ(layout.row(4).indent, 2);
    EXPECT_EQ(layout.row_of_task(TaskIndex{2}), 4);
    // Collapsing it puts it back into the pack.
    ASSERT_TRUE(layout.toggle(*m, 3));
    EXPECT_EQ(layout.size(), 4u);
}

TEST(TaskPacking, DrawListFoldsNarrowTasksAndSaysOneFailed) {
    std::vector<Spec> specs;
    for (Time b = 0; b < 10'000; b += 10)
        specs.push_back({"req", b, b + 5});
    auto m = roots(specs, 10'000);
    m->tasks[500].state = TaskState::Error;
    LaneLayout layout;
    layout.build(*m);
    ASSERT_EQ(layout.size(), 3u);
    ViewMapping view;
    view.begin = 0;
    view.end = 10'000;
    view.width = 100; // 100 tasks per pixel
    DrawList list;
    build_draw_list(*m, layout, view, 0, layout.size(), list);
    const Range r = list.row_marks[2];
    ASSERT_GT(r.count, 5u); // folds are a few pixels wide, not one bar across the view
    uint32_t folded = 0;
    bool failed = false;
    for (uint32_t i = r.first; i < r.end(); ++i) {
        const DrawMark& mark = list.marks[i];
        EXPECT_EQ(mark.kind, MarkKind::TaskFold);
        EXPECT_NEAR(mark.value, 0.5, 0.1); // alive half of the time
        folded += mark.count;
        failed |= mark.aux == kEndedFailed && mark.begin <= 5000 && mark.end >= 5000;
    }
    EXPECT_EQ(folded, 1000u);
    EXPECT_TRUE(failed);
}

TEST(TaskPacking, GeneratedServerTraceNeedsFewRows) {
    const std::string path =
        (std::filesystem::temp_directory_path() / ("weft-packing-" + std::to_string(getpid()) + ".weft"))
            .string();
    synth::SynthOptions options;
    options.events = 300'000;
    options.seed = 3;
    synth::SynthResult result;
    std::string error;
    ASSERT_TRUE(synth::generate_trace(options, path, result, error)) << error;
    format::ReadReport report;
    const auto m = load_trace(path, report);
    std::filesystem::remove(path);
    ASSERT_TRUE(m);
    LaneLayout layout;
    layout.build(*m);
    size_t roots = 0;
    for (const Process& p : m->processes)
        roots += p.root_tasks.size();
    ASSERT_GT(roots, 1000u);
    size_t task_rows = 0;
    for (const LaneRow& row : layout.rows())
        task_rows += row.kind == RowKind::TaskPack || row.kind == RowKind::Task;
    // As many rows as requests were in flight at once, not one per request.
    std::vector<TaskIndex> all;
    for (const Process& p : m->processes)
        all.insert(all.end(), p.root_tasks.begin(), p.root_tasks.end());
    EXPECT_LE(task_rows, max_overlap(*m, all));
    EXPECT_LT(task_rows * 20, roots);
    for (const Process& p : m->processes)
        for (TaskIndex t : p.root_tasks)
            ASSERT_GE(layout.row_of_task(t), 0);

    // Two workers build the same draw list as one, at an overview and zoomed in.
    layout.set_thread_pinned(*m, ThreadIndex{1}, true);
    layout.set_task_expanded(m->processes[0].root_tasks[0], true);
    layout.build(*m);
    for (double fraction : {1.0, 0.01}) {
        ViewMapping view;
        const Time span = static_cast<Time>(static_cast<double>(m->end - m->begin) * fraction);
        view.begin = fraction < 1 ? m->begin + (m->end - m->begin) / 2 : m->begin;
        view.end = view.begin + span;
        view.width = 1500;
        DrawOptions one, two;
        two.workers = 2;
        DrawList a, b;
        build_draw_list(*m, layout, view, 3, layout.size(), a, one);
        build_draw_list(*m, layout, view, 3, layout.size(), b, two);
        ASSERT_GT(a.marks.size(), 50u);
        ASSERT_EQ(a.marks.size(), b.marks.size());
        for (size_t i = 0; i < a.marks.size(); ++i) {
            ASSERT_EQ(a.marks[i].row, b.marks[i].row) << i;
            ASSERT_EQ(a.marks[i].selection, b.marks[i].selection) << i;
            ASSERT_EQ(a.marks[i].count, b.marks[i].count) << i;
            ASSERT_EQ(a.marks[i].x0, b.marks[i].x0) << i;
        }
        for (size_t r = 0; r < layout.size(); ++r) {
            ASSERT_EQ(a.row_marks[r].first, b.row_marks[r].first) << r;
            ASSERT_EQ(a.row_marks[r].count, b.row_marks[r].count) << r;
        }
    }
}

} // namespace
} // namespace weft
