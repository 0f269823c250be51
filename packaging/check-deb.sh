#!/usr/bin/env bash
# Checks the Trainscope .deb with lintian, then installs it where nothing else is: a clean
# Debian 12 root (debootstrap, from Debian's packages; kept in build/check-deb/base and copied
# for each run), with apt so its dependencies come in, and no CUDA toolkit. There it runs --help,
# --version, the headless demo, `runs` on the demo's logdir and an offscreen screenshot, reads
# the manual page, and checks that what the package names by hand (OpenBLAS, Fashion-MNIST) is
# what those commands load and read.
# Usage: packaging/check-deb.sh [PACKAGE.deb]   (root; the network to deb.debian.org)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls -t "$root"/build/release/trainscope_*_amd64.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "check-deb: no package (make package first, or name one)" >&2; exit 1; }
work=${CHECK_DEB_DIR:-$root/build/check-deb}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
base=$work/base
target=$work/root
mkdir -p "$work"

# Debian's own checks of a package first: an error or a warning fails, the notes are printed.
command -v lintian >/dev/null || apt-get install -y -qq lintian >&2
lintian --tag-display-limit 0 -I "$deb" 2>/dev/null | tee "$work/lintian.txt"
! grep -q '^[EW]:' "$work/lintian.txt" || { echo "check-deb: lintian: errors or warnings" >&2; exit 2; }

command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >&2
if [ ! -f "$base/.complete" ]; then
  rm -rf "$base"
  debootstrap --variant=minbase bookworm "$base" "$mirror" >"$work.debootstrap.log" 2>&1 ||
    { tail "$work.debootstrap.log" >&2; exit 2; }
  touch "$base/.complete"
fi
# CHECK_DEB_REUSE=1: the root of the last run, with only the package reinstalled (quicker, for
# changes to the checks; a packaging change needs the clean root).
reuse=${CHECK_DEB_REUSE:-0}
[ -f "$target/usr/bin/trainscope" ] || reuse=0
if [ "$reuse" != 1 ]; then
  rm -rf "$target"
  cp -a "$base" "$target"
fi
cp /etc/resolv.conf "$target/etc/resolv.conf"
cp "$deb" "$target/tmp/trainscope.deb"
rm -rf "$target/tmp/check" "$target/tmp/ld"
mount --bind /proc "$target/proc"
mount --bind /dev "$target/dev"
trap 'umount "$target/dev" "$target/proc"' EXIT
in_root() { chroot "$target" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

echo "check-deb: installing $(basename "$deb") on a clean Debian 12 root"
start=$(date +%s)
[ "$reuse" = 1 ] || in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall /tmp/trainscope.deb >"$work/apt.log" 2>&1 ||
  { tail -20 "$work/apt.log" >&2; exit 2; }
echo "check-deb: installed with its dependencies in $(($(date +%s) - start)) s," \
  "$(in_root dpkg-query -W -f='${Package}\n' | wc -l) packages in the root"
[ ! -e "$target/usr/local/cuda" ] || { echo "check-deb: the root has a CUDA toolkit" >&2; exit 2; }

# Every command under LD_DEBUG=files, so the libraries it loads (linked or dlopened) are known.
ld=/tmp/ld
in_root mkdir -p $ld /tmp/check
run() { in_root env LD_DEBUG=files LD_DEBUG_OUTPUT=$ld/trace "$@"; }
run trainscope --help >"$work/help.txt" # whole: head would close the pipe early
head -3 "$work/help.txt"
run trainscope --version | tee "$work/version.txt"
grep -q "libcupti.so.13 not found" "$work/version.txt" ||
  { echo "check-deb: --version should say libcupti is not there" >&2; exit 2; }
# The manual page, made from the help at build time: a light command and one handed over.
in_root zcat /usr/share/man/man1/trainscope.1.gz >"$work/trainscope.1"
for command in runs train; do
  grep -q "^Usage: trainscope $command " "$work/trainscope.1" ||
    { echo "check-deb: trainscope(1) lacks the $command command" >&2; exit 2; }
done
echo "check-deb: trainscope(1), $(grep -c '^Usage: ' "$work/trainscope.1") commands"
# No DISPLAY and no QT_QPA_PLATFORM: the headless demo (two jobs, their profiles compared).
run sh -c 'cd /tmp/check && trainscope /tmp/check/demo --demo' | grep -E "mean step|faster"
run trainscope runs /tmp/check/demo | tee "$work/runs.txt"
grep -q "demo-fixed-input" "$work/runs.txt" || { echo "check-deb: runs lists no demo run" >&2; exit 2; }
run env QT_QPA_PLATFORM=offscreen trainscope /tmp/check/demo --screenshot /tmp/check/scalars.png --tab Scalars
cp "$target/tmp/check/scalars.png" "$work/scalars.png"
echo "check-deb: screenshot in $work/scalars.png ($(stat -c %s "$work/scalars.png") bytes)"

# What was loaded, by package; the hand-named dependencies must be among it.
cat "$target"$ld/trace.* | sed -n 's/.*calling init: //p' | sort -u >"$work/loaded.txt"
cp "$work/loaded.txt" "$target/tmp/loaded.txt"
in_root sh -c 'xargs -a /tmp/loaded.txt realpath | sed "p; s|^/usr/||" | xargs dpkg -S 2>/dev/null || true' |
  cut -d: -f1 | sort -u >"$work/packages.txt"
echo "check-deb: $(wc -l <"$work/loaded.txt") libraries loaded, from $(wc -l <"$work/packages.txt") packages"
grep -qx 'libopenblas0-openmp\|libopenblas0-pthread' "$work/packages.txt" ||
  { echo "check-deb: LibTorch did not load OpenBLAS" >&2; exit 2; }
echo "check-deb: LibTorch's BLAS is $(grep -x 'libopenblas0-openmp\|libopenblas0-pthread' "$work/packages.txt")"
echo "check-deb: ok"
