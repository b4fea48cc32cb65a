// Keyboard and mouse navigation of TimelineView (see docs/user-guide/timeline.md):
//   Ctrl+wheel zoom at the cursor, wheel scrolls lanes, Shift+wheel pans; W/S zoom, A/D pan;
//   left-drag pans, Ctrl+left-drag zooms to the dragged range, Shift+left-drag or right-drag
//   measures; click selects, double-click fits the item; F fits the selection, 0 fits all, Esc clears;
//   Enter expands or collapses the selected task.
//   The edge of the lane-name column drags to resize it (double-click: default width).
#include "timeline/timeline_view.h"

#include "timeline/lane_header.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace weft::ui {

namespace {
constexpr double kKeyZoomFactor = 1.5;
constexpr double kKeyPanFraction = 0.15;
constexpr int kDragThreshold = 4;
} // namespace

double TimelineView::anchorX() const {
    const QPoint cursor = mapFromGlobal(QCursor::pos());
    const QRect lanes = lanesRect();
    if (underMouse() && lanes.contains(cursor)) return cursor.x() - lanes.left();
    if (m_hover_time != kNoTime) return m_zoom.mapping().x_of(m_hover_time);
    return lanes.width() / 2.0;
}

void TimelineView::setHoverTime(Time time) {
    if (time == m_hover_time) return;
    m_hover_time = time;
    emit hoverTimeChanged(time);
    update();
}

bool TimelineView::isNavigationKey(const QKeyEvent* event) {
    if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier)) return false;
    switch (event->key()) {
    case Qt::Key_W:
    case Qt::Key_S:
    case Qt::Key_A:
    case Qt::Key_D:
    case Qt::Key_Plus:
    case Qt::Key_Minus:
    case Qt::Key_Equal:
    case Qt::Key_0:
    case Qt::Key_F:
    case Qt::Key_Escape: return true;
    default: return false;
    }
}

void TimelineView::keyPressEvent(QKeyEvent* event) {
    const double pan = lanesRect().width() * kKeyPanFraction;
    switch (event->key()) {
    case Qt::Key_W:
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(kKeyZoomFactor); break;
    case Qt::Key_S:
    case Qt::Key_Minus: zoomBy(1.0 / kKeyZoomFactor); break;
    case Qt::Key_A:
    case Qt::Key_Left: panByPixels(pan); break;
    case Qt::Key_D:
    case Qt::Key_Right: panByPixels(-pan); break;
    case Qt::Key_Up: m_vscroll->triggerAction(QScrollBar::SliderSingleStepSub); break;
    case Qt::Key_Down: m_vscroll->triggerAction(QScrollBar::SliderSingleStepAdd); break;
    case Qt::Key_PageUp: m_vscroll->triggerAction(QScrollBar::SliderPageStepSub); break;
    case Qt::Key_PageDown: m_vscroll->triggerAction(QScrollBar::SliderPageStepAdd); break;
    case Qt::Key_0: fitAll(); break;
    case Qt::Key_F: fitSelection(); break;
    case Qt::Key_Escape: clearSelection(); break;
    case Qt::Key_Return:
    case Qt::Key_Enter: {
        // Expand or collapse the selected task: out of its packed row onto its own, with its children.
        const TaskIndex task = m_model ? owning_task(*m_model, m_selection) : TaskIndex{};
        if (!task.valid()) {
            QWidget::keyPressEvent(event);
            return;
        }
        setTaskExpanded(task, !m_layout.task_expanded(task));
        break;
    }
    default: QWidget::keyPressEvent(event); return;
    }
    event->accept();
}

