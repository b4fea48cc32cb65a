// Item models of the viewer over small traces written in the event DSL (tests/support/event_dsl.h):
// structure under QAbstractItemModelTester, sorting, recursive filtering, thresholds, decimation.

#include "event_dsl.h"
#include "models/await_model.h"
#include "models/blocking_model.h"
#include "models/lag_series.h"
#include "models/roles.h"
#include "models/task_filter_proxy.h"
#include "models/task_tree_model.h"
#include "query/selection.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace weft;
using namespace weft::ui;

namespace {

// Ticks are milliseconds (freq=1000). Two roots (server, housekeeping); server spawns
// handle_request and worker_pool, which spawns fetch_db.
constexpr const char* kScript = R"(
process freq=1000
thread L loop name=loop
thread W name=worker
L 0   create 1 name=server at=server.py:10
L 0   run 1
L 1   create 2 parent=1 name=handle_request at=server.py:42
L 2   create 3 parent=1 name=worker_pool at=pool.py:7
L 2   create 5 name=housekeeping at=cron.py:3
L 3   await 1 gather at=server.py:50
L 3   end 1
L 4   run 2
L 5   await 2 read at=net.py:12
L 5   end 2
L 6   run 5
L 6   await 5 read at=net.py:12
L 7   end 5
L 8   lag 1
L 9   resume 5
L 9   run 5
L 10  done 5 ok
L 10  end 5
W 10  run 3
W 11  create 4 parent=3 name=fetch_db at=db.py:99
W 12  end 3
W 13  run 4
W 14  await 4 query at=db.py:120
W 14  end 4
L 25  resume 2
L 25  run 2
L 30  await 2 read at=net.py:12
L 30  end 2
L 45  resume 2
L 45  run 2
L 50  lag 4
L 196 block 150 task=2 frames=parse@json.py:10,handle@server.py:60
L 200 done 2 error msg=boom
L 200 end 2
W 64  resume 4
W 64  run 4
W 115 block 50 task=4 frames=sleep@time.py:1
W 120 done 4 cancelled
W 120 end 4
W 400 block 300
L 210 resume 1
L 210 run 1
L 215 lag 8
L 220 done 1 ok
L 220 end 1
)";

std::shared_ptr<const Model> sampleModel() { return test::build_model(kScript); }

TaskIndex taskNamed(const Model& model, std::string_view name) {
    for (uint32_t i = 0; i < model.tasks.size(); ++i)
        if (model.string(model.tasks[i].name) == name) return TaskIndex(i);
    return {};
}

QStringList rootNames(const QAbstractItemModel& m) {
    QStringList names;
    for (int r = 0; r < m.rowCount(); ++r) names << m.index(r, 0).data().toString();
    return names;
}

constexpr Time kMs = 1'000'000;

} // namespace

class TestModels : public QObject {
    Q_OBJECT
private slots:
    void taskTreeStructure();
    void taskTreeSurvivesInconsistentChildren();
    void taskTreeColumns();
    void taskTreeSortAndFilter();
    void taskTreeEmpty();
    void taskTreeNamesDefaultNamedTasksByCoroutine();
    void awaitModelGroupsAndInstances();
    void awaitModelThreshold();
    void blockingModelRowsAndFrames();
    void lagDecimationKeepsExtremes_data();
    void lagDecimationKeepsExtremes();
    void lagWindowIncludesNeighbours();
};

void TestModels::taskTreeStructure() {
    const auto model = sampleModel();
    QCOMPARE(model->tasks.size(), size_t(5));
    TaskTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setModel(model);

    QCOMPARE(tree.rowCount(), 2);
    QCOMPARE(rootNames(tree), (QStringList{QStringLiteral("server"), QStringLiteral("housekeeping")}));
    const QModelIndex server = tree.index(0, 0);
    QCOMPARE(tree.rowCount(server), 2);
    const QModelIndex pool = tree.index(1, 0, server);
    QCOMPARE(pool.data().toString(), QStringLiteral("worker_pool"));
    QCOMPARE(tree.parent(pool), server);
    const QModelIndex fetch = tree.index(0, 0, pool);
    QCOMPARE(fetch.data().toString(), QStringLiteral("fetch_db"));
    QCOMPARE(tree.rowCount(fetch), 0);

    const TaskIndex fetchTask = taskNamed(*model, "fetch_db");
    QCOMPARE(tree.indexForTask(fetchTask), fetch);
    QCOMPARE(tree.taskAt(fetch), fetchTask);
    QCOMPARE(fetch.data(SelectionKindRole).toInt(), int(Selection::Kind::Task));
    QCOMPARE(fetch.data(SelectionIndexRole).toUInt(), fetchTask.value);
}

