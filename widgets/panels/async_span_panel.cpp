#include "panels/async_span_panel.h"

#include "models/async_span_model.h"
#include "models/text.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

namespace weft::ui {

AsyncSpanPanel::AsyncSpanPanel(QWidget* parent)
    : QWidget(parent), m_model(new AsyncSpanModel(this)), m_filter(new QLineEdit(this)),
      m_summary(new QLabel(this)), m_view(new QTableView(this)), m_chain(new QLabel(this)),
      m_threads(new QTableWidget(this)) {
    m_filter->setPlaceholderText(tr("Filter spans by name"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_model->setNameFilter(text);
        updateSummary();
    });

    m_view->setModel(m_model);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AsyncSpanModel::Duration, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    // Fixed row heights: the view never measures millions of rows.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(AsyncSpanModel::Name, 160);
    m_view->setColumnWidth(AsyncSpanModel::Begin, 110);
    m_view->setColumnWidth(AsyncSpanModel::Duration, 90);
    m_view->setColumnWidth(AsyncSpanModel::Depth, 50);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const qint64 span = m_model->spanAt(index.row());
        if (span >= 0) emit fitRequested(Selection{Selection::Kind::AsyncSpan, static_cast<uint32_t>(span)});
    });

    m_chain->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chain->setWordWrap(true);
    m_chain->setToolTip(tr("The selected span's parents, outermost first"));

    m_threads->setColumnCount(3);
    m_threads->setHorizontalHeaderLabels({tr("Thread"), tr("Began"), tr("Ended")});
    m_threads->verticalHeader()->hide();
    m_threads->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_threads->setSelectionMode(QAbstractItemView::NoSelection);
    m_threads->horizontalHeader()->setStretchLastSection(true);
    m_threads->setToolTip(tr("Async spans that began and ended on each thread"));

    auto* below = new QWidget(this);
    auto* below_layout = new QVBoxLayout(below);
    below_layout->setContentsMargins(0, 0, 0, 0);
    below_layout->addWidget(m_chain);
    below_layout->addWidget(m_threads, 1);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(below);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addSpacing(8);
    bar->addWidget(m_summary);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);
}

void AsyncSpanPanel::setModel(std::shared_ptr<const Model> model) {
    m_model->setModel(std::move(model));
    m_chain->clear();
    fillThreadTable();
    updateSummary();
}

void AsyncSpanPanel::updateSummary() {
    if (!m_model->model()) {
        m_summary->clear();
        return;
    }
    const size_t total = m_model->model()->async_spans.size();
    QString text =
        static_cast<size_t>(m_model->rowCount()) == total
            ? countText(total, tr("span"), tr("spans"))
            : tr("%1 of %2").arg(m_model->rowCount()).arg(countText(total, tr("span"), tr("spans")));
    if (m_model->hoppedSpans() > 0) text += tr(" · %1 ended on another thread").arg(m_model->hoppedSpans());
    m_summary->setText(text);
}

void AsyncSpanPanel::fillThreadTable() {
    m_threads->setRowCount(0);
    const std::shared_ptr<const Model>& model = m_model->model();
    if (!model) return;
    const auto& begins = m_model->beginsPerThread();
    const auto& ends = m_model->endsPerThread();
    for (uint32_t t = 0; t < begins.size(); ++t) {
        if (begins[t] == 0 && ends[t] == 0) continue;
        const int row = m_threads->rowCount();
        m_threads->insertRow(row);
        m_threads->setItem(row, 0, new QTableWidgetItem(threadName(*model, ThreadIndex{t})));
        for (int c : {1, 2}) {
            auto* item = new QTableWidgetItem(QString::number(c == 1 ? begins[t] : ends[t]));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_threads->setItem(row, c, item);
        }
    }
    m_threads->resizeColumnToContents(0);
}

void AsyncSpanPanel::selectSpan(uint32_t span) {
    const int row = m_model->rowOfSpan(span);
    m_syncing = true;
    if (row >= 0) {
        const QModelIndex index = m_model->index(row, 0);
        m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
        m_view->scrollTo(index);
        m_chain->setText(m_model->parentChain(span));
    } else {
        m_view->selectionModel()->clear();
        m_chain->clear();
    }
    m_syncing = false;
}

void AsyncSpanPanel::onCurrentChanged(const QModelIndex& index) {
    const qint64 span = m_model->spanAt(index.row());
    m_chain->setText(span >= 0 ? m_model->parentChain(static_cast<uint32_t>(span)) : QString());
    if (!m_syncing && span >= 0)
        emit selectionRequested(Selection{Selection::Kind::AsyncSpan, static_cast<uint32_t>(span)});
}

} // namespace weft::ui