void TimelineView::wheelEvent(QWheelEvent* event) {
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = delta.y() / 120.0;
        const double x = event->position().x() - lanesRect().left();
        rangeChanged(m_zoom.zoom(std::pow(1.25, steps), x));
    } else if ((event->modifiers() & Qt::ShiftModifier) || delta.x() != 0) {
        // Shift+wheel, or a horizontal wheel/touchpad swipe, pans time.
        const int d = delta.x() != 0 ? delta.x() : delta.y();
        panByPixels(d / 120.0 * lanesRect().width() * 0.1);
    } else {
        m_vscroll->setValue(m_vscroll->value() - delta.y() / 120 * 3 * m_vscroll->singleStep());
    }
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
    setFocus(Qt::MouseFocusReason);
    const QPoint pos = event->position().toPoint();
    if (event->button() == Qt::LeftButton && onHeaderEdge(pos)) {
        // The edge of the lane-name column: dragging resizes it.
        m_drag = Drag::HeaderEdge;
        m_drag_button = Qt::LeftButton;
        return;
    }
    if (pos.x() < lanesRect().left() && pos.y() >= lanesRect().top()) {
        // Header column: the arrow toggles, the name selects a task.
        const int row = rowAt(QPoint(lanesRect().left(), pos.y()));
        if (row < 0 || !m_model || event->button() != Qt::LeftButton) return;
        const LaneRow& r = m_layout.row(static_cast<size_t>(row));
        const QRect row_rect(0, rowCenterY(row) - r.height / 2, lanesRect().left(), r.height);
        if (r.expandable && lane_header_arrow(r, row_rect).adjusted(-3, -3, 3, 3).contains(pos))
            toggleRow(row);
        else if (r.kind == RowKind::Task)
            setSelection(Selection{Selection::Kind::Task, r.index});
        else if (r.kind == RowKind::Process)
            toggleRow(row);
        return;
    }
    if (!lanesRect().contains(pos)) return;
    m_press_pos = m_last_pos = pos;
    m_press_time = m_zoom.mapping().time_at(pos.x() - lanesRect().left());
    m_press_scroll = m_vscroll->value();
    m_press_ctrl = event->modifiers() & Qt::ControlModifier;
    m_press_shift = event->modifiers() & Qt::ShiftModifier;
    m_drag_button = event->button();
    m_drag = Drag::Pending;
    if (event->button() == Qt::MiddleButton) m_drag = Drag::Pan;
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    if (m_drag == Drag::HeaderEdge) {
        setHeaderWidth(pos.x());
        return;
    }
    if (m_drag == Drag::None) {
        if (onHeaderEdge(pos))
            setCursor(Qt::SplitHCursor);
        else
            unsetCursor();
    }
    const QRect lanes = lanesRect();
    const int row = rowAt(pos);
    if (row != m_hover_row) {
        m_hover_row = row;
        update();
    }
    if (pos.x() >= lanes.left() && pos.x() <= lanes.right())
        setHoverTime(m_zoom.mapping().time_at(pos.x() - lanes.left()));
    else
        setHoverTime(kNoTime);

    if (m_drag == Drag::Pending && (pos - m_press_pos).manhattanLength() >= kDragThreshold) {
        if (m_drag_button == Qt::RightButton || (m_drag_button == Qt::LeftButton && m_press_shift))
            m_drag = Drag::Ruler;
        else if (m_drag_button == Qt::LeftButton && m_press_ctrl)
            m_drag = Drag::RubberBand;
        else if (m_drag_button == Qt::LeftButton)
            m_drag = Drag::Pan;
    }
    const Time t = m_zoom.mapping().time_at(pos.x() - lanes.left());
    switch (m_drag) {
    case Drag::Pan:
        panByPixels(pos.x() - m_last_pos.x());
        m_vscroll->setValue(m_vscroll->value() - (pos.y() - m_last_pos.y()));
        break;
    case Drag::Ruler:
    case Drag::RubberBand:
        m_ruler_begin = std::min(m_press_time, t);
        m_ruler_end = std::max(m_press_time, t);
        update();
        break;
    default: break;
    }
    m_last_pos = pos;
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
    const QPoint pos = event->position().toPoint();
    const Drag drag = m_drag;
    m_drag = Drag::None;
    if (event->button() != m_drag_button) return;
    m_drag_button = Qt::NoButton;
    if (drag == Drag::HeaderEdge) {
        saveHeaderWidth();
        return;
    }
    if (drag == Drag::Ruler && m_ruler_begin != kNoTime && m_ruler_end > m_ruler_begin)
        emit rulerMeasured(m_ruler_begin, m_ruler_end);
    if (drag == Drag::RubberBand) {
        const Time b = m_ruler_begin, e = m_ruler_end;
        m_ruler_begin = m_ruler_end = kNoTime;
        if (b != kNoTime && e > b) setVisibleRange(b, e);
        update();
        return;
    }
    if (drag != Drag::Pending || event->button() != Qt::LeftButton || !m_model) return;
    // A click without a drag: select what is under it, or clear.
    const int row = rowAt(pos);
    Selection hit = row < 0 ? Selection{}
                            : hit_test(*m_model, m_layout, m_zoom.mapping(), static_cast<size_t>(row),
                                       pos.x() - lanesRect().left());
    if (hit.empty()) {
        // Between marks a flow's arrow may pass: it selects the flow.
        if (const DrawArrow* arrow = arrowAt(pos); arrow && arrow->kind == ArrowKind::Flow)
            hit = Selection{Selection::Kind::Flow, arrow->flow};
    }
    if (hit.empty()) {
        clearSelection();
        return;
    }
    if (hit != m_selection) {
        m_selection = hit;
        updateSelectedFlows();
        emit selectionChanged(m_selection);
    }
    update();
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton && onHeaderEdge(event->position().toPoint())) {
        setHeaderWidth(kDefaultHeaderWidth); // double-click on the edge: back to the default
        saveHeaderWidth();
        return;
    }
    const QPoint pos = event->position().toPoint();
    const int row = rowAt(pos);
    if (!m_model || row < 0 || !lanesRect().contains(pos)) return;
    if (m_layout.row(static_cast<size_t>(row)).expandable && pos.x() < lanesRect().left()) return;
    const Selection hit =
        hit_test(*m_model, m_layout, m_zoom.mapping(), static_cast<size_t>(row), pos.x() - lanesRect().left());
    if (hit.empty()) return;
    if (hit != m_selection) {
        m_selection = hit;
        updateSelectedFlows();
        emit selectionChanged(m_selection);
    }
    fitSelection();
}

void TimelineView::leaveEvent(QEvent* event) {
    m_hover_row = -1;
    setHoverTime(kNoTime);
    QWidget::leaveEvent(event);
}

bool TimelineView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tooltipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace weft::ui
