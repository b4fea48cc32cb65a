// Live attach end to end in one process: a LiveServer publishes blocks made with BlockEncoder over a
// Unix socket in a temporary XDG_RUNTIME_DIR, and the real MainWindow attaches to it. Growth, follow
// mode, pause, detach, the producer going away and saving the capture; the attach dialog listing
// discovery files. Waits are QTRY_* with generous timeouts: no timing assertions.

#include "app/main_window.h"
#include "format/block_encoder.h"
#include "format/framing.h"
#include "format/live_server.h"
#include "format/record_codec.h"
#include "live/attach_dialog.h"
#include "live/live_controller.h"
#include "model/model_builder.h"
#include "models/task_tree_model.h"
#include "panels/message_bar.h"
#include "panels/task_tree_panel.h"
#include "timeline/timeline_view.h"
#include "private_settings.h"

#include <QAction>
#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <unistd.h>

using namespace weft;
using namespace weft::ui;

namespace {

constexpr int kTimeoutMs = 30'000;
constexpr format::Uuid kProcess{7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
constexpr format::Uuid kStream{8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8};

std::vector<uint8_t> processRecord() {
    format::ProcessInfo info;
    info.process_id = kProcess;
    info.exe = "/usr/bin/tst_live_producer";
    info.pid = static_cast<uint64_t>(::getpid());
    info.start_time_ns = static_cast<uint64_t>(QDateTime::currentMSecsSinceEpoch()) * 1'000'000;
    return format::frame_process_info(info);
}

std::vector<uint8_t> streamRecord() {
    format::StreamInfo info;
    info.stream_id = kStream;
    info.process_id = kProcess;
    info.thread_name = "main";
    info.tags = {"event-loop"};
    return format::frame_stream_info(info);
}

// A producer in this process: each block adds `tasks` root tasks, each created, run and completed.
struct Producer {
    format::live::LiveServer server;
    uint64_t objectOffset = 0;
    int64_t ticks = 1'000'000;
    uint64_t nextTask = 1;
    uint64_t published = 0; // events

    bool start() {
        std::string error;
        auto address = format::live::parse_address("unix", static_cast<uint64_t>(::getpid()), error);
        if (!address) return false;
        format::live::LiveServer::Options options;
        options.address = *address;
        options.pid = static_cast<uint64_t>(::getpid());
        options.exe = "/usr/bin/tst_live_producer";
        options.start_time_ns = static_cast<uint64_t>(QDateTime::currentMSecsSinceEpoch()) * 1'000'000;
        if (!server.start(options, error)) {
            qWarning("%s", error.c_str());
            return false;
        }
        server.set_process_info(processRecord());
        server.add_stream(streamRecord());
        return true;
    }

    void publish(int tasks) {
        format::BlockEncoder encoder;
        format::BlockHeader header;
        header.stream_id = kStream;
        header.process_id = kProcess;
        header.begin_ticks = ticks;
        header.object_offset = objectOffset;
        encoder.begin(header);
        const auto name = encoder.intern("request");
        for (int i = 0; i < tasks; ++i, ++nextTask) {
            for (auto kind : {format::EventKind::TaskCreated, format::EventKind::TaskRunBegin,
                              format::EventKind::TaskRunEnd, format::EventKind::TaskCompleted}) {
                format::Event e;
                e.kind = kind;
                e.ticks = ticks;
                e.id = nextTask;
                if (kind == format::EventKind::TaskCreated) e.ref1 = name;
                encoder.add(e);
                ticks += 250'000; // 0.25 ms
            }
        }
        objectOffset += encoder.event_count();
        published += encoder.event_count();
        std::vector<uint8_t> framed;
        encoder.finish(framed);
        server.publish(std::move(framed));
    }

    live::AttachTarget target() const {
        live::AttachTarget t;
        t.address = server.address();
        t.token = server.discovery().token;
        t.pid = static_cast<uint64_t>(::getpid());
        t.exe = "tst_live_producer";
        return t;
    }
};

int taskRows(MainWindow& w) { return w.taskTreePanel()->treeModel()->rowCount(); }

} // namespace

class TestLive : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanup();
    void dialogListsDiscoveredProcesses();
    void dialogRejectsBadAddress();
    void windowGrowsAndFollows();
    void followOffKeepsTheUsersRange();
    void pauseStopsUpdates();
    void detachKeepsDataWithMessage();
    void producerExitKeepsDataAndCaptureSaves();
    void attachByPidFromTheCommandLine();
    void refusedAttachIsReported();

private:
    QTemporaryDir m_dir;
};

