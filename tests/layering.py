#!/usr/bin/env python3
"""The layering rules of DESIGN.md, checked on the tree: every quoted include names its layer
from the source root ("core/tune/trial.h"), and core's folders depend only on the folders
below them, in the order LAYERS gives (so there is no include cycle)."""
import pathlib
import re
import sys

# Bottom first. A folder may include only itself and the folders before it.
LAYERS = ["io", "jobs", "events", "profile", "profile/cupti", "data", "tune", "profile/torch", "train",
          "run"]
GENERATED = re.compile(r"(\.moc|\.pb\.h|^config\.h)$")  # made by moc, protoc, configure_file

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
include = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
problems = []


def folder(path):
    parts = path.split("/")
    if len(parts) >= 4 and parts[1] == "profile" and parts[2] in ("cupti", "torch"):
        return "profile/" + parts[2]
    return parts[1]


for top in ("core", "widgets", "app", "tests"):
    for f in sorted((root / top).rglob("*")):
        if f.suffix not in (".h", ".cpp"):
            continue
        rel = f.relative_to(root).as_posix()
        for name in include.findall(f.read_text(errors="replace")):
            if GENERATED.search(name):
                continue
            if not (root / name).is_file() or name.split("/")[0] not in ("core", "widgets", "app",
                                                                         "tests"):
                problems.append(f"{rel}: #include \"{name}\" does not name its layer")
                continue
            if top == "core":
                if not name.startswith("core/"):
                    problems.append(f"{rel}: core includes {name}")
                    continue
                a, b = folder(rel), folder(name)
                if a not in LAYERS or b not in LAYERS:
                    problems.append(f"{rel}: folder {a if a not in LAYERS else b} is in no layer")
                elif LAYERS.index(b) > LAYERS.index(a):
                    problems.append(f"{rel}: {a}/ includes {name}, a layer above it")

for p in problems:
    print(p)
print(f"layering: {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
