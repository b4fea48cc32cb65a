#include "panels/await_panel.h"

#include "models/await_model.h"
#include "models/roles.h"
#include "panels/panel_util.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace weft::ui {

AwaitPanel::AwaitPanel(QWidget* parent)
    : QWidget(parent), m_model(new AwaitModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_threshold(makeThresholdBox(kDefaultThresholdMs, this)), m_summary(new QLabel(this)),
      m_view(new QTreeView(this)) {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_proxy->setDynamicSortFilter(false);

    m_threshold->setToolTip(tr("Only awaits lasting at least this long are counted"));
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &AwaitPanel::onThresholdChanged);

    m_view->setModel(m_proxy);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AwaitModel::Total, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setColumnWidth(AwaitModel::Where, 280);
    // A long "awaitable — function (file:line)" loses its middle, not the line number.
    m_view->setTextElideMode(Qt::ElideMiddle);
    for (int c = AwaitModel::Count; c < AwaitModel::ColumnCount; ++c) m_view->setColumnWidth(c, 72);
    // The groups are computed off the GUI thread; sort and count them when they arrive.
    connect(m_model, &AwaitModel::groupsReady, this, [this] {
        m_proxy->sort(m_view->header()->sortIndicatorSection(), m_view->header()->sortIndicatorOrder());
        updateSummary();
    });
    // activated: double-click or Enter (single click on single-click desktops).
    connect(m_view, &QTreeView::activated, this, &AwaitPanel::activate);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Awaits at least"), this));
    bar->addWidget(m_threshold);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    updateSummary();
}

void AwaitPanel::setModel(std::shared_ptr<const Model> model) {
    m_model->setModel(std::move(model), msToTime(m_threshold->value()));
}

void AwaitPanel::setThresholdMs(double ms) { m_threshold->setValue(ms); }

void AwaitPanel::clearSelection() { m_view->selectionModel()->clear(); }

double AwaitPanel::thresholdMs() const { return m_threshold->value(); }

void AwaitPanel::onThresholdChanged(double ms) {
    m_model->setMinDuration(msToTime(ms));
    emit thresholdChanged(ms);
}

void AwaitPanel::activate(const QModelIndex& proxyIndex) {
    const QModelIndex source = m_proxy->mapToSource(proxyIndex);
    const qint64 await = m_model->awaitAt(source);
    if (await >= 0) emit selectionRequested(Selection{Selection::Kind::AwaitPoint, static_cast<uint32_t>(await)});
}

void AwaitPanel::updateSummary() {
    const int locations = m_model->rowCount();
    qulonglong awaits = 0;
    for (int r = 0; r < locations; ++r) awaits += m_model->index(r, AwaitModel::Count).data().toULongLong();
    m_summary->setText(m_model->model() ? tr("%1 awaits at %2 locations").arg(awaits).arg(locations) : QString());
}

} // namespace weft::ui
