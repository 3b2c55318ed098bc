"""Screenshot one page of a built site with Debian's headless Chromium (the README's docs/site.png).

Usage: .venv/bin/python scripts/site_screenshot.py SITE_DIR [--page zh/03_new_vitality.html] [--width 1280]
       [--height 900] [--scroll-to "article img"] [--beside 390] [-o docs/site.png]
With --beside W the page is also shot W px wide, and the two pictures are put side by side (the narrow one on the
left), scaled to --scale of their size (the README's docs/site.png: --beside 390 --scale 0.5).
The README's picture: `make report`, then `.venv/bin/python scripts/site_screenshot.py build/site --scroll-to
"article img"` (the page scrolled so that its first chart shows below the table above it).
Requests that would leave the machine are blocked; a page that makes one fails the command.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def side_by_side(pictures: list[bytes], output: Path, scale: float) -> None:
    """PNG pictures in a row, 24 px apart on white, tops aligned, scaled by ``scale``."""
    import io

    from PIL import Image

    images = [Image.open(io.BytesIO(p)).convert("RGB") for p in pictures]
    gap = 24
    row = Image.new(
        "RGB", (sum(i.width for i in images) + gap * (len(images) - 1), max(i.height for i in images)), "white"
    )
    x = 0
    for image in images:
        row.paste(image, (x, 0))
        x += image.width + gap
    if scale != 1.0:
        row = row.resize((round(row.width * scale), round(row.height * scale)), Image.LANCZOS)
    row.save(output, optimize=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--page", default="zh/03_new_vitality.html")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full-page", action="store_true")
    parser.add_argument("--scroll-to", help="CSS selector of an element to bring into view (e.g. 'article img')")
    parser.add_argument("--beside", type=int, help="also shoot the page this many px wide, beside the first picture")
    parser.add_argument("--scale", type=float, default=1.0, help="scale of the saved picture (with --beside)")
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/site.png"))
    args = parser.parse_args(argv)
    import tempfile

    from playwright.sync_api import sync_playwright

    page_path = (args.site / args.page).resolve()
    if not page_path.is_file():
        print(f"{page_path}: no such page", file=sys.stderr)
        return 2
    remote = []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path="/usr/bin/chromium",
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": args.width, "height": args.height},
            timeout=60_000,
        )
        context.route(
            re.compile(r"^(https?|wss?|ftp)://"), lambda route: (remote.append(route.request.url), route.abort())
        )
        args.output.parent.mkdir(parents=True, exist_ok=True)
        shots = []
        for width in [args.width, *([args.beside] if args.beside else [])]:
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.set_viewport_size({"width": width, "height": args.height})
            page.goto(page_path.as_uri(), wait_until="load", timeout=30_000)
            if args.scroll_to:
                page.locator(args.scroll_to).first.scroll_into_view_if_needed(timeout=30_000)
                page.evaluate("() => window.scrollBy(0, -window.innerHeight / 3)")
            shots.append(page.screenshot(full_page=args.full_page, timeout=30_000))
            page.close()
        context.close()
        if len(shots) == 1:
            args.output.write_bytes(shots[0])
        else:
            side_by_side(shots[::-1], args.output, args.scale)
    if remote:
        print(f"{args.page}: requested {remote[0]} from the network", file=sys.stderr)
        return 1
    print(f"{args.output}: {args.page} at {args.width} px" + (f" beside {args.beside} px" if args.beside else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
