#include "panels/search_bar.h"

#include "models/text.h"
#include "query/draw_list.h"

#include <QAction>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>
#include <string>
#include <utility>

namespace weft::ui {

namespace {

size_t searchableItems(const Model& m) {
    return m.tasks.size() + m.async_spans.size() + m.thread_spans.size() + m.awaits.size() +
           m.blocking.size() + m.instants.size();
}

// "2 tasks, 1 await point": what the matches are, for the count's tooltip.
QString kindsText(const SearchCounts& c) {
    QStringList parts;
    auto add = [&](uint64_t n, const QString& one, const QString& many) {
        if (n > 0) parts << countText(n, one, many);
    };
    add(c.tasks, SearchBar::tr("task"), SearchBar::tr("tasks"));
    add(c.async_spans, SearchBar::tr("async span"), SearchBar::tr("async spans"));
    add(c.thread_spans, SearchBar::tr("thread span"), SearchBar::tr("thread spans"));
    add(c.awaits, SearchBar::tr("await point"), SearchBar::tr("await points"));
    add(c.blocking, SearchBar::tr("blocking event"), SearchBar::tr("blocking events"));
    add(c.instants, SearchBar::tr("instant"), SearchBar::tr("instants"));
    return parts.join(QStringLiteral(", "));
}

// A theme's arrow where there is one, else a triangle: a machine without an icon theme would
// otherwise show empty buttons.
void setArrow(QToolButton* button, const char* iconName, char16_t fallback) {
    const QIcon icon = QIcon::fromTheme(QLatin1String(iconName));
    if (icon.isNull())
        button->setText(QString(QChar(fallback)));
    else
        button->setIcon(icon);
}

} // namespace

SearchBar::SearchBar(QWidget* parent)
    : QWidget(parent), m_edit(new QLineEdit(this)), m_count(new QLabel(this)),
      m_previous(new QToolButton(this)), m_next(new QToolButton(this)), m_debounce(new QTimer(this)),
      m_nextAction(new QAction(tr("Find Next"), this)),
      m_previousAction(new QAction(tr("Find Previous"), this)) {
    m_edit->setPlaceholderText(tr("Find tasks, spans, awaits, stacks\u2026"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);
    // Searching a large trace at every keystroke would queue work the next keystroke discards.
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150);
    connect(m_edit, &QLineEdit::textChanged, this, &SearchBar::onTextChanged);
    connect(m_debounce, &QTimer::timeout, this, &SearchBar::startSearch);

    setArrow(m_previous, "go-up", u'\u25B2');
    setArrow(m_next, "go-down", u'\u25BC');
    m_previous->setToolTip(tr("Previous match (Shift+Enter, Shift+F3)"));
    m_next->setToolTip(tr("Next match (Enter, F3)"));
    m_previous->setAutoRaise(true);
    m_next->setAutoRaise(true);
    connect(m_previous, &QToolButton::clicked, this, &SearchBar::findPrevious);
    connect(m_next, &QToolButton::clicked, this, &SearchBar::findNext);

    m_nextAction->setShortcut(QKeySequence(Qt::Key_F3));
    m_previousAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    for (QAction* action : {m_nextAction, m_previousAction}) {
        action->setShortcutContext(Qt::WindowShortcut);
        addAction(action);
    }
    connect(m_nextAction, &QAction::triggered, this, &SearchBar::findNext);
    connect(m_previousAction, &QAction::triggered, this, &SearchBar::findPrevious);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_count);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    updateCountLabel();
}

SearchBar::~SearchBar() {
    // The worker holds the model and the flag itself; cancelling only makes it finish early.
    cancelRunning();
}

void SearchBar::setModel(std::shared_ptr<const Model> model) {
    cancelRunning();
    m_model = std::move(model);
    m_selection = {};
    m_anchor = kNoTime;
    m_pendingStep = 0;
    // The old matches index the old model: drop them now, not when the new search is done.
    applyResult(++m_generation, {});
    if (!m_edit->text().isEmpty()) startSearch();
}

