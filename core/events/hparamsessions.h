// The HParams dashboard's rows, as TensorBoard's HParams backend lists sessions: every run
// that logged a session start (TensorBoard's hp API, Keras' callback, PyTorch's add_hparams
// in its timestamped subfolder, tensorboardX, Trainscope) is a session; its metrics are the
// last values of scalar tags in its run and the runs below it (Keras logs them in train/ and
// validation/), restricted to the experiment's metric tags when one declares them.
#pragma once

#include "core/events/rundata.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace trainscope {

struct HParamSession {
    std::string run; // the run holding the session start
    std::string group;
    int status = 0; // 0 unknown, 1 success, 2 failure, 3 running
    std::map<std::string, HParamValue> hparams;
    std::map<std::string, double> metrics; // by column name ("validation/epoch_loss")
};

struct HParamSessions {
    std::vector<std::string> hparams;            // every hparam any session has, sorted
    std::vector<std::string> metrics;            // every metric column, sorted
    std::map<std::string, HParamDomain> domains; // declared by an experiment
    std::vector<HParamSession> sessions;         // by run name
};

// The sessions among `runs` (the index's, sorted by name) that `include` accepts (all when
// empty).
HParamSessions hparamSessions(const std::map<std::string, RunData> &runs,
                              const std::function<bool(const std::string &)> &include = {});

// "SUCCESS", "FAILURE", "RUNNING" or "" (unknown), as TensorBoard shows a session's status.
const char *sessionStatusName(int status);

} // namespace trainscope
