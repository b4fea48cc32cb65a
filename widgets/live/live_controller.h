#pragma once
// The viewer's side of a live capture: owns one live::LiveSession at a time and turns its
// worker-thread callbacks into signals on the GUI thread.
//
// Snapshots are coalesced: only the newest one waits to be applied, and the GUI is offered a new
// one no sooner than three times what applying the previous one cost (measured by the receiver of
// snapshotReady through applied()), so a big capture refreshes less often instead of freezing the
// window. After the session ends the controller keeps it, so its capture can still be saved, until
// close() or the next attach.

#include "live/live_session.h"
#include "model/model.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <memory>
#include <mutex>

class QTimer;

namespace weft::ui {

class LiveController final : public QObject {
    Q_OBJECT
public:
    explicit LiveController(QObject* parent = nullptr);
    ~LiveController() override;

    // Starts a new session (closing the previous one). False, with `error`, if it cannot start at
    // all; a refusal by the producer arrives later as ended(Refused, ...).
    bool attach(const live::AttachTarget& target, QString* error = nullptr);
    void detach();  // ends the connection, keeps the capture
    void close();   // ends the connection and discards the session and its capture
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    bool hasSession() const { return m_session != nullptr; }
    bool isConnected() const { return m_session && !m_ended; } // attaching or receiving
    bool hasEnded() const { return m_ended; }
    bool saveCapture(const QString& path, QString* error = nullptr) const;

    live::LiveCounters counters() const;
    const live::AttachTarget& target() const { return m_target; }
    // "pid 4242 (weft-demo)" or the address when the pid is unknown.
    QString targetLabel() const;
    // Events per second over the last few status updates.
    double eventRate() const { return m_rate; }

    // The receiver of snapshotReady reports how long applying it took, which paces the next one.
    void applied(qint64 elapsed_ms);

    static QString describe(const live::AttachTarget& target);

signals:
    void attached();
    void snapshotReady(std::shared_ptr<const weft::Model> model);
    void ended(int reason, const QString& message); // reason: live::LiveEnd::Reason
    void statsChanged();                            // about twice a second while connected

private:
    void deliver();
    void tick();

    std::unique_ptr<live::LiveSession> m_session;
    live::AttachTarget m_target;
    quint64 m_generation = 0; // callbacks of a closed session are dropped by generation
    bool m_paused = false;
    bool m_ended = false;

    std::mutex m_pendingMutex;
    std::shared_ptr<const Model> m_pending;
    bool m_posted = false;

    QTimer* m_deliverTimer;
    QTimer* m_statsTimer;
    QElapsedTimer m_sinceApply;
    qint64 m_applyCostMs = 0;
    bool m_waitingForApply = false;

    QElapsedTimer m_rateClock;
    uint64_t m_rateEvents = 0;
    double m_rate = 0;
};

} // namespace weft::ui
