#!/usr/bin/env bash
# trainscope(1), from the program's own help by help2man: the synopsis and options of
# `trainscope --help`, then each command's `trainscope help COMMAND`, so the page cannot drift
# from the program; the description is the package's (a file). Usage:
#   packaging/manpage.sh TRAINSCOPE VERSION DESCRIPTION_FILE OUT.1.gz
set -euo pipefail
exe=$1 version=$2 description=$3 out=$4
include=$(mktemp)
trap 'rm -f "$include"' EXIT

help=$("$exe" --help)
commands=$(awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}' <<<"$help")
[ -n "$commands" ] || { echo "manpage.sh: no subcommands in '$exe --help'" >&2; exit 1; }
# Roff: a backslash is \e, and a line may not start with a control character.
roff() { sed 's/\\/\\e/g; s/^[.'\'']/\\\&&/'; }
{
  echo '[=DESCRIPTION]'
  roff <"$description"
  echo '[COMMANDS]'
  for command in $commands; do
    echo ".SS $command"
    echo '.nf'
    "$exe" help "$command" | roff
    echo '.fi'
  done
  cat <<'ROFF'
[ENVIRONMENT]
.TP
.B CUDA_HOME
The CUDA toolkit whose CUPTI traces GPU kernels, searched before /usr/local/cuda and
/usr/local/cuda-*; \fBtrainscope \-\-version\fR says which library was found.
.TP
.BR DISPLAY ", " WAYLAND_DISPLAY
With neither set, the window gives way to a headless summary (and a screenshot with
\fB\-\-screenshot\fR).
[EXAMPLES]
.TP
.B trainscope \-\-demo
Trains two small models on Fashion-MNIST, one of them input-bound, and shows why.
.TP
.B trainscope runs/
Opens a TensorBoard logdir (or a PyTorch profiler trace) in the window.
.TP
.B trainscope profile runs/NAME
Prints where a run's step time goes, its verdict and the recommended fix.
ROFF
} >"$include"

name=$(head -1 <<<"$help" | sed 's/^[^:]*: *//')
help2man --no-info --no-discard-stderr --version-string="$version" --name="$name" \
  --include="$include" "$exe" | gzip -9n >"$out"
