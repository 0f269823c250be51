#!/usr/bin/env python3
"""Makes a real PyTorch profiler trace, and the figures PyTorch itself computes from it.

Usage: torch_trace.py OUTDIR

The hand-written traces in tests/data only show what we believe the format is. This trains a tiny
model (Linear/ReLU/Linear, batch 32, SGD, fixed seed) under torch.profiler.profile with a
wait/warmup/active schedule and tensorboard_trace_handler, exactly as users do, and writes into
OUTDIR:
  <host>_<pid>.<time_ms>.pt.trace.json   the trace, named and written by PyTorch;
  expected.json   {"trace": file name,
                   "steps": [{"name": "ProfilerStep#N", "duration_us": ...}, ...],
                   "ops": [{"name", "self_cpu_us", "count"}, ...]}  from prof.key_averages(),
                  every operator but the ProfilerStep#N ranges, by self time, largest first.
Without Kineto (Debian's torch 1.13) torch.profiler falls back to the legacy profiler: the trace
is a bare JSON array of "X" events with integer microseconds, pid "CPU functions" and tid 1.
Exits 77 (a skipped test) where torch cannot be imported.
"""
import json
import pathlib
import sys

try:
    import torch
except ImportError:
    print("torch_trace.py: no torch in this Python", file=sys.stderr)
    sys.exit(77)


def main():
    outdir = pathlib.Path(sys.argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(32, 64), torch.randint(0, 10, (32,))

    write_trace = torch.profiler.tensorboard_trace_handler(str(outdir))
    expected = {}

    def on_trace_ready(prof):
        before = set(outdir.iterdir())
        write_trace(prof)
        (trace,) = set(outdir.iterdir()) - before
        expected["trace"] = trace.name
        # Events and averages name the steps "ProfilerStep*"; trace_name keeps the number.
        steps = [e for e in prof.events() if e.name.startswith("ProfilerStep")]
        ops = [a for a in prof.key_averages() if not a.key.startswith("ProfilerStep")]
        ops.sort(key=lambda a: (-a.self_cpu_time_total, a.key))
        expected["steps"] = [{"name": e.trace_name, "duration_us": e.cpu_time_total} for e in steps]
        expected["ops"] = [{"name": a.key, "self_cpu_us": a.self_cpu_time_total, "count": a.count}
                           for a in ops]

    schedule = torch.profiler.schedule(wait=1, warmup=1, active=3)
    with torch.profiler.profile(schedule=schedule, on_trace_ready=on_trace_ready) as prof:
        for _ in range(6):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            prof.step()
    (outdir / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
