"""Weight of the reader's site; prints a Markdown section ``## Site weight`` to stdout.

Usage: .venv/bin/python bench/weights.py [--site build/site] [--jobs 2]

Without ``--site`` it builds the site the main job builds (``python -m helpers run`` on ``data/``, both languages,
into a temporary folder) and measures that.  Reports the bytes of the whole site (every file: pages, static files,
downloads) and of each page as a browser loads it: the page and every file of the site it names (stylesheets and
what they name, scripts, fonts, images), each once, not the downloads it links to
(:func:`helpers.build.lighten.weights`), against the targets: the heaviest page (zh/03 is the heaviest of this
collection) at most 1.5 MB, the site at most 12 MB (1 MB = 10^6 bytes).  It measures and reports; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from helpers.build.lighten import weights

ROOT = Path(__file__).resolve().parents[1]
PAGE_TARGET, SITE_TARGET = 1.5e6, 12e6
WATCHED = "zh/03_new_vitality.html"


def build(out: Path, jobs: int) -> Path:
    command = [sys.executable, "-m", "helpers", "run", "--jobs", str(jobs), "--out", str(out)]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return out / "site"


def report(found: dict[str, int]) -> str:
    pages = {k: v for k, v in found.items() if k != "site" and not k.endswith(("/search.html", "/genindex.html"))}
    heaviest = max(pages, key=pages.__getitem__)
    mb = lambda n: f"{n / 1e6:.2f} MB"  # noqa: E731
    ok = lambda n, target: "yes" if n <= target else "NO"  # noqa: E731
    rows = [
        "## Site weight",
        "",
        "Bytes as `helpers.build.lighten.weights` counts them (a page: the page and every file of the site it names, "
        "each once; not the downloads it links to).",
        "",
        "| what | weight | target | within |",
        "|---|---|---|---|",
        f"| the whole site (both editions, static files, downloads) | {mb(found['site'])} | ≤ 12 MB | "
        f"{ok(found['site'], SITE_TARGET)} |",
    ]
    if WATCHED in found:
        rows.append(f"| {WATCHED} | {mb(found[WATCHED])} | ≤ 1.5 MB | {ok(found[WATCHED], PAGE_TARGET)} |")
    weight = pages[heaviest]
    rows.append(f"| heaviest page ({heaviest}) | {mb(weight)} | ≤ 1.5 MB | {ok(weight, PAGE_TARGET)} |")
    return "\n".join(rows) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one in a temporary folder)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.site:
        print(report(weights(args.site)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-weights-") as tmp:
        print(report(weights(build(Path(tmp) / "out", args.jobs))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
