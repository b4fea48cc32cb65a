#include "timeline/timeline_colors.h"

#include <QGuiApplication>
#include <QPalette>

#include <algorithm>
#include <array>
#include <cmath>

namespace weft::ui {

namespace {
bool g_dark = false;

// Folds whose `value` is the share of time their items cover (draw_list.h).
bool is_interval_fold(MarkKind kind) {
    return kind == MarkKind::RunSlice || kind == MarkKind::ThreadSpan || kind == MarkKind::AsyncSpan;
}
} // namespace

TimelinePalette dark_timeline_palette() {
    TimelinePalette p;
    p.background = QColor(0x1e, 0x1f, 0x22);
    p.row_alternate = QColor(0x26, 0x28, 0x2c);
    p.row_separator = QColor(0x34, 0x37, 0x3c);
    p.header_background = QColor(0x2a, 0x2c, 0x30);
    p.header_text = QColor(0xe4, 0xe6, 0xea);
    p.header_dim_text = QColor(0x9a, 0xa0, 0xa8);
    p.axis_background = QColor(0x30, 0x33, 0x38);
    p.axis_text = QColor(0xd6, 0xd9, 0xde);
    p.grid = QColor(0xff, 0xff, 0xff, 0x1c);
    p.fold = QColor(0x70, 0x77, 0x81);
    p.blocking = QColor(0xe2, 0x58, 0x58);
    p.lag = QColor(0xf3, 0x9a, 0x3a);
    p.scheduled = QColor(0xd6, 0xb2, 0x46);
    p.awaiting = QColor(0x5e, 0x76, 0x90);
    p.migration = QColor(0xc7, 0x5e, 0xd3);
    p.selection = QColor(0xf2, 0xf2, 0xf2);
    p.hover_line = QColor(0x6a, 0xa8, 0xff, 0xb0);
    p.ruler_fill = QColor(0x6a, 0xa8, 0xff, 0x38);
    p.ruler_edge = QColor(0x6a, 0xa8, 0xff);
    p.arrow = QColor(0x8a, 0xb2, 0xf0);
    p.sample = QColor(0x52, 0xb8, 0xa3);
    p.flow = QColor(0x92, 0xb4, 0xe6, 0xb0);
    p.flow_strong = QColor(0xbf, 0xd6, 0xff);
    p.global_line = QColor(0xb4, 0x74, 0xdc, 0x60);
    p.failed = QColor(0xf2, 0x5c, 0x5c);
    p.cancelled = QColor(0xf5, 0xa0, 0x3c);
    p.match = QColor(0xff, 0xd5, 0x4f);
    return p;
}

const TimelinePalette& timeline_palette() {
    static const TimelinePalette light;
    static const TimelinePalette dark = dark_timeline_palette();
    return g_dark ? dark : light;
}

void follow_application_palette() { g_dark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128; }

bool timeline_palette_is_dark() { return g_dark; }

QColor color_for_key(uint32_t key) {
    // A frame asks for the same few colours thousands of times, and a colour made from HSV is
    // converted to RGB again by every fill: remember the RGB of recent keys (direct-mapped).
    struct Entry {
        uint32_t key = 0;
        QRgb rgb = 0;
    };
    thread_local std::array<Entry, 256> cache{};
    Entry& e = cache[(key ^ (key >> 8) ^ (key >> 16)) & 0xffu];
    if (e.key != key || key == 0) {
        // Hue from the key; saturation and value in a narrow band so every colour carries black text.
        const int hue = static_cast<int>(key % 360u);
        const int saturation = 110 + static_cast<int>((key >> 9) % 60u);
        const int value = 200 + static_cast<int>((key >> 17) % 40u);
        e = {key, QColor::fromHsv(hue, saturation, value).rgb()};
    }
    return QColor::fromRgb(e.rgb);
}

QColor coverage_shade(const QColor& base, float coverage) {
    // A fold whose items fill it has the item's own colour; one they barely touch is close to the
    // background but still visible.
    const QColor& bg = timeline_palette().background;
    const float a = 0.3f + 0.7f * std::clamp(coverage, 0.0f, 1.0f);
    return QColor::fromRgbF(bg.redF() + (base.redF() - bg.redF()) * a,
                            bg.greenF() + (base.greenF() - bg.greenF()) * a,
                            bg.blueF() + (base.blueF() - bg.blueF()) * a);
}

QColor mark_fill(const DrawMark& mark) {
    const TimelinePalette& p = timeline_palette();
    switch (mark.kind) {
    case MarkKind::Blocking: return mark.folded() ? coverage_shade(p.blocking, mark.value) : p.blocking;
    case MarkKind::TaskFold: // a lone narrow task keeps its colour; a fold of them is shaded grey
        return !mark.folded() && mark.color_key != 0 ? color_for_key(mark.color_key) : coverage_shade(p.fold, mark.value);
    case MarkKind::Lag: return lag_heat(mark.value);
    case MarkKind::TaskScheduled: return p.scheduled;
    case MarkKind::TaskAwaiting: return mark.folded() ? p.awaiting.darker(115) : p.awaiting;
    case MarkKind::Migration: return p.migration;
    case MarkKind::Sample: return p.sample;
    default: break;
    }
    // A folded run keeps its task's colour and a folded counter step its track's: both stay one thing.
    if (mark.folded() && mark.kind != MarkKind::TaskRunning && mark.kind != MarkKind::Counter)
        return is_interval_fold(mark.kind) ? coverage_shade(p.fold, mark.value) : p.fold;
    if (mark.color_key == 0) return p.fold;
    return color_for_key(mark.color_key);
}

QColor lag_heat(double ms) {
    const TimelinePalette& p = timeline_palette();
    // 0 at 1 ms, 0.5 at ~30 ms, 1 at 1 s and beyond.
    const double t = std::clamp(std::log10(std::max(ms, 1e-3)) / 3.0, 0.0, 1.0);
    const QColor cool = p.lag.lighter(150), hot(0xb7, 0x1c, 0x1c);
    const QColor& from = t < 0.5 ? cool : p.lag;
    const QColor& to = t < 0.5 ? p.lag : hot;
    const double f = t < 0.5 ? t * 2 : (t - 0.5) * 2;
    return QColor::fromRgbF(static_cast<float>(from.redF() + (to.redF() - from.redF()) * f),
                            static_cast<float>(from.greenF() + (to.greenF() - from.greenF()) * f),
                            static_cast<float>(from.blueF() + (to.blueF() - from.blueF()) * f));
}

QColor text_on(const QColor& fill) {
    return fill.lightness() > 120 ? QColor(0x14, 0x16, 0x1a) : QColor(0xf8, 0xf8, 0xf8);
}

} // namespace weft::ui