void TestModels::taskTreeSurvivesInconsistentChildren() {
    // A damaged model: a task listed under two parents and under itself.
    auto damaged = std::make_shared<Model>(*sampleModel());
    const TaskIndex server = taskNamed(*damaged, "server");
    const TaskIndex fetch = taskNamed(*damaged, "fetch_db");
    const uint32_t first = static_cast<uint32_t>(damaged->task_children.size());
    damaged->task_children.push_back(fetch);  // fetch_db also under server
    damaged->task_children.push_back(server); // server under itself
    damaged->task_children.push_back(TaskIndex(9999));
    damaged->tasks[server.value].children = Range{first, 3};

    TaskTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setModel(damaged);
    int total = 0;
    std::function<void(const QModelIndex&)> count = [&](const QModelIndex& parent) {
        for (int r = 0; r < tree.rowCount(parent); ++r) {
            ++total;
            count(tree.index(r, 0, parent));
        }
    };
    count({});
    // Every task is shown exactly once; handle_request and worker_pool lost their listing parent.
    QCOMPARE(total, 5);
    QCOMPARE(tree.parent(tree.indexForTask(fetch)), tree.indexForTask(server));
}

void TestModels::taskTreeColumns() {
    const auto model = sampleModel();
    TaskTreeModel tree;
    tree.setModel(model);
    const QModelIndex request = tree.indexForTask(taskNamed(*model, "handle_request"));
    const auto cell = [&](int column, int role = Qt::DisplayRole) { return request.siblingAtColumn(column).data(role); };
    QCOMPARE(cell(TaskTreeModel::State).toString(), QStringLiteral("error"));
    QCOMPARE(cell(TaskTreeModel::State, Qt::ToolTipRole).toString(), QStringLiteral("boom"));
    QCOMPARE(cell(TaskTreeModel::Duration, SortRole).toLongLong(), qint64(199 * kMs));
    QCOMPARE(cell(TaskTreeModel::Polls).toInt(), 3);
    QCOMPARE(cell(TaskTreeModel::Threads).toInt(), 1);
    QCOMPARE(cell(TaskTreeModel::SpawnLocation).toString(), QStringLiteral("server.py:42"));
    QVERIFY(!cell(TaskTreeModel::Busy).toString().isEmpty());

    const QModelIndex pool = tree.indexForTask(taskNamed(*model, "worker_pool"));
    QCOMPARE(pool.siblingAtColumn(TaskTreeModel::State).data().toString(), QStringLiteral("unfinished"));
    QVERIFY(pool.siblingAtColumn(TaskTreeModel::Duration).data().toString().startsWith(QStringLiteral("≥")));
    QCOMPARE(tree.headerData(TaskTreeModel::Busy, Qt::Horizontal).toString(), QStringLiteral("Busy"));
}

void TestModels::taskTreeSortAndFilter() {
    const auto model = sampleModel();
    TaskTreeModel tree;
    TaskFilterProxy proxy;
    proxy.setSourceModel(&tree);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    tree.setModel(model);

    proxy.sort(TaskTreeModel::Name, Qt::AscendingOrder);
    QCOMPARE(rootNames(proxy), (QStringList{QStringLiteral("housekeeping"), QStringLiteral("server")}));
    proxy.sort(TaskTreeModel::Busy, Qt::DescendingOrder);
    QCOMPARE(rootNames(proxy).first(), QStringLiteral("server"));
    // Children are sorted too: handle_request ran far longer than worker_pool.
    const QModelIndex server = proxy.index(0, 0);
    QCOMPARE(proxy.index(0, 0, server).data().toString(), QStringLiteral("handle_request"));
    proxy.sort(TaskTreeModel::Busy, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, 0, proxy.index(1, 0)).data().toString(), QStringLiteral("worker_pool"));

    // A match deep in the tree keeps its ancestors; siblings that don't match disappear.
    proxy.setFilterText(QStringLiteral("FETCH"));
    QCOMPARE(rootNames(proxy), QStringList{QStringLiteral("server")});
    const QModelIndex root = proxy.index(0, 0);
    QCOMPARE(proxy.rowCount(root), 1);
    const QModelIndex pool = proxy.index(0, 0, root);
    QCOMPARE(pool.data().toString(), QStringLiteral("worker_pool"));
    QCOMPARE(proxy.index(0, 0, pool).data().toString(), QStringLiteral("fetch_db"));

    proxy.setFilterText(QStringLiteral("cron.py"));
    QCOMPARE(rootNames(proxy), QStringList{QStringLiteral("housekeeping")});
    proxy.setFilterText(QStringLiteral("no such task"));
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setFilterText(QString());
    QCOMPARE(proxy.rowCount(), 2);
}

