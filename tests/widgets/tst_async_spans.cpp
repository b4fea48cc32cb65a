// The Async Spans dock: its table model under QAbstractItemModelTester, longest first, sorting that
// keeps the selection, the name filter, thread hops, events per thread, the parent chain, and the
// selection it asks for. Offscreen.
#include "../unit/query/query_fixture.h"
#include "models/async_span_model.h"
#include "models/roles.h"
#include "panels/async_span_panel.h"

#include <QAbstractItemModelTester>
#include <QFont>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using weft::Selection;
using weft::ui::AsyncSpanModel;
using weft::ui::AsyncSpanPanel;
using K = weft::Selection::Kind;

Q_DECLARE_METATYPE(weft::Selection)

namespace {

// The small model's spans "request" [20,250] > "db" [30,80], both begun on main; "db" ends on the
// worker (it hopped), and a third, "cache" [300,310], on the worker.
std::shared_ptr<weft::Model> spans_model() {
    auto m = weft::test::small_model();
    m->async_spans[0].begin_thread = m->async_spans[0].end_thread = weft::ThreadIndex{0};
    m->async_spans[1].begin_thread = weft::ThreadIndex{0};
    m->async_spans[1].end_thread = weft::ThreadIndex{1};
    weft::AsyncSpan cache = m->async_spans[0];
    cache.span_id = 9;
    cache.begin = 300;
    cache.end = 310;
    cache.name = weft::test::intern(*m, "cache");
    cache.begin_thread = cache.end_thread = weft::ThreadIndex{1};
    cache.task = weft::TaskIndex{1};
    m->async_spans.push_back(cache);
    return m;
}

QString cell(const AsyncSpanModel& model, int row, int column) {
    return model.data(model.index(row, column)).toString();
}

} // namespace

class AsyncSpansTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<weft::Selection>(); }

    void modelIsConsistentAndLongestFirst() {
        AsyncSpanModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModel(spans_model());
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int(AsyncSpanModel::ColumnCount));
        // Longest first: request (230 ns), db (50 ns), cache (10 ns).
        QCOMPARE(cell(model, 0, AsyncSpanModel::Name), QStringLiteral("request"));
        QCOMPARE(cell(model, 1, AsyncSpanModel::Name), QStringLiteral("db"));
        QCOMPARE(cell(model, 2, AsyncSpanModel::Name), QStringLiteral("cache"));
        QCOMPARE(cell(model, 1, AsyncSpanModel::Parent), QStringLiteral("request"));
        QCOMPARE(cell(model, 0, AsyncSpanModel::Parent), QStringLiteral("\u2014"));
        QCOMPARE(model.data(model.index(1, 0), weft::ui::SelectionKindRole).toInt(), int(K::AsyncSpan));
        QCOMPARE(model.data(model.index(1, 0), weft::ui::SelectionIndexRole).toUInt(), 1u);
        QCOMPARE(model.parentChain(1), QStringLiteral("request \u203a db"));
        model.setModel(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void sortingKeepsPersistentIndexesAndFilterMatchesNames() {
        AsyncSpanModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setModel(spans_model());
        const QPersistentModelIndex db = model.index(model.rowOfSpan(1), AsyncSpanModel::Name);
        model.sort(AsyncSpanModel::Begin, Qt::AscendingOrder);
        QCOMPARE(cell(model, 0, AsyncSpanModel::Name), QStringLiteral("request"));
        QCOMPARE(cell(model, 2, AsyncSpanModel::Name), QStringLiteral("cache"));
        QVERIFY(db.isValid());
        QCOMPARE(db.data().toString(), QStringLiteral("db"));
        model.sort(AsyncSpanModel::Name, Qt::AscendingOrder);
        QCOMPARE(cell(model, 0, AsyncSpanModel::Name), QStringLiteral("cache"));
        model.setNameFilter(QStringLiteral("DB"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.spanAt(0), 1);
        QCOMPARE(model.rowOfSpan(0), -1);
        model.setNameFilter(QString());
        QCOMPARE(model.rowCount(), 3);
        // A new model keeps the sort.
        model.setModel(spans_model());
        QCOMPARE(cell(model, 0, AsyncSpanModel::Name), QStringLiteral("cache"));
    }

    void threadHopsAndEventsPerThread() {
        AsyncSpanModel model;
        model.setModel(spans_model());
        QCOMPARE(model.hoppedSpans(), uint64_t{1});
        QCOMPARE(model.beginsPerThread(), (std::vector<uint64_t>{2, 1}));
        QCOMPARE(model.endsPerThread(), (std::vector<uint64_t>{1, 2}));
        const int db = model.rowOfSpan(1);
        QVERIFY(model.data(model.index(db, AsyncSpanModel::EndThread), Qt::FontRole).value<QFont>().bold());
        QVERIFY(
            !model.data(model.index(model.rowOfSpan(0), AsyncSpanModel::EndThread), Qt::FontRole).isValid());
        QCOMPARE(cell(model, db, AsyncSpanModel::BeginThread), QStringLiteral("main"));
        QCOMPARE(cell(model, db, AsyncSpanModel::EndThread), QStringLiteral("worker"));
    }

    void panelAsksForTheSelectedSpanAndFollowsTheSelection() {
        AsyncSpanPanel panel;
        panel.resize(700, 400);
        panel.setModel(spans_model());
        QSignalSpy selected(&panel, &AsyncSpanPanel::selectionRequested);
        QSignalSpy fit(&panel, &AsyncSpanPanel::fitRequested);
        QTableView* view = panel.view();
        const int db = panel.spanModel()->rowOfSpan(1);
        view->selectionModel()->setCurrentIndex(
            view->model()->index(db, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.last().at(0).value<Selection>(), (Selection{K::AsyncSpan, 1}));
        QCOMPARE(panel.chainLabel()->text(), QStringLiteral("request \u203a db"));
        emit view->doubleClicked(view->model()->index(db, 0));
        QCOMPARE(fit.count(), 1);
        // Following the shared selection does not echo it back.
        panel.selectSpan(0);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(view->currentIndex().row(), panel.spanModel()->rowOfSpan(0));
        panel.selectSpan(UINT32_MAX);
        QVERIFY(!view->selectionModel()->hasSelection());
        // The per-thread table lists both threads; the filter narrows the table.
        QCOMPARE(panel.threadTable()->rowCount(), 2);
        panel.filterEdit()->setText(QStringLiteral("cach"));
        QCOMPARE(view->model()->rowCount(), 1);
    }
};

QTEST_MAIN(AsyncSpansTest)
#include "tst_async_spans.moc"
