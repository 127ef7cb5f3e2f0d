"""Summarise py-spy folded stacks (`py-spy record -f raw`): where the samples go.

    python3 bench/folded_top.py /tmp/bench-prof/generated-detail.folded [--top 25] [--match TEXT]

Prints, per function (file:function), its inclusive share (samples whose stack contains it)
and its self share (samples where it is the innermost frame), the biggest first; --match
keeps only frames whose text contains TEXT (e.g. a project directory).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>.*?)(?::\d+)?\)$")


def frame_key(frame: str) -> str:
    m = FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m["file"]
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{m['func']}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folded")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="")
    args = parser.parse_args()
    inclusive: Counter[str] = Counter()
    self_: Counter[str] = Counter()
    total = 0
    for line in open(args.folded):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(count)
        frames = [frame_key(f) for f in stack.split(";")]
        if frames and frames[0].startswith("process "):
            frames = frames[1:]
        total += n
        for key in set(frames):
            inclusive[key] += n
        if frames:
            self_[frames[-1]] += n
    print(f"{total} samples")
    print(f"{'incl %':>7} {'self %':>7}  function")
    for key, n in inclusive.most_common():
        if args.match and args.match not in key:
            continue
        print(f"{100 * n / total:7.1f} {100 * self_[key] / total:7.1f}  {key}")
        args.top -= 1
        if args.top <= 0:
            break


if __name__ == "__main__":
    main()
