#include "widgets/dashboard/dashboard.h"

namespace trainscope {

QString Dashboard::groupOf(const QString &tag) {
    const int slash = tag.indexOf('/');
    return slash < 0 ? tag : tag.left(slash);
}

} // namespace trainscope
