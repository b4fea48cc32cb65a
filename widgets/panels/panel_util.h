#pragma once
// Small pieces the dock panels share.

#include "model/ids.h"

#include <QDoubleSpinBox>

#include <cmath>

namespace weft::ui {

inline Time msToTime(double ms) { return static_cast<Time>(std::llround(ms * 1e6)); }

// A millisecond threshold box: 0 .. 1 h, three decimals so sub-millisecond thresholds fit.
inline QDoubleSpinBox* makeThresholdBox(double defaultMs, QWidget* parent) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0.0, 3'600'000.0);
    box->setDecimals(3);
    box->setSingleStep(1.0);
    box->setSuffix(QStringLiteral(" ms"));
    box->setValue(defaultMs);
    box->setKeyboardTracking(false); // recompute when the user is done typing, not per keystroke
    box->setAccelerated(true);
    return box;
}

} // namespace weft::ui
