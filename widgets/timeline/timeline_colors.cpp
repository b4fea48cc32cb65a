#include "timeline/timeline_colors.h"

#include <array>

namespace weft::ui {

const TimelinePalette& timeline_palette() {
    static const TimelinePalette palette;
    return palette;
}

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

QColor mark_fill(const DrawMark& mark) {
    const TimelinePalette& p = timeline_palette();
    switch (mark.kind) {
    case MarkKind::Blocking: return p.blocking;
    case MarkKind::Lag: return p.lag;
    case MarkKind::TaskScheduled: return p.scheduled;
    case MarkKind::TaskAwaiting: return mark.folded() ? p.awaiting.darker(115) : p.awaiting;
    case MarkKind::Migration: return p.migration;
    case MarkKind::Sample: return p.sample;
    default: break;
    }
    // A folded run keeps its task's colour and a folded counter step its track's: both stay one thing.
    if (mark.folded() && mark.kind != MarkKind::TaskRunning && mark.kind != MarkKind::Counter) return p.fold;
    if (mark.color_key == 0) return p.fold;
    return color_for_key(mark.color_key);
}

QColor text_on(const QColor& fill) {
    return fill.lightness() > 120 ? QColor(0x14, 0x16, 0x1a) : QColor(0xf8, 0xf8, 0xf8);
}

} // namespace weft::ui
