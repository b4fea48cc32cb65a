// TimelineView: navigation keys, mouse, selection signals, hover time and painting, offscreen.
#include "../unit/query/query_fixture.h"
#include "query/draw_list.h"
#include "app/settings_keys.h"
#include "timeline/lane_header.h"
#include "timeline/timeline_colors.h"
#include "timeline/timeline_view.h"
#include "private_settings.h"

#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using weft::Selection;
using weft::Time;
using weft::ui::TimelineView;
using K = weft::Selection::Kind;

Q_DECLARE_METATYPE(weft::Selection)

class TimelineTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TimelineView> make_view() {
        auto view = std::make_unique<TimelineView>();
        view->resize(1000, 500);
        view->setModel(weft::test::small_model());
        return view;
    }
    static Time span(const TimelineView& v) { return v.visibleEnd() - v.visibleBegin(); }
    static void send_mouse(QWidget* w, QEvent::Type type, QPoint pos, Qt::MouseButton button,
                           Qt::MouseButtons buttons, Qt::KeyboardModifiers mods = Qt::NoModifier) {
        QMouseEvent e(type, QPointF(pos), w->mapToGlobal(QPointF(pos)), button, buttons, mods);
        QApplication::sendEvent(w, &e);
    }
    // The x of a time in widget coordinates.
    static int x_of(const TimelineView& v, Time t) {
        return v.lanesRect().left() + static_cast<int>(std::lround(v.mapping().x_of(t)));
    }

