#!/usr/bin/env bash
# Installs Trainscope's build and test dependencies from Debian's packages, skipping those
# already present, so `make run` and `make test` work on a fresh Debian 12 machine.
set -euo pipefail
# libopenblas0-openmp: LibTorch's CPU kernels call BLAS; Debian's reference BLAS is ~12x slower.
# clang-14 and libclang-rt-14-dev: libFuzzer and the sanitizers (make sanitize).
# help2man: trainscope(1) from the program's help (packaging/manpage.sh).
# python3-optuna: bench_oracles runs Optuna's TPE beside the Bayesian oracle.

packages=(
  build-essential cmake ninja-build ccache pkg-config help2man
  qt6-base-dev qt6-svg-dev libqcustomplot-dev libqcustomplot2.1-qt6
  libtorch-dev libopenblas0-openmp protobuf-compiler libprotobuf-dev zlib1g-dev
  nlohmann-json3-dev libsimdjson-dev libsqlite3-dev libpq-dev postgresql libeigen3-dev libcli11-dev libstb-dev
  libnlopt-cxx-dev liblbfgspp-dev
  dataset-fashion-mnist python3-torch python3-optuna
  xvfb xauth
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
