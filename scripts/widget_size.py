"""Print the gzipped size of the built widget: ``python -m scripts.widget_size``.

Counts every .js and .css file in widget/dist (build it with ``make widget``),
compressed with gzip at level 9, as a web server would send them. Exits with
status 1 when the total is over the budget (60 KB).
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "widget" / "dist"
BUDGET_BYTES = 60 * 1024


def gzipped_sizes(dist: Path = DIST) -> dict[str, tuple[int, int]]:
    """``{file name: (raw bytes, gzipped bytes)}`` for the built JS and CSS."""
    files = sorted(p for p in dist.iterdir() if p.suffix in {".js", ".css"}) if dist.is_dir() else []
    return {p.name: (len(data := p.read_bytes()), len(gzip.compress(data, compresslevel=9, mtime=0))) for p in files}


def main(argv: list[str] | None = None) -> int:
    """Print one line per file and the total; non-zero exit when over budget or not built."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=DIST)
    parser.add_argument("--budget", type=int, default=BUDGET_BYTES, help="bytes, gzipped (default 61440)")
    args = parser.parse_args(argv)
    sizes = gzipped_sizes(args.dist)
    if not sizes:
        print(f"No .js or .css in {args.dist}: run `make widget` first.", file=sys.stderr)
        return 1
    for name, (raw, gzipped) in sizes.items():
        print(f"{name}: {raw / 1024:.1f} KB, {gzipped / 1024:.1f} KB gzipped")
    total = sum(gzipped for _, gzipped in sizes.values())
    print(f"Total: {total / 1024:.1f} KB gzipped ({total} bytes); budget {args.budget / 1024:.0f} KB")
    return 0 if total <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
