#!/usr/bin/env bash
# GPU check: builds core and the CLI without Qt against the LibTorch of this machine's Python
# torch package and its CUPTI, runs a short CNN job on the GPU with profiling on, and prints
# kernels seen, dropped CUPTI records, the clock skew bound and the profiling overhead.
# Libraries the machine lacks come from .gpu-deps/root (packaging/gpu-deps.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build/gpu}
out=${OUT_DIR:-$(mktemp -d)}
python=${PYTHON:-python3}
seconds=${PROFILED_SECONDS:-120}

prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
deps=$root/.gpu-deps/root
if [ -d "$deps" ]; then
  prefix="$prefix;$deps/usr"
  export PATH="$deps/usr/bin:$PATH"
  export PKG_CONFIG_PATH="$deps/usr/lib/x86_64-linux-gnu/pkgconfig:$deps/usr/share/pkgconfig"
  export LD_LIBRARY_PATH="$deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}"
fi
cuda=${CUDA_HOME:-/usr/local/cuda}
echo "gpu-check: $("$python" -c 'import torch; print("torch", torch.__version__, "CUDA", torch.version.cuda, torch.cuda.get_device_name(0))')"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRAINSCOPE_WITH_GUI=OFF \
  -DTRAINSCOPE_WITH_CUPTI=ON -DCUDAToolkit_ROOT="$cuda" -DCMAKE_PREFIX_PATH="$prefix" >"$out/cmake.log"
cmake --build "$build" --target trainscope >"$out/build.log"
trainscope=$build/app/trainscope

spec=$root/resources/jobs/gpu-check.json
run() { # run NAME [--set k=v]... : prints the run directory; the summary stays in NAME.out
  local name=$1
  shift
  "$trainscope" train "$spec" --logdir "$out/$name" "$@" >"$out/$name.out" 2>"$out/$name.err"
  sed -n 's/^run: //p' "$out/$name.out"
}

# Unprofiled first: its epoch time sizes the profiled job to about $seconds.
start=$(date +%s.%N)
plain=$(run plain --set profile.enabled=false --set training.epochs=3)
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
epochs=$(echo "e = $seconds * 3 / $elapsed; if (e < 3) 3 else e / 1" | bc)
profiled=$(run profiled --set training.epochs="$epochs")

"$trainscope" profile "$profiled" --json >"$out/profile.json"
"$python" - "$out" <<'PY'
import json, re, sys
out = sys.argv[1]
p = json.load(open(f"{out}/profile.json"))
d = p["device_trace"]
def mean_step(name):
    text = open(f"{out}/{name}.out").read()
    return float(re.findall(r"mean step ([0-9.]+) ms", text)[-1])
base, prof = mean_step("plain"), mean_step("profiled")
print(f"gpu-check: device note: {d['note'] or 'GPU lanes recorded'}")
print(f"gpu-check: kernels seen {d['kernels']}, CUPTI records {d['records']}, dropped {d['dropped_records']}")
print(f"gpu-check: clock skew bound {d['clock_skew_ns'] / 1000:.2f} us (worst residual of the GPU-to-host fit)")
print(f"gpu-check: GPU busy {100 * d['utilization']:.1f}% of the step, {d['kernels_per_step']:.0f} kernels a step, mean {d['mean_kernel_us']:.1f} us")
print(f"gpu-check: mean step {base:.3f} ms unprofiled, {prof:.3f} ms profiled: overhead {100 * (prof / base - 1):+.2f}% (target <= 3%)")
PY
echo "gpu-check: runs and logs in $out"