void TestModels::taskTreeEmpty() {
    TaskTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(tree.rowCount(), 0);
    tree.setModel(std::make_shared<Model>());
    QCOMPARE(tree.rowCount(), 0);
    tree.setModel(nullptr);
    QCOMPARE(tree.rowCount(), 0);
    QVERIFY(!tree.indexForTask(TaskIndex(0)).isValid());
}

void TestModels::taskTreeNamesDefaultNamedTasksByCoroutine() {
    // asyncio's "Task-9" reads as its coroutine, with the default name beside it (dimmed by the
    // tree's delegate) and in the tooltip.
    auto model = std::make_shared<Model>(*sampleModel());
    const TaskIndex fetch = taskNamed(*model, "fetch_db");
    model->strings.push_back("Task-9");
    model->tasks[fetch.value].name = StringId{static_cast<uint32_t>(model->strings.size() - 1)};
    model->strings.push_back("Pool.fetch_db");
    model->tasks[fetch.value].coro_name = StringId{static_cast<uint32_t>(model->strings.size() - 1)};
    TaskTreeModel tree;
    tree.setModel(model);
    const QModelIndex cell = tree.indexForTask(fetch);
    QCOMPARE(cell.data().toString(), QStringLiteral("Pool.fetch_db"));
    QCOMPARE(cell.data(SecondaryTextRole).toString(), QStringLiteral("Task-9"));
    QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("name: Task-9")));
    // A task with a name of its own has nothing dimmed beside it.
    QVERIFY(tree.indexForTask(taskNamed(*model, "server")).data(SecondaryTextRole).toString().isEmpty());
}

void TestModels::awaitModelGroupsAndInstances() {
    const auto model = sampleModel();
    AwaitModel awaits;
    QAbstractItemModelTester tester(&awaits, QAbstractItemModelTester::FailureReportingMode::QtTest);
    awaits.setModel(model, 10 * kMs);
    QTRY_VERIFY(!awaits.computing()); // grouped on a worker thread

    // gather 207 ms, query 50 ms, read 20 + 15 ms (the 3 ms read is under the threshold).
    QCOMPARE(awaits.rowCount(), 3);
    QVERIFY(awaits.index(0, AwaitModel::Where).data().toString().contains(QStringLiteral("server.py:50")));
    QCOMPARE(awaits.index(0, AwaitModel::Total, {}).data(SortRole).toLongLong(), qint64(207 * kMs));
    const QModelIndex read = awaits.index(2, 0);
    QVERIFY(read.data().toString().contains(QStringLiteral("net.py:12")));
    QVERIFY(read.data().toString().startsWith(QStringLiteral("read")));
    QCOMPARE(read.siblingAtColumn(AwaitModel::Count).data().toULongLong(), 2ull);
    QCOMPARE(read.siblingAtColumn(AwaitModel::Max).data(SortRole).toLongLong(), qint64(20 * kMs));
    // Every percentile has its column.
    QVERIFY(!read.siblingAtColumn(AwaitModel::P50).data().toString().isEmpty());
    QVERIFY(!read.siblingAtColumn(AwaitModel::P99).data().toString().isEmpty());
    QCOMPARE(awaits.headerData(AwaitModel::P50, Qt::Horizontal).toString(), QStringLiteral("p50"));
    QCOMPARE(awaits.headerData(AwaitModel::P99, Qt::Horizontal).toString(), QStringLiteral("p99"));
    QCOMPARE(awaits.rowCount(read), 2);

    // Instances: longest first, each naming its task and pointing at its await.
    const QModelIndex longest = awaits.index(0, 0, read);
    QCOMPARE(longest.data().toString(), QStringLiteral("handle_request"));
    QCOMPARE(longest.siblingAtColumn(AwaitModel::Total).data(SortRole).toLongLong(), qint64(20 * kMs));
    const qint64 await = awaits.awaitAt(longest);
    QVERIFY(await >= 0);
    QCOMPARE(model->awaits[static_cast<size_t>(await)].begin, Time(5 * kMs));
    QCOMPARE(longest.data(SelectionKindRole).toInt(), int(Selection::Kind::AwaitPoint));
    QCOMPARE(awaits.indexForAwait(static_cast<uint32_t>(await)), longest);
    QCOMPARE(awaits.awaitAt(read), qint64(-1));
}