private slots:
    void initTestCase() {
        qRegisterMetaType<weft::Selection>();
        QVERIFY(m_dir.isValid());
        weft::test::usePrivateSettings(m_dir);
        QSettings().clear();
    }

    void laneNameColumnDragsAndIsRemembered() {
        auto v = make_view();
        QCOMPARE(v->headerWidth(), TimelineView::kDefaultHeaderWidth);
        const int y = v->rowCenterY(1);
        const QPoint edge(v->headerWidth(), y);
        send_mouse(v.get(), QEvent::MouseButtonPress, edge, Qt::LeftButton, Qt::LeftButton);
        send_mouse(v.get(), QEvent::MouseMove, edge + QPoint(120, 0), Qt::NoButton, Qt::LeftButton);
        send_mouse(v.get(), QEvent::MouseButtonRelease, edge + QPoint(120, 0), Qt::LeftButton, Qt::NoButton);
        QCOMPARE(v->headerWidth(), TimelineView::kDefaultHeaderWidth + 120);
        QCOMPARE(v->lanesRect().left(), v->headerWidth());
        QCOMPARE(v->selection().kind, K::None); // the drag selected nothing
        QCOMPARE(QSettings().value(weft::ui::settings::kLaneNameWidth).toInt(), v->headerWidth());
        auto next = make_view(); // a new view (a new window, the next run) starts at that width
        QCOMPARE(next->headerWidth(), TimelineView::kDefaultHeaderWidth + 120);
        // Never so wide that the lanes vanish, nor narrower than a name needs.
        next->setHeaderWidth(5000);
        QVERIFY(next->lanesRect().width() >= next->width() / 3 - 20);
        next->setHeaderWidth(0);
        QCOMPARE(next->headerWidth(), TimelineView::kMinHeaderWidth);
        // A double-click on the edge puts the default back.
        const QPoint moved(v->headerWidth(), y);
        send_mouse(v.get(), QEvent::MouseButtonDblClick, moved, Qt::LeftButton, Qt::LeftButton);
        QCOMPARE(v->headerWidth(), TimelineView::kDefaultHeaderWidth);
        QCOMPARE(QSettings().value(weft::ui::settings::kLaneNameWidth).toInt(), TimelineView::kDefaultHeaderWidth);
    }

    void failedAndCancelledTasksAreMarkedWhereTheyEnded() {
        auto model = weft::test::small_model();
        model->tasks[0].state = weft::TaskState::Error;    // A ends at 600
        model->tasks[1].state = weft::TaskState::Cancelled; // B ends at 450
        TimelineView v;
        v.resize(1000, 500);
        v.setModel(model);
        v.setVisibleRange(0, 700);
        QImage image(v.size(), QImage::Format_ARGB32_Premultiplied);
        v.render(&image);
        const auto& pal = weft::ui::timeline_palette();
        auto endColour = [&](uint32_t task, Time end) {
            const int row = v.laneLayout().row_of_task(weft::TaskIndex{task});
            return image.pixelColor(x_of(v, end) - 2, v.rowCenterY(row)).rgb(); // inside the diamond
        };
        QCOMPARE(endColour(0, 600), pal.failed.rgb());
        // B's row appears once A is expanded.
        v.setTaskExpanded(weft::TaskIndex{0}, true);
        v.render(&image);
        QCOMPARE(endColour(1, 450), pal.cancelled.rgb());
        bool marked = false;
        for (const weft::DrawMark& m : v.drawList().marks)
            if (m.kind == weft::MarkKind::TaskLifetime && m.selection.index == 0) marked = m.aux == weft::kEndedFailed;
        QVERIFY(marked);
    }

    void lagIsAHeatStrip() {
        using weft::ui::lag_heat;
        // Pale for a short wait, the lag colour around 30 ms, deep red for a second.
        QVERIFY(lag_heat(0.2).lightness() > lag_heat(30).lightness());
        QVERIFY(lag_heat(30).lightness() > lag_heat(2000).lightness());
        QCOMPARE(lag_heat(31.6).rgb(), weft::ui::timeline_palette().lag.rgb());
        QCOMPARE(lag_heat(5000).rgb(), lag_heat(1000).rgb()); // a second and beyond: the same
    }

    void followsTheApplicationPalette() {
        auto v = make_view();
        const QPalette light = QApplication::palette();
        QPalette dark = light;
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x24));
        QApplication::setPalette(dark);
        QCoreApplication::processEvents();
        QVERIFY(weft::ui::timeline_palette_is_dark());
        QImage image(v->size(), QImage::Format_ARGB32_Premultiplied);
        v->render(&image);
        // Far right of the lanes, under the last row: the background.
        QVERIFY(image.pixelColor(v->width() - 30, v->height() - 5).lightness() < 80);
        QApplication::setPalette(light);
        QCoreApplication::processEvents();
        QVERIFY(!weft::ui::timeline_palette_is_dark());
        v->render(&image);
        QVERIFY(image.pixelColor(v->width() - 30, v->height() - 5).lightness() > 200);
    }

    void processHeadingShowsPidAndProgram() {
        auto model = weft::test::small_model();
        model->processes[0].exe = "/opt/build/tree/bin/server";
        weft::LaneRow row;
        row.kind = weft::RowKind::Process;
        row.index = 0;
        const weft::LaneLayout layout;
        QCOMPARE(weft::ui::lane_header_text(*model, layout, row), QStringLiteral("42 \u00b7 server"));
        // The path, which the heading leaves out, is in its tooltip.
        QVERIFY(weft::ui::lane_header_tooltip(*model, layout, row)
                    .contains(QStringLiteral("/opt/build/tree/bin/server")));
    }

    void setModelFitsAllAndClearsSelection() {
        auto v = make_view();
        QVERIFY(v->visibleBegin() <= 0);
        QVERIFY(v->visibleEnd() >= 600);
        v->setSelection({K::Task, 0});
        QSignalSpy sel(v.get(), &TimelineView::selectionChanged);
        QSignalSpy range(v.get(), &TimelineView::visibleRangeChanged);
        v->setVisibleRange(100, 200);
        v->setModel(weft::test::small_model());
        QCOMPARE(sel.count(), 1);
        QVERIFY(v->selection().empty());
        QVERIFY(v->visibleBegin() <= 0 && v->visibleEnd() >= 600);
        QVERIFY(range.count() >= 2);
    }

    void keysZoomAndPan() {
        auto v = make_view();
        QSignalSpy range(v.get(), &TimelineView::visibleRangeChanged);
        const Time full = span(*v);
        QTest::keyClick(v.get(), Qt::Key_W);
        QVERIFY(span(*v) < full);
        QCOMPARE(range.count(), 1);
        const Time zoomed = span(*v);
        QTest::keyClick(v.get(), Qt::Key_W);
        QVERIFY(span(*v) < zoomed);

        const Time b = v->visibleBegin();
        const Time s = span(*v);
        QTest::keyClick(v.get(), Qt::Key_D);
        QVERIFY(v->visibleBegin() > b);
        QCOMPARE(span(*v), s); // panning keeps the zoom
        const Time after_d = v->visibleBegin();
        QTest::keyClick(v.get(), Qt::Key_A);
        QVERIFY(v->visibleBegin() < after_d);

        QTest::keyClick(v.get(), Qt::Key_S);
        QVERIFY(span(*v) > s);
        QTest::keyClick(v.get(), Qt::Key_0);
        QCOMPARE(span(*v), full);
        // Fully zoomed out, S and A change nothing and emit nothing.
        const int before = range.count();
        QTest::keyClick(v.get(), Qt::Key_S);
        QTest::keyClick(v.get(), Qt::Key_A);
        QCOMPARE(range.count(), before);
    }

    void keyFFitsSelectionAndEscClears() {
        auto v = make_view();
        QSignalSpy sel(v.get(), &TimelineView::selectionChanged);
        v->setSelection({K::RunSlice, 1}); // B on main, [200, 300]
        QCOMPARE(sel.count(), 1);
        QCOMPARE(sel.at(0).at(0).value<Selection>(), (Selection{K::RunSlice, 1}));
        QTest::keyClick(v.get(), Qt::Key_F);
        QVERIFY(v->visibleBegin() <= 200 && v->visibleBegin() >= 180);
        QVERIFY(v->visibleEnd() >= 300 && v->visibleEnd() <= 320);
        QTest::keyClick(v.get(), Qt::Key_Escape);
        QCOMPARE(sel.count(), 2);
        QVERIFY(v->selection().empty());
        QTest::keyClick(v.get(), Qt::Key_Escape); // nothing more to clear
        QCOMPARE(sel.count(), 2);
        // F without a selection keeps the range.
        const Time b = v->visibleBegin();
        QTest::keyClick(v.get(), Qt::Key_F);
        QCOMPARE(v->visibleBegin(), b);
    }

    void rulerReportsItsRangeAndItsRemoval() {
        auto v = make_view();
        v->setVisibleRange(0, 600);
        QSignalSpy ruler(v.get(), &TimelineView::rulerMeasured);
        const int y = v->rowCenterY(1);
        send_mouse(v.get(), QEvent::MouseButtonPress, {x_of(*v, 100), y}, Qt::RightButton, Qt::RightButton);
        send_mouse(v.get(), QEvent::MouseMove, {x_of(*v, 300), y}, Qt::NoButton, Qt::RightButton);
        send_mouse(v.get(), QEvent::MouseButtonRelease, {x_of(*v, 300), y}, Qt::RightButton, Qt::NoButton);
        QCOMPARE(ruler.count(), 1);
        QVERIFY(std::abs(ruler.at(0).at(0).value<Time>() - 100) <= 2);
        QVERIFY(std::abs(ruler.at(0).at(1).value<Time>() - 300) <= 2);
        QTest::keyClick(v.get(), Qt::Key_Escape); // removes it
        QCOMPARE(ruler.count(), 2);
        QCOMPARE(ruler.at(1).at(0).value<Time>(), weft::kNoTime);
    }

    void clickSelectsByIndex() {
        auto v = make_view();
        v->setVisibleRange(0, 600);
        QSignalSpy sel(v.get(), &TimelineView::selectionChanged);
        const int y = v->rowCenterY(1); // main thread runs
        send_mouse(v.get(), QEvent::MouseButtonPress, {x_of(*v, 250), y}, Qt::LeftButton, Qt::LeftButton);
        send_mouse(v.get(), QEvent::MouseButtonRelease, {x_of(*v, 250), y}, Qt::LeftButton, Qt::NoButton);
        QCOMPARE(sel.count(), 1);
        QCOMPARE(v->selection(), (Selection{K::RunSlice, 1}));
        // A click on empty space clears.
        send_mouse(v.get(), QEvent::MouseButtonPress, {x_of(*v, 150), y}, Qt::LeftButton, Qt::LeftButton);
        send_mouse(v.get(), QEvent::MouseButtonRelease, {x_of(*v, 150), y}, Qt::LeftButton, Qt::NoButton);
        QCOMPARE(sel.count(), 2);
        QVERIFY(v->selection().empty());
    }

    void setSelectionExpandsTreeAndRevealZooms() {
        auto v = make_view();
        QCOMPARE(v->laneLayout().row_of_task(weft::TaskIndex{2}), -1);
        v->setSelection({K::Task, 2}); // C lives under A
        QVERIFY(v->laneLayout().row_of_task(weft::TaskIndex{2}) >= 0);
        v->setVisibleRange(0, 100);
        v->revealAndSelect({K::Blocking, 0}); // [420, 480]
        QVERIFY(v->visibleBegin() <= 420 && v->visibleEnd() >= 480);
        QCOMPARE(v->selection(), (Selection{K::Blocking, 0}));
    }

    void headerArrowToggles() {
        auto v = make_view();
        const size_t rows = v->laneLayout().size();
        const int row = v->laneLayout().row_of_task(weft::TaskIndex{0});
        QVERIFY(row >= 0);
        const auto& r = v->laneLayout().row(static_cast<size_t>(row));
        const int x = 4 + r.indent * 12 + 6;
        send_mouse(v.get(), QEvent::MouseButtonPress, {x, v->rowCenterY(row)}, Qt::LeftButton, Qt::LeftButton);
        QVERIFY(v->laneLayout().size() > rows);
        QVERIFY(v->laneLayout().row(static_cast<size_t>(row)).expanded);
    }

    void hoverTimeFollowsCursor() {
        auto v = make_view();
        v->setVisibleRange(0, 600);
        QSignalSpy hover(v.get(), &TimelineView::hoverTimeChanged);
        const QPoint pos(x_of(*v, 300), v->rowCenterY(1));
        send_mouse(v.get(), QEvent::MouseMove, pos, Qt::NoButton, Qt::NoButton);
        QCOMPARE(hover.count(), 1);
        const Time t = hover.at(0).at(0).value<Time>();
        QVERIFY(std::abs(t - 300) <= 1);
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(v.get(), &leave);
        QCOMPARE(hover.count(), 2);
        QCOMPARE(hover.at(1).at(0).value<Time>(), weft::kNoTime);
    }

    void ctrlWheelZoomsAtCursor() {
        auto v = make_view();
        v->setVisibleRange(0, 600);
        const QPoint pos(x_of(*v, 150), v->rowCenterY(1));
        const Time before_span = span(*v);
        QWheelEvent wheel(QPointF(pos), v->mapToGlobal(QPointF(pos)), QPoint(), QPoint(0, 240), Qt::NoButton,
                          Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(v.get(), &wheel);
        QVERIFY(span(*v) < before_span);
        const Time under = v->mapping().time_at(pos.x() - v->lanesRect().left());
        QVERIFY(std::abs(under - 150) <= 2);
    }

    void dragPansRulerMeasuresCtrlDragZooms() {
        auto v = make_view();
        v->setVisibleRange(100, 400);
        const int y = v->rowCenterY(1);
        const int x0 = x_of(*v, 300);
        send_mouse(v.get(), QEvent::MouseButtonPress, {x0, y}, Qt::LeftButton, Qt::LeftButton);
        send_mouse(v.get(), QEvent::MouseMove, {x0 - 50, y}, Qt::NoButton, Qt::LeftButton);
        send_mouse(v.get(), QEvent::MouseButtonRelease, {x0 - 50, y}, Qt::LeftButton, Qt::NoButton);
        QVERIFY(v->visibleBegin() > 100); // dragged left: later times
        QVERIFY(v->selection().empty()); // a drag is not a click

        v->setVisibleRange(0, 600);
        const int a = x_of(*v, 100), b = x_of(*v, 350);
        send_mouse(v.get(), QEvent::MouseButtonPress, {a, y}, Qt::RightButton, Qt::RightButton);
        send_mouse(v.get(), QEvent::MouseMove, {b, y}, Qt::NoButton, Qt::RightButton);
        send_mouse(v.get(), QEvent::MouseButtonRelease, {b, y}, Qt::RightButton, Qt::NoButton);
        const weft::TimeRange ruler = v->rulerRange();
        QVERIFY(ruler.valid());
        QVERIFY(std::abs(ruler.begin - 100) <= 2 && std::abs(ruler.end - 350) <= 2);
        QCOMPARE(v->visibleBegin(), Time{0}); // measuring doesn't move the view

        send_mouse(v.get(), QEvent::MouseButtonPress, {a, y}, Qt::LeftButton, Qt::LeftButton, Qt::ControlModifier);
        send_mouse(v.get(), QEvent::MouseMove, {b, y}, Qt::NoButton, Qt::LeftButton, Qt::ControlModifier);
        send_mouse(v.get(), QEvent::MouseButtonRelease, {b, y}, Qt::LeftButton, Qt::NoButton, Qt::ControlModifier);
        QVERIFY(std::abs(v->visibleBegin() - 100) <= 2);
        QVERIFY(std::abs(v->visibleEnd() - 350) <= 2);
    }

    void rendersIntoImage() {
        auto v = make_view();
        v->setTaskExpanded(weft::TaskIndex{0}, true);
        v->setSelection({K::Task, 0});
        v->setVisibleRange(0, 600);
        QImage image(v->size(), QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        v->render(&image);
        if (qEnvironmentVariableIsSet("WEFT_TEST_SNAPSHOT")) image.save(qEnvironmentVariable("WEFT_TEST_SNAPSHOT"));
        QVERIFY(!v->drawList().marks.empty());
        QVERIFY(!v->drawList().arrows.empty()); // A's children B and C
        // Task B's run slice on the main thread is painted in B's colour.
        const weft::DrawMark* mark = v->drawList().mark_at(1, v->mapping().x_of(Time{250}));
        QVERIFY(mark);
        const QColor expected = weft::ui::mark_fill(*mark);
        const QColor got = image.pixelColor(x_of(*v, 230), v->rowCenterY(1) + 4);
        QCOMPARE(got.rgb(), expected.rgb());
        // An empty view paints too.
        TimelineView empty;
        empty.resize(400, 200);
        QImage small(empty.size(), QImage::Format_ARGB32_Premultiplied);
        empty.render(&small);
        QVERIFY(empty.drawList().marks.empty());
    }
};

QTEST_MAIN(TimelineTest)
#include "tst_timeline.moc"