void SearchBar::focusSearch() {
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

bool SearchBar::searching() const {
    return m_debounce->isActive() || m_applied != m_generation;
}

void SearchBar::setCurrentSelection(Selection selection) {
    m_selection = selection;
    if (!m_model || selection.empty()) return;
    const size_t at = find_match(*m_model, m_result, selection);
    if (at != kNoMatch) {
        m_current = static_cast<int>(at);
    } else {
        m_current = -1;
        const TimeRange range = selection_range(*m_model, selection);
        if (range.valid()) m_anchor = range.begin;
    }
    updateCountLabel();
}

void SearchBar::setCurrentTime(Time time) {
    m_anchor = time;
}

void SearchBar::findNext() {
    step(+1);
}
void SearchBar::findPrevious() {
    step(-1);
}

bool SearchBar::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_edit) return QWidget::eventFilter(watched, event);
    const bool override = event->type() == QEvent::ShortcutOverride;
    if (!override && event->type() != QEvent::KeyPress) return QWidget::eventFilter(watched, event);
    auto* key = static_cast<QKeyEvent*>(event);
    const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
    if (!enter && key->key() != Qt::Key_Escape) return QWidget::eventFilter(watched, event);
    if (override) {
        // The box takes these keys even when the window has a shortcut on them (Esc clears the
        // timeline's selection elsewhere).
        event->accept();
        return true;
    }
    if (enter) {
        step(key->modifiers() & Qt::ShiftModifier ? -1 : +1);
    } else {
        m_edit->clear();
        emit closed();
    }
    return true;
}

void SearchBar::onTextChanged() {
    if (m_edit->text().isEmpty()) {
        // Nothing to wait for: the highlights go at once.
        m_debounce->stop();
        cancelRunning();
        m_pendingStep = 0;
        applyResult(++m_generation, {});
        return;
    }
    // An Enter pressed for the old text does not carry over, and a search of it still running in
    // the background is wasted work: stop it now rather than when the debounce ends.
    m_pendingStep = 0;
    if (m_cancel) {
        cancelRunning();
        ++m_generation;
    }
    m_debounce->start();
    updateCountLabel();
}

void SearchBar::startSearch() {
    m_debounce->stop();
    cancelRunning();
    const uint64_t generation = ++m_generation;
    const std::string text = m_edit->text().toStdString();
    if (!m_model || text.empty()) {
        applyResult(generation, {});
        return;
    }
    if (searchableItems(*m_model) <= m_backgroundItems) {
        applyResult(generation, search_trace(*m_model, text));
        return;
    }
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancel;
    auto* watcher = new QFutureWatcher<SearchResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation) return; // typed past, or another model
        m_cancel.reset();
        applyResult(generation, watcher->future().takeResult());
    });
    watcher->setFuture(QtConcurrent::run([model = m_model, text, cancel] {
        SearchOptions options;
        options.cancel = cancel.get();
        return search_trace(*model, text, options);
    }));
    updateCountLabel();
}

void SearchBar::applyResult(uint64_t generation, SearchResult result) {
    m_applied = generation;
    m_result = std::move(result);
    m_current = -1;
    if (m_model && !m_selection.empty()) {
        const size_t at = find_match(*m_model, m_result, m_selection);
        if (at != kNoMatch) m_current = static_cast<int>(at);
    }
    updateCountLabel();
    emit matchesChanged();
    const int pending = std::exchange(m_pendingStep, 0);
    if (pending != 0) step(pending);
}

void SearchBar::step(int direction) {
    if (searching()) {
        // Enter right after typing: search now and go once the matches are in.
        m_pendingStep = direction;
        if (m_debounce->isActive()) startSearch();
        return;
    }
    if (m_result.matches.empty()) return;
    const size_t current = m_current < 0 ? kNoMatch : static_cast<size_t>(m_current);
    size_t to;
    if (current == kNoMatch && m_anchor != kNoTime)
        to = direction > 0 ? next_match_at(m_result, m_anchor) : previous_match_at(m_result, m_anchor);
    else
        to = direction > 0 ? next_match(m_result, current) : previous_match(m_result, current);
    m_current = static_cast<int>(to);
    updateCountLabel();
    emit matchActivated(m_result.matches[to]);
}

void SearchBar::cancelRunning() {
    if (m_cancel) m_cancel->store(true, std::memory_order_relaxed);
    m_cancel.reset();
}

void SearchBar::updateCountLabel() {
    const bool any = !m_result.matches.empty();
    m_previous->setEnabled(any);
    m_next->setEnabled(any);
    const uint64_t total = m_result.total();
    QString text;
    if (m_edit->text().isEmpty()) {
        text.clear();
    } else if (m_applied != m_generation) {
        text = tr("Searching\u2026");
    } else if (total == 0) {
        text = tr("No matches");
    } else {
        const QString all = QString::number(total);
        text = m_current < 0 ? countText(total, all, tr("match"), tr("matches"))
                             : QString::number(m_current + 1) % QStringLiteral(" / ") % all;
    }
    m_count->setText(text);
    QString tip = kindsText(m_result.counts);
    if (m_result.capped)
        tip += QLatin1Char('\n') +
               tr("Only the first %1 by time are highlighted and visited.").arg(m_result.matches.size());
    m_count->setToolTip(tip);
}

} // namespace weft::ui
