"""Summarise a py-spy ``--format raw`` profile (collapsed stacks): where the time goes.

    python bench/pyspy_summary.py bench/out/profile-full-c200000-csv.txt [--top 30] [--match dossiercheck]

Prints the inclusive share of the functions whose frame matches ``--match`` (default: the
project's own code) and the top self-time frames overall (pandas, numpy, re, ... included).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<fn>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _short(frame: str) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    f = m["file"]
    for cut in ("site-packages/", "/work/main/", "lib/python3."):
        if cut in f:
            f = f.split(cut, 1)[1]
    return f"{m['fn']} ({f})"


def top_frames(path: Path, match: str = "dossiercheck", top: int = 12) -> tuple[int, list[tuple[str, float]]]:
    """(samples, [(frame, inclusive share %)]) for the frames matching ``match``, excluding the
    entry points every sample passes through."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack:
            continue
        total += int(n)
        for f in {_short(f) for f in stack.split(";")}:
            if match in f and not f.startswith(("<module>", "run_audit", "measure_audit", "_measure_main", "main ")):
                inclusive[f] += int(n)
    return total, [(f, 100 * n / total) for f, n in inclusive.most_common(top)] if total else []


def summarise(path: Path, match: str = "dossiercheck", top: int = 30) -> str:
    inclusive: Counter[str] = Counter()
    self_: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack:
            continue
        n = int(n)
        total += n
        frames = [_short(f) for f in stack.split(";")]
        for f in set(frames):
            if match in f:
                inclusive[f] += n
        self_[frames[-1]] += n
    out = [f"{total} samples"]
    out.append(f"\ninclusive, frames matching {match!r}:")
    for f, n in inclusive.most_common(top):
        out.append(f"  {100 * n / total:5.1f}%  {f}")
    out.append("\nself time, all frames:")
    for f, n in self_.most_common(top):
        out.append(f"  {100 * n / total:5.1f}%  {f}")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("profile", type=Path)
    ap.add_argument("--match", default="dossiercheck")
    ap.add_argument("--top", type=int, default=30)
    a = ap.parse_args()
    print(summarise(a.profile, a.match, a.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
