#include "core/events/hparamsessions.h"

#include <algorithm>
#include <set>

namespace trainscope {
namespace {

// The value at the largest step (the last written among equal steps).
bool lastValue(const ScalarSeries &s, double &value) {
    if (s.size() == 0) return false;
    size_t best = 0;
    for (size_t i = 1; i < s.size(); ++i)
        if (s.step(i) >= s.step(best)) best = i;
    value = s.value(best);
    return true;
}

} // namespace

const char *sessionStatusName(int status) {
    switch (status) {
    case 1:
        return "SUCCESS";
    case 2:
        return "FAILURE";
    case 3:
        return "RUNNING";
    default:
        return "";
    }
}

HParamSessions hparamSessions(const std::map<std::string, RunData> &runs,
                              const std::function<bool(const std::string &)> &include) {
    HParamSessions out;
    std::set<std::string> declaredMetrics, hparamNames, metricNames;
    for (const auto &[name, run] : runs)
        if (run.hparams) {
            for (const std::string &tag : run.hparams->metricTags)
                declaredMetrics.insert(tag);
            for (const auto &[param, domain] : run.hparams->domains)
                out.domains.emplace(param, domain);
        }
    for (auto it = runs.begin(); it != runs.end(); ++it) {
        const RunData &run = it->second;
        if (!run.hparams || run.hparams->values.empty()) continue;
        if (include && !include(it->first)) continue;
        HParamSession s;
        s.run = it->first;
        s.group = run.hparams->groupName;
        s.status = run.hparams->status;
        s.hparams = run.hparams->values;
        for (const auto &[param, value] : s.hparams)
            hparamNames.insert(param);
        auto collect = [&](const std::string &prefix, const RunData &from) {
            for (const auto &[tag, data] : from.tags) {
                if (data.kind != TagKind::Scalar || tag.rfind("_hparams_", 0) == 0) continue;
                if (!declaredMetrics.empty() && !declaredMetrics.count(tag) &&
                    !declaredMetrics.count(prefix + tag))
                    continue;
                double value = 0;
                if (lastValue(data.scalars, value)) s.metrics[prefix + tag] = value;
            }
        };
        // The session's own run, then the runs below it that are not sessions themselves.
        collect("", run);
        const std::string base = it->first == "." ? "" : it->first + "/";
        for (auto sub = runs.lower_bound(base);
             sub != runs.end() && sub->first.compare(0, base.size(), base) == 0; ++sub)
            if (sub != it && !(sub->second.hparams && !sub->second.hparams->values.empty()))
                collect(sub->first.substr(base.size()) + "/", sub->second);
        for (const auto &[metric, value] : s.metrics)
            metricNames.insert(metric);
        out.sessions.push_back(std::move(s));
    }
    out.hparams.assign(hparamNames.begin(), hparamNames.end());
    out.metrics.assign(metricNames.begin(), metricNames.end());
    return out;
}

} // namespace trainscope
