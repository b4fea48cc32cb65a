#include "live/live_controller.h"

#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace weft::ui {

LiveController::LiveController(QObject* parent)
    : QObject(parent), m_deliverTimer(new QTimer(this)), m_statsTimer(new QTimer(this)) {
    m_deliverTimer->setSingleShot(true);
    connect(m_deliverTimer, &QTimer::timeout, this, &LiveController::deliver);
    m_statsTimer->setInterval(500);
    connect(m_statsTimer, &QTimer::timeout, this, &LiveController::tick);
}

LiveController::~LiveController() {
    // Join the workers while `this` is whole: their queued calls to it are then simply dropped.
    m_session.reset();
}

QString LiveController::describe(const live::AttachTarget& target) {
    if (target.pid == 0) return QString::fromStdString(target.address.to_string());
    const QString exe = QFileInfo(QString::fromStdString(target.exe)).fileName();
    return exe.isEmpty() ? tr("pid %1").arg(target.pid) : tr("pid %1 (%2)").arg(target.pid).arg(exe);
}

QString LiveController::targetLabel() const { return describe(m_target); }

bool LiveController::attach(const live::AttachTarget& target, QString* error) {
    close();
    const quint64 generation = ++m_generation;
    auto session = std::make_unique<live::LiveSession>();
    session->on_attached([this, generation] {
        QMetaObject::invokeMethod(this, [this, generation] {
            if (generation == m_generation) emit attached();
        }, Qt::QueuedConnection);
    });
    session->on_snapshot([this, generation](std::shared_ptr<const Model> model) {
        bool post = false;
        {
            std::lock_guard lock(m_pendingMutex);
            m_pending = std::move(model);
            post = !m_posted;
            m_posted = true;
        }
        if (post)
            QMetaObject::invokeMethod(this, [this, generation] {
                if (generation == m_generation) deliver();
            }, Qt::QueuedConnection);
    });
    session->on_end([this, generation](const live::LiveEnd& end) {
        const int reason = static_cast<int>(end.reason);
        const QString message = QString::fromStdString(end.message);
        QMetaObject::invokeMethod(this, [this, generation, reason, message] {
            if (generation != m_generation) return;
            m_ended = true;
            tick();
            m_statsTimer->stop();
            emit ended(reason, message);
        }, Qt::QueuedConnection);
    });
    std::string why;
    if (!session->start(target, why)) {
        if (error) *error = QString::fromStdString(why);
        return false;
    }
    m_session = std::move(session);
    m_target = target;
    m_ended = false;
    m_paused = false;
    m_rate = 0;
    m_rateEvents = 0;
    m_rateClock.start();
    m_applyCostMs = 0;
    m_sinceApply.invalidate();
    m_statsTimer->start();
    return true;
}

void LiveController::detach() {
    if (m_session) m_session->detach();
}

void LiveController::close() {
    ++m_generation;
    m_deliverTimer->stop();
    m_statsTimer->stop();
    m_session.reset();
    std::lock_guard lock(m_pendingMutex);
    m_pending.reset();
    m_posted = false;
    m_ended = false;
}

void LiveController::setPaused(bool paused) {
    m_paused = paused;
    if (m_session) m_session->set_paused(paused);
}

bool LiveController::saveCapture(const QString& path, QString* error) const {
    if (!m_session) {
        if (error) *error = tr("nothing has been captured");
        return false;
    }
    std::string why;
    if (m_session->save_capture(path.toStdString(), why)) return true;
    if (error) *error = QString::fromStdString(why);
    return false;
}

live::LiveCounters LiveController::counters() const { return m_session ? m_session->counters() : live::LiveCounters{}; }

void LiveController::applied(qint64 elapsed_ms) {
    m_applyCostMs = std::max<qint64>(elapsed_ms, 0);
    m_sinceApply.start();
}

void LiveController::deliver() {
    // Keep applying snapshots to at most a quarter of the GUI thread's time.
    if (m_sinceApply.isValid()) {
        const qint64 wait = 3 * m_applyCostMs - m_sinceApply.elapsed();
        if (wait > 0) {
            m_deliverTimer->start(static_cast<int>(std::min<qint64>(wait, 10'000)));
            return;
        }
    }
    std::shared_ptr<const Model> model;
    {
        std::lock_guard lock(m_pendingMutex);
        model = std::move(m_pending);
        m_posted = false;
    }
    if (model) emit snapshotReady(std::move(model));
}

void LiveController::tick() {
    if (!m_session) return;
    const live::LiveCounters c = m_session->counters();
    const qint64 ms = m_rateClock.restart();
    if (ms > 0 && c.events >= m_rateEvents) {
        const double now = static_cast<double>(c.events - m_rateEvents) * 1000.0 / static_cast<double>(ms);
        // A short moving average: the figure is for reading, not for measuring.
        m_rate = m_rate == 0 ? now : 0.5 * m_rate + 0.5 * now;
    }
    m_rateEvents = c.events;
    emit statsChanged();
}

} // namespace weft::ui
