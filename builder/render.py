"""The child process of a build: `python -m builder.render` renders one project with Copier.

It reads one JSON job on stdin: {"template", "dst", "data", "vcs_ref"}. Copier changes
the working directory while it renders, so every render gets a process of its own.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    job = json.load(sys.stdin)
    import copier  # imported here so a broken install shows up as this job's error

    try:
        copier.run_copy(
            src_path=job["template"],
            dst_path=job["dst"],
            data=job["data"],
            vcs_ref=job.get("vcs_ref"),
            defaults=True,
            unsafe=True,
            quiet=True,
        )
    except Exception as error:  # noqa: BLE001 - reported to the parent, which answers the request
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
