#pragma once
// The Find bar: a search over the whole trace (query/search.h) as the user types, the number of
// matches, and next / previous with Enter / Shift+Enter, F3 / Shift+F3 or its two buttons.
//
// It owns the list of matches (matches(), for the timeline to highlight) and asks for one to be
// shown with matchActivated; it never selects anything itself. The viewer tells it what the user
// looks at (setCurrentSelection / setCurrentTime) so that "next" starts from there.
//
// A trace with many items is searched on a worker thread: a newer search cancels the one still
// running, and a result that arrives after a newer request was made is dropped by its generation.

#include "model/model.h"
#include "query/search.h"
#include "query/selection.h"

#include <QWidget>
#include <atomic>
#include <memory>
#include <vector>

class QAction;
class QLabel;
class QLineEdit;
class QTimer;
class QToolButton;

namespace weft::ui {

class SearchBar final : public QWidget {
    Q_OBJECT
public:
    // Traces with more items than this (tasks, spans, awaits, blocking events, instants) are
    // searched off the GUI thread; smaller ones at once, which is quicker than the hand-off.
    static constexpr size_t kBackgroundItems = 200'000;

    explicit SearchBar(QWidget* parent = nullptr);
    ~SearchBar() override;

    // Drops the matches (their indices are the old model's) and searches the new model for the
    // text in the box, if any.
    void setModel(std::shared_ptr<const Model> model);

    QLineEdit* lineEdit() const { return m_edit; }
    // Focuses the box with its text selected, so typing replaces it (Ctrl+F).
    void focusSearch();

    // The matches of the latest finished search, by time; at most SearchOptions::max_matches.
    const std::vector<Selection>& matches() const { return m_result.matches; }
    const SearchResult& result() const { return m_result; }
    // The match last shown or selected, or -1.
    int currentIndex() const { return m_current; }
    // Every match, also those past the cap of matches().
    size_t totalMatches() const { return static_cast<size_t>(m_result.total()); }
    // A search for the current text is pending (debounce) or running.
    bool searching() const;

    // The viewer's selection: when it is a match it becomes the current one; otherwise next and
    // previous start from its begin time.
    void setCurrentSelection(Selection selection);
    // Where next and previous start while no match is current (the view's centre, say). A current
    // match is kept: the view following a shown match must not move "next" back onto it.
    void setCurrentTime(Time time);

    // F3 / Shift+F3, for the viewer's menu.
    QAction* findNextAction() const { return m_nextAction; }
    QAction* findPreviousAction() const { return m_previousAction; }

    // Items above which the search runs in the background (kBackgroundItems); 0: always. Tests use it.
    void setBackgroundThreshold(size_t items) { m_backgroundItems = items; }

public slots:
    void findNext();
    void findPrevious();

signals:
    void matchesChanged();
    void matchActivated(weft::Selection selection);
    // Esc in the box: the text was cleared and the viewer should take the focus back.
    void closed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onTextChanged();
    void startSearch();
    void applyResult(uint64_t generation, SearchResult result);
    void step(int direction);
    void cancelRunning();
    void updateCountLabel();

    std::shared_ptr<const Model> m_model;
    SearchResult m_result;
    int m_current = -1;
    Selection m_selection;                       // the viewer's, to find among new matches
    Time m_anchor = kNoTime;                     // where navigation starts while no match is current
    uint64_t m_generation = 0;                   // of the newest search requested
    uint64_t m_applied = 0;                      // of the one whose result is shown
    std::shared_ptr<std::atomic<bool>> m_cancel; // of the search running in the background
    int m_pendingStep = 0;                       // Enter before the result was in: +1 / -1 once it arrives
    size_t m_backgroundItems = kBackgroundItems;

    QLineEdit* m_edit;
    QLabel* m_count;
    QToolButton* m_previous;
    QToolButton* m_next;
    QTimer* m_debounce;
    QAction* m_nextAction;
    QAction* m_previousAction;
};

} // namespace weft::ui
