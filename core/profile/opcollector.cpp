#include "opcollector.h"

#include "tracer.h"

#include <ATen/record_function.h>

namespace trainscope {
namespace {

thread_local Tracer *t_tracer = nullptr;

struct OpContext : at::ObserverContext {
    int64_t startNs = 0;
};

std::unique_ptr<at::ObserverContext> onStart(const at::RecordFunction &) {
    if (!t_tracer) return nullptr;
    auto ctx = std::make_unique<OpContext>();
    ctx->startNs = t_tracer->nowNs();
    return ctx;
}

void onEnd(const at::RecordFunction &fn, at::ObserverContext *ctx) {
    if (!t_tracer || !ctx) return;
    t_tracer->record(fn.name(), "cpu_op", static_cast<OpContext *>(ctx)->startNs, t_tracer->nowNs());
}

} // namespace

void OperatorCollector::start(Tracer &tracer) {
    if (m_handle) return;
    t_tracer = &tracer;
    m_handle = at::addThreadLocalCallback(at::RecordFunctionCallback(onStart, onEnd).needsInputs(false));
}

void OperatorCollector::stop() {
    if (!m_handle) return;
    at::removeCallback(m_handle);
    m_handle = 0;
    t_tracer = nullptr;
}

} // namespace trainscope