void TestLive::initTestCase() {
    QVERIFY(m_dir.isValid());
    weft::test::usePrivateSettings(m_dir);
    qputenv("XDG_RUNTIME_DIR", m_dir.path().toLocal8Bit());
}

void TestLive::cleanup() {
    // Nothing of a test's producer may leak into the next one's discovery listing.
    QDir(m_dir.filePath(QStringLiteral("weft"))).removeRecursively();
}

void TestLive::dialogListsDiscoveredProcesses() {
    std::string error;
    QVERIFY(format::live::create_runtime_dir(error));
    format::live::Discovery d;
    d.pid = static_cast<uint64_t>(::getpid());
    d.exe = "/opt/demo/bin/my-service";
    d.start_time_ns = static_cast<uint64_t>(QDateTime::currentMSecsSinceEpoch() - 90'000) * 1'000'000;
    d.address = "unix:" + format::live::default_socket_path(d.pid);
    d.token = format::live::make_token();
    QVERIFY2(format::live::write_discovery(d, error), error.c_str());

    AttachDialog dialog;
    QTRY_COMPARE_WITH_TIMEOUT(dialog.processList()->topLevelItemCount(), 1, kTimeoutMs);
    const QTreeWidgetItem* item = dialog.processList()->topLevelItem(0);
    QCOMPARE(item->text(AttachDialog::Exe), QStringLiteral("my-service"));
    QCOMPARE(item->text(AttachDialog::Pid), QString::number(::getpid()));
    QCOMPARE(item->text(AttachDialog::Address), QString::fromStdString(d.address));
    QVERIFY2(item->text(AttachDialog::Running).contains(QStringLiteral("min")), qPrintable(item->text(AttachDialog::Running)));
    QCOMPARE(dialog.processList()->currentItem(), item); // the only candidate is preselected
    QVERIFY(dialog.attachButton()->isEnabled());

    QSignalSpy requested(&dialog, &AttachDialog::attachRequested);
    dialog.attachButton()->click();
    QCOMPARE(requested.count(), 1);
    const auto target = requested.first().first().value<live::AttachTarget>();
    QCOMPARE(target.pid, d.pid);
    QCOMPARE(QString::fromStdString(target.token), QString::fromStdString(d.token));

    // The auto-refresh notices the process going away.
    format::live::remove_discovery(d);
    QTRY_COMPARE_WITH_TIMEOUT(dialog.processList()->topLevelItemCount(), 0, kTimeoutMs);
}

void TestLive::dialogRejectsBadAddress() {
    AttachDialog dialog;
    QSignalSpy requested(&dialog, &AttachDialog::attachRequested);
    QTest::keyClicks(dialog.addressEdit(), QStringLiteral("tcp:10.1.2.3:7878"));
    QVERIFY(dialog.attachButton()->isEnabled());
    dialog.attachButton()->click();
    QCOMPARE(requested.count(), 0);
    QVERIFY(!dialog.errorLabel()->isHidden());
    QVERIFY2(dialog.errorLabel()->text().contains(QStringLiteral("loopback")), qPrintable(dialog.errorLabel()->text()));
}

void TestLive::windowGrowsAndFollows() {
    Producer producer;
    QVERIFY(producer.start());
    producer.publish(5);
    MainWindow w;
    w.show();
    QVERIFY(w.attachTo(producer.target()));
    QVERIFY(w.isFollowing());
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 5, kTimeoutMs);
    QVERIFY(w.isLive());
    QVERIFY(w.liveLabel()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(w.liveLabel()->text().contains(QStringLiteral("Live")), kTimeoutMs);

    // The first snapshot shows everything; growth keeps the newest data in view.
    const Time firstEnd = w.timeline()->visibleEnd();
    QVERIFY(firstEnd >= w.model()->end);
    producer.publish(10);
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 15, kTimeoutMs);
    QVERIFY(w.timeline()->visibleEnd() > firstEnd);
    QCOMPARE(w.timeline()->visibleEnd(), w.model()->end);

    // Zoomed in at the end: following slides the range and keeps its width.
    const Time end = w.model()->end;
    const Time width = (end - w.model()->begin) / 4;
    w.timeline()->setVisibleRange(end - width, end);
    QVERIFY(w.isFollowing());
    const Time shownWidth = w.timeline()->visibleEnd() - w.timeline()->visibleBegin();
    producer.publish(10);
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 25, kTimeoutMs);
    QCOMPARE(w.timeline()->visibleEnd(), w.model()->end);
    QVERIFY(qAbs((w.timeline()->visibleEnd() - w.timeline()->visibleBegin()) - shownWidth) <= shownWidth / 100 + 1);
    QTRY_VERIFY_WITH_TIMEOUT(w.liveLabel()->text().contains(QStringLiteral("100 events received")), kTimeoutMs);
    QVERIFY(w.liveLabel()->text().contains(QStringLiteral("0 lost")));
    // The two counts say what each counts: received (live status), shown (the last snapshot).
    QVERIFY2(w.countsLabel()->text().contains(QStringLiteral("events shown")), qPrintable(w.countsLabel()->text()));
    // Every live action has an icon, from the theme or from Weft's own.
    for (QAction* action : w.findChildren<QAction*>())
        if (!action->text().isEmpty() && action->text().contains(QLatin1Char('&')) &&
            (action->text().contains(QStringLiteral("Pause")) || action->text().contains(QStringLiteral("Follow")) ||
             action->text().contains(QStringLiteral("Detach")) || action->text().contains(QStringLiteral("Attach"))))
            QVERIFY2(!action->icon().isNull() && !action->icon().availableSizes().isEmpty() ||
                         !action->icon().pixmap(16, 16).isNull(),
                     qPrintable(action->text()));
}

