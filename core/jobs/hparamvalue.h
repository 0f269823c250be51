// One hyperparameter's value as TensorBoard's HParams plugin types it: a number, a string or a
// boolean. Jobs name theirs with it; event files carry it.
#pragma once

#include <string>
#include <variant>

namespace trainscope {

using HParamValue = std::variant<double, std::string, bool>;

} // namespace trainscope
