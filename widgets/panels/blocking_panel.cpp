#include "panels/blocking_panel.h"

#include "models/blocking_model.h"
#include "models/roles.h"
#include "models/text.h"
#include "panels/panel_util.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace weft::ui {

BlockingPanel::BlockingPanel(QWidget* parent)
    : QWidget(parent), m_model(new BlockingModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_threshold(makeThresholdBox(kDefaultThresholdMs, this)), m_summary(new QLabel(this)),
      m_view(new QTableView(this)), m_stack(new QPlainTextEdit(this)) {
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SortRole);
    m_proxy->setDynamicSortFilter(false);

    m_threshold->setToolTip(tr("Only blocking at least this long is listed"));
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &BlockingPanel::onThresholdChanged);

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(BlockingModel::Duration, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(BlockingModel::Duration, 90);
    m_view->setColumnWidth(BlockingModel::Thread, 130);
    m_view->setColumnWidth(BlockingModel::Task, 180);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });

    m_stack->setReadOnly(true);
    m_stack->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_stack->setPlaceholderText(tr("Select a blocking event to see its stack"));
    m_stack->setFont(QFont(QStringLiteral("monospace")));

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_stack);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Blocking at least"), this));
    bar->addWidget(m_threshold);
    bar->addSpacing(12);
    bar->addWidget(m_summary, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
}

void BlockingPanel::setModel(std::shared_ptr<const Model> model) {
    m_model->setModel(std::move(model), msToTime(m_threshold->value()));
    m_proxy->sort(m_view->horizontalHeader()->sortIndicatorSection(), m_view->horizontalHeader()->sortIndicatorOrder());
    m_stack->clear();
    m_summary->setText(m_model->model() ? tr("%n event(s)", nullptr, eventCount()) : QString());
    emit eventCountChanged(eventCount());
}

void BlockingPanel::setThresholdMs(double ms) { m_threshold->setValue(ms); }

double BlockingPanel::thresholdMs() const { return m_threshold->value(); }

int BlockingPanel::eventCount() const { return m_model->rowCount(); }

void BlockingPanel::onThresholdChanged(double ms) {
    setModel(m_model->model());
    emit thresholdChanged(ms);
}

void BlockingPanel::selectBlocking(uint32_t blocking) {
    const int row = m_model->rowForBlocking(blocking);
    m_syncing = true;
    if (row >= 0) {
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(index);
        showStack(blocking);
    } else {
        m_view->selectionModel()->clear();
        showStack(-1);
    }
    m_syncing = false;
}

void BlockingPanel::onCurrentChanged(const QModelIndex& proxyIndex) {
    const qint64 blocking = m_model->blockingAt(m_proxy->mapToSource(proxyIndex).row());
    showStack(blocking);
    if (!m_syncing && blocking >= 0)
        emit selectionRequested(Selection{Selection::Kind::Blocking, static_cast<uint32_t>(blocking)});
}

void BlockingPanel::showStack(qint64 blocking) {
    if (blocking < 0) {
        m_stack->clear();
        return;
    }
    const QStringList frames = m_model->framesOf(static_cast<uint32_t>(blocking));
    QString text;
    if (frames.isEmpty()) text = tr("(no stack recorded)");
    for (qsizetype i = 0; i < frames.size(); ++i)
        text += QStringLiteral("#%1  ").arg(i, 2) % frames[i] % QLatin1Char('\n');
    m_stack->setPlainText(text);
}

} // namespace weft::ui
