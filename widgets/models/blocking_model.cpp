#include "models/blocking_model.h"

#include "analysis/blocking.h"
#include "models/roles.h"
#include "models/text.h"
#include "query/selection.h"

namespace weft::ui {

BlockingModel::BlockingModel(QObject* parent) : QAbstractTableModel(parent) {}

void BlockingModel::setModel(std::shared_ptr<const Model> model, Time threshold) {
    beginResetModel();
    m_model = std::move(model);
    m_threshold = threshold;
    m_rows.clear();
    if (m_model) m_rows = analysis::blocking_above(*m_model, threshold);
    endResetModel();
}

void BlockingModel::setThreshold(Time threshold) {
    if (threshold == m_threshold) return;
    setModel(m_model, threshold);
}

qint64 BlockingModel::blockingAt(int row) const {
    if (row < 0 || static_cast<size_t>(row) >= m_rows.size()) return -1;
    return m_rows[static_cast<size_t>(row)];
}

int BlockingModel::rowForBlocking(uint32_t blocking) const {
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i] == blocking) return static_cast<int>(i);
    return -1;
}

QStringList BlockingModel::framesOf(uint32_t blocking) const {
    QStringList lines;
    if (!m_model || blocking >= m_model->blocking.size()) return lines;
    const Model& mdl = *m_model;
    const Range frames = mdl.blocking[blocking].frames;
    if (frames.end() > mdl.frames.size() || frames.end() < frames.first) return lines;
    for (uint32_t i = frames.first; i < frames.end(); ++i) {
        QString line = locationText(mdl, mdl.frames[i]);
        lines << (line.isEmpty() ? tr("(unknown frame)") : line);
    }
    return lines;
}

int BlockingModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int BlockingModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant BlockingModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_model || static_cast<size_t>(index.row()) >= m_rows.size()) return {};
    const Model& mdl = *m_model;
    const uint32_t b = m_rows[static_cast<size_t>(index.row())];
    const BlockingEvent& event = mdl.blocking[b];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Duration: return durationText(event.duration());
        case Thread: return threadName(mdl, event.thread);
        case Task: return event.task.valid() ? taskName(mdl, event.task) : tr("—");
        case Time_: return preciseTimeText(event.begin);
        default: return {};
        }
    case SortRole:
        switch (index.column()) {
        case Duration: return qint64(event.duration());
        case Thread: return threadName(mdl, event.thread).toLower();
        case Task: return taskName(mdl, event.task).toLower();
        case Time_: return qint64(event.begin);
        default: return {};
        }
    case Qt::TextAlignmentRole:
        return index.column() == Duration || index.column() == Time_ ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                                                      : QVariant();
    case SelectionKindRole: return int(Selection::Kind::Blocking);
    case SelectionIndexRole: return b;
    default: return {};
    }
}

QVariant BlockingModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Duration: return tr("Duration");
    case Thread: return tr("Thread");
    case Task: return tr("Task");
    case Time_: return tr("Time");
    default: return {};
    }
}

} // namespace weft::ui
