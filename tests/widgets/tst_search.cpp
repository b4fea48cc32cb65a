// The Find bar, offscreen: typing searches after a short pause, the count says where the user is,
// Enter / Shift+Enter / F3 walk the matches in time order and wrap, Esc clears, a new model is
// searched again, and a search typed past in the background is dropped.

#include "event_dsl.h"
#include "panels/search_bar.h"
#include "private_settings.h"

#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

using namespace weft;
using namespace weft::ui;

namespace {

// Ticks are milliseconds. "server" is in two task names and one await location.
std::shared_ptr<const Model> serverModel() {
    return test::build_model(R"(
process freq=1000
thread L loop name=loop
L 0   create 1 name=server at=main.py:10
L 0   run 1
L 1   create 2 parent=1 name=Task-2 coro=handle_request at=main.py:42
L 2   await 1 gather at=server.py:50
L 2   end 1
L 3   run 2
L 4   create 3 parent=2 name=server_probe at=probe.py:3
L 5   await 2 read at=net.py:12
L 5   end 2
L 50  resume 2
L 50  run 2
L 60  done 2 ok
L 60  end 2
L 300 resume 1
L 300 run 1
L 310 done 1 ok
L 310 end 1
)");
}

// Another trace: "server" once, as a thread span.
std::shared_ptr<const Model> otherModel() {
    return test::build_model(R"(
thread T name=worker
T 0  span serve_static
T 5  close
T 10 span server_push
T 20 close
)");
}

Selection selectionArg(const QSignalSpy& spy, int i) {
    return spy.at(i).at(0).value<Selection>();
}

} // namespace

class TestSearch : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void typingFindsMatchesAfterAPause();
    void enterWalksTheMatchesAndWraps();
    void enterRightAfterTypingGoesToTheFirstMatch();
    void functionKeysAndButtonsWalkToo();
    void nextStartsFromTheViewersSelection();
    void escapeClearsAndCloses();
    void aNewModelIsSearchedAgain();
    void aBackgroundSearchTypedPastIsDropped();

private:
    QTemporaryDir m_dir;
};

void TestSearch::initTestCase() {
    QVERIFY(m_dir.isValid());
    test::usePrivateSettings(m_dir);
}

void TestSearch::typingFindsMatchesAfterAPause() {
    const auto model = serverModel();
    SearchBar bar;
    bar.setModel(model);
    auto* count = bar.findChild<QLabel*>();
    QVERIFY(count);
    QCOMPARE(bar.lineEdit()->placeholderText(), QStringLiteral("Find tasks, spans, awaits, stacks\u2026"));
    QSignalSpy changed(&bar, &SearchBar::matchesChanged);

    QTest::keyClicks(bar.lineEdit(), QStringLiteral("SERVER"));
    QVERIFY(bar.searching());
    QCOMPARE(bar.matches().size(), size_t{0}); // not at each keystroke
    QTRY_COMPARE(bar.matches().size(), size_t{3});
    QVERIFY(!bar.searching());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(bar.totalMatches(), size_t{3});
    QCOMPARE(bar.currentIndex(), -1);
    QCOMPARE(count->text(), QStringLiteral("3 matches"));
    QVERIFY(count->toolTip().contains(QStringLiteral("2 tasks")));
    QVERIFY(count->toolTip().contains(QStringLiteral("1 await point")));
    QCOMPARE(bar.matches(), search_trace(*model, "server").matches);

    bar.lineEdit()->setText(QStringLiteral("no such name"));
    QTRY_COMPARE(count->text(), QStringLiteral("No matches"));
    QVERIFY(bar.matches().empty());
}

