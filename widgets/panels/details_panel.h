#pragma once
// The details dock: everything known about the selected item, with links to related items (parent,
// children, awaits, the task of a slice) that select them.

#include "model/model.h"
#include "query/selection.h"

#include <QWidget>

#include <memory>

class QTextBrowser;
class QUrl;

namespace weft::ui {

class DetailsPanel final : public QWidget {
    Q_OBJECT
public:
    // Lists of related items are cut here; the rest is counted.
    static constexpr uint32_t kMaxListed = 50;

    explicit DetailsPanel(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const Model> model);
    void showSelection(weft::Selection selection);
    // What the ruler's range [begin, end) holds: tasks, run time per thread, awaits by location,
    // blocking and lag (analysis/range_summary.h). Showing a selection replaces it.
    void showRange(weft::Time begin, weft::Time end);
    weft::Selection shown() const { return m_selection; }
    QString html() const;
    QTextBrowser* browser() const { return m_browser; }

    // "weft:task/12" <-> Selection; an empty selection for anything else.
    static QString linkFor(weft::Selection selection);
    static weft::Selection selectionFromLink(const QUrl& url);
    // An HTML link that selects `selection`, showing `text`.
    static QString link(weft::Selection selection, const QString& text);
    // The async span a task was imported from: its first span whose parent is not its own.
    static AsyncSpanIndex rootSpanOf(const Model& model, TaskIndex task);

signals:
    void selectionRequested(weft::Selection selection);

private:
    QString render(const Model& model, weft::Selection selection) const;
    QString renderTask(const Model& model, uint32_t index) const;
    QString renderAwait(const Model& model, uint32_t index) const;
    QString renderRunSlice(const Model& model, uint32_t index) const;
    QString renderThreadSpan(const Model& model, uint32_t index) const;
    QString renderAsyncSpan(const Model& model, uint32_t index) const;
    QString renderBlocking(const Model& model, uint32_t index) const;
    QString renderLag(const Model& model, uint32_t index) const;
    // details_imported.cpp: what imported traces add.
    QString renderInstant(const Model& model, uint32_t index) const;
    QString renderSample(const Model& model, uint32_t index) const;
    QString renderCounterSample(const Model& model, uint32_t index) const;
    QString renderFlow(const Model& model, uint32_t index) const;
    // "Arguments": the JSON text pretty-printed as a key: value table; nothing without arguments.
    QString argsSection(const Model& model, StringId args) const;
    // "Flows": each flow in or out of the item, linked to what its other end is on.
    QString flowsSection(const Model& model, weft::Selection item) const;

    std::shared_ptr<const Model> m_model;
    weft::Selection m_selection;
    QTextBrowser* m_browser;
};

} // namespace weft::ui
