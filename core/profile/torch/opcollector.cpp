#include "core/profile/torch/opcollector.h"

#include "core/profile/tracer.h"

#include <ATen/record_function.h>
#include <string>
#include <vector>

namespace trainscope {
namespace {

struct OpRecord {
    std::string name; // copied: the RecordFunction's name does not outlive the call
    int64_t startNs, endNs;
};

// The observed thread's state: RecordFunction calls nest, so a stack of start times pairs
// each end with its start without a per-call context object.
thread_local Tracer *t_tracer = nullptr;
thread_local std::vector<int64_t> t_starts;
thread_local std::vector<OpRecord> t_records;

std::unique_ptr<at::ObserverContext> onStart(const at::RecordFunction &) {
    if (t_tracer) t_starts.push_back(t_tracer->nowNs());
    return nullptr;
}

void onEnd(const at::RecordFunction &fn, at::ObserverContext *) {
    if (!t_tracer || t_starts.empty()) return;
    t_records.push_back({fn.name(), t_starts.back(), t_tracer->nowNs()});
    t_starts.pop_back();
}

} // namespace

void OperatorCollector::start(Tracer &tracer) {
    if (m_handle) return;
    t_tracer = &tracer;
    t_starts.clear();
    t_records.reserve(1 << 14);
    m_handle =
        at::addThreadLocalCallback(at::RecordFunctionCallback(onStart, onEnd).needsInputs(false));
}

void OperatorCollector::flush() {
    if (!t_tracer) return;
    for (const OpRecord &r : t_records)
        t_tracer->record(r.name.c_str(), "cpu_op", r.startNs, r.endNs);
    t_records.clear();
}

void OperatorCollector::stop() {
    if (!m_handle) return;
    flush();
    at::removeCallback(m_handle);
    m_handle = 0;
    t_tracer = nullptr;
    t_starts.clear();
}

} // namespace trainscope