void TestSearch::enterWalksTheMatchesAndWraps() {
    const auto model = serverModel();
    SearchBar bar;
    bar.setModel(model);
    auto* count = bar.findChild<QLabel*>();
    bar.lineEdit()->setText(QStringLiteral("server"));
    QTRY_COMPARE(bar.matches().size(), size_t{3});
    const std::vector<Selection> all = bar.matches();
    QSignalSpy spy(&bar, &SearchBar::matchActivated);

    for (int i = 0; i < 4; ++i)
        QTest::keyClick(bar.lineEdit(), Qt::Key_Return);
    QCOMPARE(spy.count(), 4);
    QCOMPARE(selectionArg(spy, 0), all[0]);
    QCOMPARE(selectionArg(spy, 1), all[1]);
    QCOMPARE(selectionArg(spy, 2), all[2]);
    QCOMPARE(selectionArg(spy, 3), all[0]); // wrapped
    QCOMPARE(bar.currentIndex(), 0);
    QCOMPARE(count->text(), QStringLiteral("1 / 3"));

    QTest::keyClick(bar.lineEdit(), Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(selectionArg(spy, 4), all[2]); // wrapped backwards
    QCOMPARE(count->text(), QStringLiteral("3 / 3"));
    QTest::keyClick(bar.lineEdit(), Qt::Key_Enter, Qt::ShiftModifier);
    QCOMPARE(selectionArg(spy, 5), all[1]);
    QCOMPARE(bar.currentIndex(), 1);
}

void TestSearch::enterRightAfterTypingGoesToTheFirstMatch() {
    const auto model = serverModel();
    SearchBar bar;
    bar.setModel(model);
    QSignalSpy spy(&bar, &SearchBar::matchActivated);
    QTest::keyClicks(bar.lineEdit(), QStringLiteral("handle"));
    QTest::keyClick(bar.lineEdit(), Qt::Key_Return); // before the pause is over
    QCOMPARE(spy.count(), 1);
    const SearchResult handle = search_trace(*model, "handle");
    QCOMPARE(handle.matches.size(), size_t{1});
    QCOMPARE(selectionArg(spy, 0), handle.matches[0]);
    QCOMPARE(bar.currentIndex(), 0);
}

void TestSearch::functionKeysAndButtonsWalkToo() {
    const auto model = serverModel();
    SearchBar bar;
    bar.setModel(model);
    bar.show();
    bar.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&bar));
    bar.focusSearch();
    bar.lineEdit()->setText(QStringLiteral("server"));
    QTRY_COMPARE(bar.matches().size(), size_t{3});
    const std::vector<Selection> all = bar.matches();
    QSignalSpy spy(&bar, &SearchBar::matchActivated);

    QTest::keyClick(bar.lineEdit(), Qt::Key_F3);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(selectionArg(spy, 0), all[0]);
    QTest::keyClick(bar.lineEdit(), Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(selectionArg(spy, 1), all[2]);

    const auto buttons = bar.findChildren<QToolButton*>(Qt::FindDirectChildrenOnly);
    QCOMPARE(buttons.size(), 2); // previous, next
    buttons[1]->click();
    QCOMPARE(selectionArg(spy, 2), all[0]);
    buttons[0]->click();
    QCOMPARE(selectionArg(spy, 3), all[2]);
    QCOMPARE(spy.count(), 4);
}

void TestSearch::nextStartsFromTheViewersSelection() {
    const auto model = serverModel();
    SearchBar bar;
    bar.setModel(model);
    bar.lineEdit()->setText(QStringLiteral("server"));
    QTRY_COMPARE(bar.matches().size(), size_t{3});
    const std::vector<Selection> all = bar.matches();
    QSignalSpy spy(&bar, &SearchBar::matchActivated);

    // A selected match becomes the current one.
    bar.setCurrentSelection(all[1]);
    QCOMPARE(bar.currentIndex(), 1);
    bar.findNext();
    QCOMPARE(selectionArg(spy, 0), all[2]);

    // Any other selection: next is the first match beginning at or after it. Run slices are
    // never matches; the last one begins at 300 ms, after every match.
    bar.setCurrentSelection(
        Selection{Selection::Kind::RunSlice, static_cast<uint32_t>(model->runs.size() - 1)});
    QCOMPARE(bar.currentIndex(), -1);
    bar.findNext();
    QCOMPARE(selectionArg(spy, 1), all[0]); // wrapped
    bar.setCurrentSelection(
        Selection{Selection::Kind::RunSlice, static_cast<uint32_t>(model->runs.size() - 1)});
    bar.findPrevious();
    QCOMPARE(selectionArg(spy, 2), all[2]);

    // The view's time counts while no match is current, and does not move a current one.
    bar.setCurrentSelection(Selection{Selection::Kind::RunSlice, 0});
    bar.setCurrentTime(bar.result().begins[1]);
    bar.findNext();
    QCOMPARE(selectionArg(spy, 3), all[1]);
    bar.setCurrentTime(0);
    bar.findNext();
    QCOMPARE(selectionArg(spy, 4), all[2]);
}

