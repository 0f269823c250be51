#include "app/embeddedresources.h"

#include <QtGlobal>

static void registerQrc() {
    Q_INIT_RESOURCE(resources);
} // the macro must not sit in a namespace

namespace trainscope {

void registerResources() {
    static const bool done = (registerQrc(), true);
    (void)done;
}

} // namespace trainscope