void TestModels::awaitModelThreshold() {
    const auto model = sampleModel();
    AwaitModel awaits;
    QAbstractItemModelTester tester(&awaits, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy ready(&awaits, &AwaitModel::groupsReady);
    awaits.setModel(model, 0);
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(awaits.rowCount(), 3);
    qulonglong total = 0;
    for (int r = 0; r < awaits.rowCount(); ++r) total += awaits.index(r, AwaitModel::Count).data().toULongLong();
    QCOMPARE(total, 5ull);
    awaits.setMinDuration(100 * kMs);
    QTRY_COMPARE(ready.count(), 2);
    QCOMPARE(awaits.rowCount(), 1);
    // Two requests in a row: only the newest one is applied.
    awaits.setMinDuration(0);
    awaits.setMinDuration(1000 * kMs);
    QTRY_VERIFY(!awaits.computing());
    QCOMPARE(awaits.minDuration(), 1000 * kMs);
    QCOMPARE(awaits.rowCount(), 0);
}

void TestModels::blockingModelRowsAndFrames() {
    const auto model = sampleModel();
    BlockingModel blocking;
    QAbstractItemModelTester tester(&blocking, QAbstractItemModelTester::FailureReportingMode::QtTest);
    blocking.setModel(model, 100 * kMs);
    QCOMPARE(blocking.rowCount(), 2);
    QCOMPARE(blocking.index(0, BlockingModel::Duration).data(SortRole).toLongLong(), qint64(300 * kMs));
    QCOMPARE(blocking.index(0, BlockingModel::Thread).data().toString(), QStringLiteral("worker"));
    QCOMPARE(blocking.index(1, BlockingModel::Task).data().toString(), QStringLiteral("handle_request"));
    QCOMPARE(blocking.index(1, 0).data(SelectionKindRole).toInt(), int(Selection::Kind::Blocking));

    const uint32_t second = static_cast<uint32_t>(blocking.blockingAt(1));
    QCOMPARE(blocking.rowForBlocking(second), 1);
    const QStringList frames = blocking.framesOf(second);
    QCOMPARE(frames.size(), 2);
    QVERIFY(frames[0].startsWith(QStringLiteral("parse")));
    QVERIFY(frames[0].contains(QStringLiteral("json.py:10")));
    QVERIFY(blocking.framesOf(static_cast<uint32_t>(blocking.blockingAt(0))).isEmpty());

    blocking.setThreshold(0);
    QCOMPARE(blocking.rowCount(), 3);
    QCOMPARE(blocking.blockingAt(5), qint64(-1));
}

void TestModels::lagDecimationKeepsExtremes_data() {
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("buckets");
    QTest::newRow("fewer_than_buckets") << 50 << 100;
    QTest::newRow("exactly_two_per_bucket") << 200 << 100;
    QTest::newRow("dense") << 100'000 << 300;
    QTest::newRow("one_bucket") << 1000 << 1;
}

void TestModels::lagDecimationKeepsExtremes() {
    QFETCH(int, samples);
    QFETCH(int, buckets);
    auto model = std::make_shared<Model>();
    Thread thread;
    thread.event_loop = true;
    thread.lag = Range{0, static_cast<uint32_t>(samples)};
    model->threads.push_back(thread);
    Time maxLag = 0;
    for (int i = 0; i < samples; ++i) {
        // A slow wave with one sharp spike that must survive any decimation.
        const Time lag = (i == samples / 3) ? 500 * kMs : (i % 97) * 10'000;
        maxLag = std::max(maxLag, lag);
        model->lag.push_back({Time(i) * 1000, lag, ThreadIndex(0)});
    }
    const Time t1 = Time(samples - 1) * 1000;
    const auto points = decimatedLag(*model, ThreadIndex(0), 0, t1, buckets);
    QVERIFY(!points.empty());
    QVERIFY(points.size() <= std::max<size_t>(size_t(samples), 0) && points.size() <= 2 * size_t(buckets) + 2);
    if (samples <= 2 * buckets) QCOMPARE(points.size(), size_t(samples));
    Time seenMax = 0;
    for (size_t i = 0; i < points.size(); ++i) {
        seenMax = std::max(seenMax, points[i].lag);
        if (i) QVERIFY(points[i - 1].time <= points[i].time);
    }
    QCOMPARE(seenMax, maxLag);
    QCOMPARE(lagThreads(*model).size(), size_t(1));
}

void TestModels::lagWindowIncludesNeighbours() {
    const auto model = sampleModel();
    const auto threads = lagThreads(*model);
    QCOMPARE(threads.size(), size_t(1));
    QVERIFY(model->thread(threads[0]).event_loop);
    // Only the 50 ms sample is inside [40, 60] ms; its neighbours at 8 and 215 ms come along.
    const auto points = decimatedLag(*model, threads[0], 40 * kMs, 60 * kMs, 100);
    QCOMPARE(points.size(), size_t(3));
    QCOMPARE(points[1].lag, 4 * kMs);
    QCOMPARE(points[0].time, 8 * kMs);
    QCOMPARE(points[2].time, 215 * kMs);
    QVERIFY(decimatedLag(*model, ThreadIndex(42), 0, 100, 10).empty());
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
