#include "app/resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside a namespace.
static void initWeftResources() { Q_INIT_RESOURCE(weft); }

namespace weft::ui {

void registerResources() {
    static const bool registered = [] {
        initWeftResources();
        return true;
    }();
    (void)registered;
}

} // namespace weft::ui
