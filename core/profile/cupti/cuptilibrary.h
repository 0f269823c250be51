// CUPTI found at run time: libcupti is opened with dlopen, never linked, so a build (or a
// package) with the CUPTI collector starts on a machine without the CUDA toolkit.
#pragma once

#include <cupti.h>

#include <cstdint>
#include <string>
#include <vector>

namespace trainscope {

// Every CUPTI function the collector calls, as CuptiLibrary members of the same name.
#define TRAINSCOPE_CUPTI_FUNCTIONS(X)                                                              \
    X(cuptiGetVersion)                                                                             \
    X(cuptiGetResultString)                                                                        \
    X(cuptiGetCallbackName)                                                                        \
    X(cuptiGetTimestamp)                                                                           \
    X(cuptiSetThreadIdType)                                                                        \
    X(cuptiActivityRegisterCallbacks)                                                              \
    X(cuptiActivityEnable)                                                                         \
    X(cuptiActivityDisable)                                                                        \
    X(cuptiActivityFlushAll)                                                                       \
    X(cuptiActivityGetNextRecord)                                                                  \
    X(cuptiActivityGetNumDroppedRecords)                                                           \
    X(cuptiActivityPushExternalCorrelationId)                                                      \
    X(cuptiActivityPopExternalCorrelationId)                                                       \
    X(cuptiFinalize)

struct CuptiLibrary {
    std::string path;     // the file it came from ("" when found already loaded by its soname)
    uint32_t version = 0; // cuptiGetVersion(): 130001 is CUDA 13.0 update 1
#define TRAINSCOPE_CUPTI_MEMBER(name) decltype(&::name) name = nullptr;
    TRAINSCOPE_CUPTI_FUNCTIONS(TRAINSCOPE_CUPTI_MEMBER)
#undef TRAINSCOPE_CUPTI_MEMBER
};

struct CuptiLoad {
    const CuptiLibrary *library = nullptr; // null: not found, and `reason` says why
    std::string reason;
};

// The soname this build's headers belong to: "libcupti.so.13" (CUDA 12 and later), or
// "libcupti.so.11.8" before. Another major version lays its activity records out differently.
std::string cuptiSoname();

// Where to look, in order: the copy already in this process (a CUDA LibTorch loads one), then
// $CUDA_HOME's, /usr/local/cuda's and /usr/local/cuda-<major>.*'s library folders, then the
// dynamic linker's own search (LD_LIBRARY_PATH, a distribution's package).
std::vector<std::string> cuptiCandidates(const char *cudaHome);

// Opens the first candidate that loads and has every function; a bare soname is searched by
// the dynamic linker. Each loaded library stays loaded: CUPTI cannot be unloaded safely.
CuptiLoad loadCupti(const std::vector<std::string> &candidates);

// loadCupti(cuptiCandidates(getenv("CUDA_HOME"))), once per process.
const CuptiLoad &cupti();

// "CUPTI 13.0 (API 130001) from /usr/local/cuda-13.0/lib/libcupti.so.13", or why not.
std::string cuptiDescription(const CuptiLoad &load);

} // namespace trainscope