void TestSearch::escapeClearsAndCloses() {
    SearchBar bar;
    bar.setModel(serverModel());
    bar.lineEdit()->setText(QStringLiteral("server"));
    QTRY_COMPARE(bar.matches().size(), size_t{3});
    QSignalSpy closed(&bar, &SearchBar::closed);
    QSignalSpy changed(&bar, &SearchBar::matchesChanged);
    QTest::keyClick(bar.lineEdit(), Qt::Key_Escape);
    QCOMPARE(closed.count(), 1);
    QVERIFY(bar.lineEdit()->text().isEmpty());
    QVERIFY(bar.matches().empty()); // at once, without the pause
    QCOMPARE(changed.count(), 1);
    QCOMPARE(bar.findChild<QLabel*>()->text(), QString());
}

void TestSearch::aNewModelIsSearchedAgain() {
    SearchBar bar;
    bar.setModel(serverModel());
    bar.lineEdit()->setText(QStringLiteral("server"));
    QTRY_COMPARE(bar.matches().size(), size_t{3});
    QTest::keyClick(bar.lineEdit(), Qt::Key_Return);
    QCOMPARE(bar.currentIndex(), 0);

    const auto other = otherModel();
    QSignalSpy changed(&bar, &SearchBar::matchesChanged);
    bar.setModel(other);
    QTRY_COMPARE(bar.matches().size(), size_t{1});
    QVERIFY(changed.count() >= 1);
    QCOMPARE(bar.matches().front().kind, Selection::Kind::ThreadSpan);
    QCOMPARE(other->string(other->thread_spans[bar.matches().front().index].name),
             std::string_view("server_push"));
    QCOMPARE(bar.currentIndex(), -1);
    QCOMPARE(bar.lineEdit()->text(), QStringLiteral("server"));

    bar.setModel(nullptr);
    QVERIFY(bar.matches().empty());
}

void TestSearch::aBackgroundSearchTypedPastIsDropped() {
    const auto model = serverModel();
    SearchBar bar;
    bar.setBackgroundThreshold(0);
    bar.setModel(model);
    std::vector<size_t> sizes; // of every match list shown
    connect(&bar, &SearchBar::matchesChanged, &bar, [&] { sizes.push_back(bar.matches().size()); });
    QSignalSpy activated(&bar, &SearchBar::matchActivated);

    bar.lineEdit()->setText(QStringLiteral("server"));
    bar.findNext(); // ends the pause: the search starts on a worker thread
    QVERIFY(bar.searching());
    QCOMPARE(bar.findChild<QLabel*>()->text(), QStringLiteral("Searching\u2026"));
    bar.lineEdit()->setText(QStringLiteral("server_probe")); // before its result is in
    QTRY_VERIFY(!bar.searching());
    QCOMPARE(bar.matches().size(), size_t{1});
    QCOMPARE(sizes, std::vector<size_t>{1}); // the three matches of "server" never showed
    QCOMPARE(activated.count(), 0);          // nor did the Enter meant for them carry over

    bar.findNext();
    QCOMPARE(activated.count(), 1);
    QCOMPARE(selectionArg(activated, 0), bar.matches().front());
}

QTEST_MAIN(TestSearch)
#include "tst_search.moc"
