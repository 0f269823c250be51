// The application's embedded files (icon, demo job specs) live in a static library, whose Qt
// resources must be registered by hand before the first ":/" path is opened.
#pragma once

namespace trainscope {

void registerResources(); // idempotent

} // namespace trainscope
