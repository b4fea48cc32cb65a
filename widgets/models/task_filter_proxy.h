#pragma once
// Sorting and filtering for the task tree. A task matches when its name or its spawn location
// contains the filter text; its ancestors stay visible (recursive filtering) so it keeps its context.

#include <QSortFilterProxyModel>

namespace weft::ui {

class TaskFilterProxy final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TaskFilterProxy(QObject* parent = nullptr);

    void setFilterText(const QString& text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QString m_text;
};

} // namespace weft::ui
