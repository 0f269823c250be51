// The model section of a job spec as JSON: read (each type's fields only) and written. Private to
// core: it includes nlohmann/json, which only core links.
#pragma once

#include "core/jobs/modelspec.h"
#include "core/jobs/specfields.h"

#include <nlohmann/json.hpp>

namespace trainscope {

// Reads "model" (types checked; a field the chosen type ignores is refused, naming it).
ModelSpec parseModel(const nlohmann::json &object);
// Only the fields the model's type (and each layer's type) reads.
nlohmann::json modelJson(const ModelSpec &model);
// The fields each model type and each layer type reads, "type" first.
const FieldsByType &modelFieldTable();
const FieldsByType &layerFieldTable();

} // namespace trainscope