void TestLive::followOffKeepsTheUsersRange() {
    Producer producer;
    QVERIFY(producer.start());
    producer.publish(8);
    MainWindow w;
    w.show();
    QVERIFY(w.attachTo(producer.target()));
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 8, kTimeoutMs);

    // Panning into the past turns following off, and new data leaves the range alone.
    const Time begin = w.model()->begin;
    const Time width = (w.model()->end - begin) / 4;
    w.timeline()->setVisibleRange(begin, begin + width);
    QVERIFY(!w.isFollowing());
    const Time shownBegin = w.timeline()->visibleBegin();
    const Time shownEnd = w.timeline()->visibleEnd();
    producer.publish(8);
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 16, kTimeoutMs);
    QCOMPARE(w.timeline()->visibleBegin(), shownBegin);
    QCOMPARE(w.timeline()->visibleEnd(), shownEnd);

    // The task the user selected stays selected through snapshots.
    w.select(Selection{Selection::Kind::Task, 2});
    const uint64_t selectedId = w.model()->tasks[2].task_id;
    producer.publish(4);
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 20, kTimeoutMs);
    const Selection kept = w.timeline()->selection();
    QCOMPARE(kept.kind, Selection::Kind::Task);
    QCOMPARE(w.model()->tasks[kept.index].task_id, selectedId);
    QCOMPARE(w.taskTreePanel()->currentTask().value, kept.index);

    // A pinned thread stays pinned and an expanded task expanded through snapshots.
    w.timeline()->setThreadPinned(ThreadIndex{0}, true);
    w.timeline()->setTaskExpanded(TaskIndex{kept.index}, true);
    QCOMPARE(w.timeline()->laneLayout().pinned_rows(), size_t{1});
    producer.publish(4);
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 24, kTimeoutMs);
    QCOMPARE(w.timeline()->laneLayout().pinned_rows(), size_t{1});
    const Selection still = w.timeline()->selection();
    QCOMPARE(w.model()->tasks[still.index].task_id, selectedId);
    QVERIFY(w.timeline()->laneLayout().task_expanded(TaskIndex{still.index}));

    // End (the Follow action) jumps back to the newest data.
    w.followAction()->trigger();
    QVERIFY(w.isFollowing());
    QCOMPARE(w.timeline()->visibleEnd(), w.model()->end);
}

void TestLive::pauseStopsUpdates() {
    Producer producer;
    QVERIFY(producer.start());
    producer.publish(3);
    MainWindow w;
    w.show();
    QVERIFY(w.attachTo(producer.target()));
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 3, kTimeoutMs);

    w.pauseAction()->trigger();
    QVERIFY(w.liveController()->isPaused());
    QSignalSpy applied(&w, &MainWindow::liveSnapshotApplied);
    const auto frozen = w.model();
    producer.publish(6);
    // Received while paused...
    QTRY_COMPARE_WITH_TIMEOUT(w.liveController()->counters().events, producer.published, kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(w.liveLabel()->text().contains(QStringLiteral("Paused")), kTimeoutMs);
    QTest::qWait(300);
    // ...but not shown.
    QCOMPARE(taskRows(w), 3);
    QCOMPARE(w.model()->tasks.size(), frozen->tasks.size());

    w.pauseAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 9, kTimeoutMs);
    QVERIFY(applied.count() >= 1);
}

