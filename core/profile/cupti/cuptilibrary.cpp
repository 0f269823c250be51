#include "core/profile/cupti/cuptilibrary.h"

#include <dlfcn.h>
#include <glob.h>
#include <link.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace trainscope {

namespace {

constexpr int kCudaMajor = CUDA_VERSION / 1000;

#if defined(__aarch64__)
constexpr const char *kTargetLib = "targets/sbsa-linux/lib";
#else
constexpr const char *kTargetLib = "targets/x86_64-linux/lib";
#endif

bool isFile(const std::string &path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// A toolkit keeps libcupti in one of these, depending on its version and how it was installed.
void addToolkit(std::vector<std::string> &out, const std::string &root) {
    if (root.empty()) return;
    for (const char *dir : {"extras/CUPTI/lib64", "lib64", "lib", kTargetLib}) {
        const std::string path = root + "/" + dir + "/" + cuptiSoname();
        if (isFile(path) && std::find(out.begin(), out.end(), path) == out.end())
            out.push_back(path);
    }
}

// /usr/local/cuda-13.2, /usr/local/cuda-13.0: the newest first.
std::vector<std::string> versionedToolkits() {
    std::vector<std::string> roots;
    glob_t found{};
    const std::string pattern = "/usr/local/cuda-" + std::to_string(kCudaMajor) + ".*";
    if (::glob(pattern.c_str(), GLOB_ONLYDIR, nullptr, &found) == 0)
        roots.assign(found.gl_pathv, found.gl_pathv + found.gl_pathc);
    ::globfree(&found);
    std::sort(roots.rbegin(), roots.rend());
    return roots;
}

std::string loadedPath(void *handle) {
    link_map *map = nullptr;
    if (::dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map && map->l_name) return map->l_name;
    return {};
}

std::string dlopenError() {
    const char *text = ::dlerror();
    return text ? text : "dlopen failed";
}

// Fills `lib` from an open handle; "" on success, else what is wrong with it.
std::string bind(void *handle, CuptiLibrary &lib) {
#define TRAINSCOPE_CUPTI_BIND(name)                                                                \
    lib.name = reinterpret_cast<decltype(lib.name)>(::dlsym(handle, #name));                       \
    if (!lib.name) return lib.path + " has no " #name;
    TRAINSCOPE_CUPTI_FUNCTIONS(TRAINSCOPE_CUPTI_BIND)
#undef TRAINSCOPE_CUPTI_BIND
    if (lib.cuptiGetVersion(&lib.version) != CUPTI_SUCCESS)
        return lib.path + ": cuptiGetVersion failed";
    // From CUDA 13 the API version carries the toolkit's major version (xxyyzz).
    if (CUPTI_API_VERSION >= 130000 && lib.version / 10000 != CUPTI_API_VERSION / 10000)
        return lib.path + " is CUPTI API " + std::to_string(lib.version) + ", not CUDA " +
               std::to_string(kCudaMajor) + "'s that this build reads";
    return {};
}

CuptiLoad bound(void *handle, std::string path, std::string &failure) {
    auto lib = std::make_unique<CuptiLibrary>();
    lib->path = std::move(path);
    if (std::string wrong = bind(handle, *lib); !wrong.empty()) {
        if (failure.empty()) failure = std::move(wrong);
        return {};
    }
    return {lib.release(), {}}; // like the library itself, never unloaded
}

} // namespace

std::string cuptiSoname() {
    if (kCudaMajor >= 12) return "libcupti.so." + std::to_string(kCudaMajor);
    return "libcupti.so." + std::to_string(kCudaMajor) + "." +
           std::to_string(CUDA_VERSION % 1000 / 10);
}

std::vector<std::string> cuptiCandidates(const char *cudaHome) {
    std::vector<std::string> out;
    addToolkit(out, cudaHome ? cudaHome : "");
    addToolkit(out, "/usr/local/cuda");
    for (const std::string &root : versionedToolkits())
        addToolkit(out, root);
    out.push_back(cuptiSoname()); // the dynamic linker's search
    return out;
}

CuptiLoad loadCupti(const std::vector<std::string> &candidates) {
    std::string failure;
    for (const std::string &candidate : candidates) {
        void *handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            // A bare soname the linker does not know is "not found", said once below.
            if (candidate.find('/') != std::string::npos && failure.empty())
                failure = dlopenError();
            continue;
        }
        CuptiLoad load = bound(handle, loadedPath(handle), failure);
        if (load.library) return load;
    }
    CuptiLoad none;
    none.reason = !failure.empty()
                      ? failure
                      : cuptiSoname() +
                            " not found (looked in $CUDA_HOME, /usr/local/cuda and "
                            "the dynamic linker's path; install the CUDA " +
                            std::to_string(kCudaMajor) + " toolkit or set CUDA_HOME to it)";
    return none;
}

const CuptiLoad &cupti() {
    static const CuptiLoad load = [] {
        // A CUDA LibTorch brings its own CUPTI: two copies in one process would fight.
        if (void *handle = ::dlopen(cuptiSoname().c_str(), RTLD_NOW | RTLD_NOLOAD)) {
            std::string failure;
            CuptiLoad loaded = bound(handle, loadedPath(handle), failure);
            if (loaded.library) return loaded;
            return CuptiLoad{nullptr, failure};
        }
        return loadCupti(cuptiCandidates(std::getenv("CUDA_HOME")));
    }();
    return load;
}

std::string cuptiDescription(const CuptiLoad &load) {
    if (!load.library) return load.reason;
    const uint32_t v = load.library->version;
    const std::string version = v >= 130000 ? std::to_string(v / 10000) + "." +
                                                  std::to_string(v / 100 % 100) + " (API " +
                                                  std::to_string(v) + ")"
                                            : "API " + std::to_string(v);
    return "CUPTI " + version + " from " + load.library->path;
}

} // namespace trainscope
