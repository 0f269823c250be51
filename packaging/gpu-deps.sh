#!/usr/bin/env bash
# Unpacks the Debian packages a CUDA machine may lack (protobuf, JSON parsers, CLI11, stb,
# pkg-config) into .gpu-deps/root, so packaging/gpu-check.sh builds there without a network.
# Run it here (with Debian's archive at hand); the folder travels with the working tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/.gpu-deps
packages=(
  protobuf-compiler libprotoc32 libprotobuf32 libprotobuf-dev
  nlohmann-json3-dev libsimdjson-dev libsimdjson14 libcli11-dev libstb-dev libstb0
  zlib1g-dev pkgconf pkgconf-bin libpkgconf3 pkg-config
)
rm -rf "$out"
mkdir -p "$out/debs" "$out/root"
(cd "$out/debs" && apt-get download "${packages[@]}" >/dev/null)
for deb in "$out"/debs/*.deb; do
  dpkg-deb -x "$deb" "$out/root"
done
rm -rf "$out/debs" "$out/root/usr/share/doc" "$out/root/usr/share/man"
# pkg-config files name /usr as their prefix: point them at the unpacked tree.
find "$out/root" -name '*.pc' -exec sed -i "s|^prefix=/usr|prefix=$out/root/usr|" {} +
du -sh "$out" | cut -f1 | sed 's/^/gpu-deps: .gpu-deps is /'