void TestLive::detachKeepsDataWithMessage() {
    Producer producer;
    QVERIFY(producer.start());
    producer.publish(4);
    MainWindow w;
    w.show();
    QVERIFY(w.attachTo(producer.target()));
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 4, kTimeoutMs);
    QSignalSpy ended(&w, &MainWindow::liveEnded);
    w.detachAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kTimeoutMs);
    QCOMPARE(ended.first().first().toInt(), int(live::LiveEnd::Reason::Detached));
    QVERIFY(!w.isLive());
    QVERIFY(!w.detachAction()->isEnabled());
    QVERIFY(w.saveCaptureAction()->isEnabled());
    QVERIFY(w.messageBar()->isVisible());
    QVERIFY2(w.messageBar()->text().contains(QStringLiteral("Detached")), qPrintable(w.messageBar()->text()));
    QCOMPARE(taskRows(w), 4);
    QVERIFY(w.liveLabel()->text().contains(QStringLiteral("ended")));
}

void TestLive::producerExitKeepsDataAndCaptureSaves() {
    auto producer = std::make_unique<Producer>();
    QVERIFY(producer->start());
    producer->publish(6);
    producer->publish(6);
    MainWindow w;
    w.show();
    QVERIFY(w.attachTo(producer->target()));
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 12, kTimeoutMs);
    const uint64_t sent = producer->published;
    QSignalSpy ended(&w, &MainWindow::liveEnded);
    producer.reset(); // the producer exits
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kTimeoutMs);
    QCOMPARE(ended.first().first().toInt(), int(live::LiveEnd::Reason::ProducerExited));
    QVERIFY(w.messageBar()->isVisible());
    QCOMPARE(w.messageBar()->level(), MessageBar::Level::Warning);
    QVERIFY2(w.messageBar()->text().contains(QStringLiteral("ended the session")), qPrintable(w.messageBar()->text()));
    QVERIFY(w.messageBar()->text().contains(QStringLiteral("Save capture")));
    QCOMPARE(taskRows(w), 12);
    QCOMPARE(w.model()->event_count, sent);

    const QString path = m_dir.filePath(QStringLiteral("saved.weft"));
    QVERIFY(w.saveCapture(path));
    format::ReadReport report;
    const auto loaded = load_trace(path.toStdString(), report);
    QVERIFY(loaded);
    QVERIFY(report.errors.empty());
    QCOMPARE(loaded->event_count, w.model()->event_count);
    QCOMPARE(loaded->tasks.size(), w.model()->tasks.size());

    // Opening a file ends the session and drops its temporary capture.
    w.openFile(path);
    QVERIFY(!w.liveController()->hasSession());
    QVERIFY(!w.saveCaptureAction()->isEnabled());
}

void TestLive::attachByPidFromTheCommandLine() {
    Producer producer;
    QVERIFY(producer.start());
    producer.publish(2);
    MainWindow w;
    w.show();
    QVERIFY(w.attachTo(QString::number(::getpid())));
    QTRY_COMPARE_WITH_TIMEOUT(taskRows(w), 2, kTimeoutMs);
    QVERIFY(w.windowTitle().contains(QStringLiteral("tst_live_producer")));
    QVERIFY(w.windowTitle().contains(QStringLiteral("live")));

    MainWindow nobody;
    QVERIFY(!nobody.attachTo(QStringLiteral("999999999")));
    QVERIFY(nobody.messageBar()->text().contains(QStringLiteral("999999999")));
}

void TestLive::refusedAttachIsReported() {
    Producer producer;
    QVERIFY(producer.start());
    live::AttachTarget bad = producer.target();
    bad.token = "ffffffffffffffffffffffffffffffff";
    MainWindow w;
    w.show();
    QSignalSpy ended(&w, &MainWindow::liveEnded);
    QVERIFY(w.attachTo(bad));
    QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kTimeoutMs);
    QCOMPARE(ended.first().first().toInt(), int(live::LiveEnd::Reason::Refused));
    QCOMPARE(w.messageBar()->level(), MessageBar::Level::Error);
    QVERIFY2(w.messageBar()->text().contains(QStringLiteral("wrong token")), qPrintable(w.messageBar()->text()));
    QVERIFY(!w.liveController()->hasSession());
    QVERIFY(!w.model());
}

QTEST_MAIN(TestLive)
#include "tst_live.moc"
