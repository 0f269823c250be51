#!/usr/bin/env python3
"""Optuna's TPE (and, with --random, Optuna's RandomSampler) on bench_oracles' test functions.

Each function runs for the given seeds with TPESampler(seed=seed) at its default settings
(10 random startup trials, independent sampling), and the mean over seeds of the best value
after each of the requested evaluation counts is printed on stdout as one JSON object:

  {"optuna": "3.1.0", "budget": 100, "checkpoints": [40, 100], "seeds": 10,
   "functions": {"Branin": {"tpe": {"40": 0.41, "100": 0.40}, "seconds": {"tpe": 3.2}}, ...}}

Usage: tpe_baseline.py [--seeds N] [--budget N] [--checkpoints 40,100] [--random]
                       [--functions Branin,Hartmann-6,Ackley-5,Rosenbrock-2]
Without Optuna it prints {"error": "..."} and exits with status 2.
"""
import argparse
import json
import math
import sys
import time


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
    q = x2 - b * x1 * x1 + c * x1 - 6
    return q * q + 10 * (1 - t) * math.cos(x1) + 10


_H_ALPHA = [1.0, 1.2, 3.0, 3.2]
_H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
_H_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def hartmann6(p):
    total = 0.0
    for i in range(4):
        e = sum(_H_A[i][j] * (p["x%d" % (j + 1)] - _H_P[i][j] * 1e-4) ** 2 for j in range(6))
        total += _H_ALPHA[i] * math.exp(-e)
    return -total


def ackley(p):
    xs = [p["x%d" % (j + 1)] for j in range(len(p))]
    d = len(xs)
    s1 = sum(x * x for x in xs) / d
    s2 = sum(math.cos(2 * math.pi * x) for x in xs) / d
    return -20 * math.exp(-0.2 * math.sqrt(s1)) - math.exp(s2) + 20 + math.e


def rosenbrock(p):
    xs = [p["x%d" % (j + 1)] for j in range(len(p))]
    return sum(100 * (xs[i + 1] - xs[i] ** 2) ** 2 + (1 - xs[i]) ** 2 for i in range(len(xs) - 1))


# name: (function, [(parameter, low, high)]), the same boxes as bench_oracles.cpp.
FUNCTIONS = {
    "Branin": (branin, [("x1", -5.0, 10.0), ("x2", 0.0, 15.0)]),
    "Hartmann-6": (hartmann6, [("x%d" % j, 0.0, 1.0) for j in range(1, 7)]),
    "Ackley-5": (ackley, [("x%d" % j, -32.768, 32.768) for j in range(1, 6)]),
    "Rosenbrock-2": (rosenbrock, [("x%d" % j, -5.0, 10.0) for j in range(1, 3)]),
}


def best_curve(optuna, sampler, f, box, budget):
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.optimize(lambda trial: f({n: trial.suggest_float(n, lo, hi) for n, lo, hi in box}),
                   n_trials=budget)
    curve, best = [], math.inf
    for t in study.trials:
        best = min(best, t.value)
        curve.append(best)
    return curve


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--budget", type=int, default=100)
    parser.add_argument("--checkpoints", default="40,100")
    parser.add_argument("--functions", default=",".join(FUNCTIONS))
    parser.add_argument("--random", action="store_true", help="also Optuna's RandomSampler")
    args = parser.parse_args()
    checkpoints = [int(c) for c in args.checkpoints.split(",") if c]
    names = [n for n in args.functions.split(",") if n]
    for n in names:
        if n not in FUNCTIONS:
            print(json.dumps({"error": "unknown function " + n}))
            return 2
    if any(c < 1 or c > args.budget for c in checkpoints):
        print(json.dumps({"error": "checkpoints must lie in 1..budget"}))
        return 2
    try:
        import optuna
    except Exception as e:  # not installed, or broken
        print(json.dumps({"error": "cannot import optuna (%s: %s)" % (type(e).__name__, e)}))
        return 2
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    optuna.logging.disable_default_handler()
    import warnings
    warnings.filterwarnings("ignore")

    samplers = {"tpe": lambda seed: optuna.samplers.TPESampler(seed=seed)}
    if args.random:
        samplers["random"] = lambda seed: optuna.samplers.RandomSampler(seed=seed)
    out = {"optuna": optuna.__version__, "budget": args.budget, "checkpoints": checkpoints,
           "seeds": args.seeds, "functions": {}}
    for name in names:
        f, box = FUNCTIONS[name]
        entry = {"seconds": {}}
        for kind, make in samplers.items():
            start = time.monotonic()
            sums = [0.0] * len(checkpoints)
            for seed in range(args.seeds):
                curve = best_curve(optuna, make(seed), f, box, args.budget)
                for i, c in enumerate(checkpoints):
                    sums[i] += curve[c - 1] / args.seeds
            entry[kind] = {str(c): s for c, s in zip(checkpoints, sums)}
            entry["seconds"][kind] = round(time.monotonic() - start, 2)
        out["functions"][name] = entry
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
