"""Screenshot every notebook page of a built site at several screen widths, in light and dark mode, check each
(helpers.build.pagecheck: sideways scrolling, boxes leaving the column, charts wider than the screen, text
contrast), and put the pictures side by side in one HTML file for a person to look at.

Usage: .venv/bin/python scripts/site_shots.py SITE_DIR [-o OUT_DIR] [--widths 1280,768,390] [--modes light,dark]
       [--pages zh/03_new_vitality.html,en/03_new_vitality.html]
OUT_DIR (default: a new temporary folder) receives one PNG per page, width and mode, and index.html: a row per
page, a column per width and mode, each picture under what the checks found.  Prints every problem and the
least contrast; exits 1 when a page has a problem.  Requests that would leave the machine are blocked.
"""

from __future__ import annotations

import argparse
import functools
import html
import re
import sys
import tempfile
from pathlib import Path

from helpers.build import pagecheck

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
MAX_HEIGHT = 15_000  # px of a full-page picture (Chromium draws no taller one)


def notebook_pages(site: Path) -> list[str]:
    """Every page of both editions a notebook made (not the home, search or index pages)."""
    return [
        f"{lang}/{p.name}"
        for lang in ("zh", "en")
        for p in sorted((site / lang).glob("*.html"))
        if p.stem not in ("index", "search", "genindex")
    ]


def _refuse(remote: list[str], route) -> None:
    remote.append(route.request.url)
    route.abort()


def shoot(site: Path, out: Path, pages: list[str], widths: list[int], modes: list[str]) -> list[dict]:
    """One row per (page, width, mode): the picture's file name, the problems found, the least contrast."""
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        for mode in modes:
            for width in widths:
                context = p.chromium.launch_persistent_context(
                    f"{profile}/{mode}{width}",
                    executable_path="/usr/bin/chromium",
                    headless=True,
                    args=CHROMIUM_ARGS,
                    viewport={"width": width, "height": 900},
                    timeout=60_000,
                )
                remote: list[str] = []
                context.route(re.compile(r"^(https?|wss?|ftp)://"), functools.partial(_refuse, remote))
                pagecheck.use_mode(context, mode)
                tab = context.new_page()
                for name in pages:
                    tab.goto((site / name).resolve().as_uri(), wait_until="load", timeout=30_000)
                    found = pagecheck.measure(tab)
                    problems = pagecheck.problems(found) + [f"requested {u}" for u in remote]
                    remote.clear()
                    picture = f"{name.replace('/', '_').removesuffix('.html')}_{width}_{mode}.png"
                    height = min(tab.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                    clip = {"x": 0, "y": 0, "width": width, "height": height}
                    tab.screenshot(path=str(out / picture), full_page=True, clip=clip, timeout=60_000)
                    rows.append(
                        {
                            "page": name,
                            "width": width,
                            "mode": mode,
                            "picture": picture,
                            "problems": problems,
                            "contrast": pagecheck.least_contrast(found),
                        }
                    )
                context.close()
    return rows


def side_by_side(rows: list[dict], widths: list[int], modes: list[str]) -> str:
    """index.html: a row per page, a column per (width, mode), each picture at a third of its size."""
    columns = [(w, m) for m in modes for w in widths]
    head = "".join(f"<th>{w} px, {m}</th>" for w, m in columns)
    body = []
    for page in dict.fromkeys(r["page"] for r in rows):
        cells = []
        for w, m in columns:
            r = next((r for r in rows if r["page"] == page and r["width"] == w and r["mode"] == m), None)
            if r is None:
                cells.append("<td></td>")
                continue
            said = "<br>".join(html.escape(p) for p in r["problems"][:5]) or "ok"
            cells.append(
                f"<td><p>{said}<br>least contrast {r['contrast']}:1</p>"
                f'<a href="{r["picture"]}"><img src="{r["picture"]}" width="{w // 3}" '
                f'alt="{html.escape(page)}"></a></td>'
            )
        body.append(f"<tr><th>{html.escape(page)}</th>{''.join(cells)}</tr>")
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>site at every width</title><style>'
        "td,th{vertical-align:top;padding:4px;font:12px sans-serif;text-align:left}img{border:1px solid #999}"
        f"</style></head><body><table><tr><th>page</th>{head}</tr>{''.join(body)}</table></body></html>"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("-o", "--out", type=Path)
    parser.add_argument("--widths", default="1280,768,390")
    parser.add_argument("--modes", default="light,dark")
    parser.add_argument("--pages", help="comma-separated pages (default: every notebook page of both editions)")
    args = parser.parse_args(argv)
    widths = [int(w) for w in args.widths.split(",")]
    modes = args.modes.split(",")
    pages = args.pages.split(",") if args.pages else notebook_pages(args.site)
    missing = [p for p in pages if not (args.site / p).is_file()]
    if missing:
        print(f"{args.site / missing[0]}: no such page", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="site-shots-"))
    out.mkdir(parents=True, exist_ok=True)
    rows = shoot(args.site, out, pages, widths, modes)
    (out / "index.html").write_text(side_by_side(rows, widths, modes), encoding="utf-8")
    bad = [r for r in rows if r["problems"]]
    for r in bad:
        for problem in r["problems"]:
            print(f"{r['page']} at {r['width']} px, {r['mode']}: {problem}")
    print(f"least contrast of any text: {min(r['contrast'] for r in rows)}:1")
    print(f"{out / 'index.html'}: {len(rows)} pictures, {len(bad)} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
