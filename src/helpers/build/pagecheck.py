"""What a page of the site must satisfy to be readable on any screen, measured in a browser (playwright's page).

:func:`measure` runs :data:`MEASURE` in the page and returns what it found: the page's width against the
screen's (sideways scrolling), every element of the article whose box leaves the article's column or that
scrolls sideways inside it, every chart wider than the screen, and the contrast of every visible text against
the background it is drawn on (WCAG 2's relative luminance: ``(L1 + 0.05) / (L2 + 0.05)``, the lighter over the
darker, each colour's channels linearised from sRGB; a text colour with alpha is blended over its background,
and a background with alpha over the one beneath it).  :func:`problems` turns that into sentences, one per
problem; ``tests/test_site_screens.py`` and ``scripts/site_shots.py`` read the same measures.

:func:`use_mode` makes the next pages open in the theme's light or dark mode (pydata-sphinx-theme reads
``localStorage.mode`` before it draws).
"""

from __future__ import annotations

#: The least contrast of any text (WCAG 2 AA, normal text).
MIN_CONTRAST = 4.5

MEASURE = r"""
() => {
  const view = document.documentElement.clientWidth;
  const out = {view, page: document.documentElement.scrollWidth, overflow: [], scrolls: [], charts: [], texts: []};
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const column = article.getBoundingClientRect();
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\s+/).slice(0, 2).join(".") : "");
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    const folded = el.closest("details:not([open])");  // a closed <details> shows its summary only
    if (folded && !el.closest("summary")) return false;
    for (let e = el; e; e = e.parentElement) {  // visually hidden (for screen readers): clipped to nothing
      const c = getComputedStyle(e);
      if (c.position === "absolute" && c.clip && c.clip.startsWith("rect(0")) return false;
    }
    return r.width > 1 && r.height > 1 && s.visibility !== "hidden" && s.display !== "none";
  };
  for (const el of article.querySelectorAll("*")) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > column.right + 1 || r.left < column.left - 1)
      out.overflow.push({element: name(el), left: Math.round(r.left), right: Math.round(r.right),
                         column: [Math.round(column.left), Math.round(column.right)]});
    const s = getComputedStyle(el);
    if (["auto", "scroll"].includes(s.overflowX) && el.scrollWidth > el.clientWidth + 1)
      out.scrolls.push({element: name(el), width: el.scrollWidth, box: el.clientWidth});
  }
  for (const img of document.querySelectorAll("figure.helpers-chart img")) {
    const r = img.getBoundingClientRect();
    out.charts.push({width: Math.round(r.width), natural: img.naturalWidth, src: (img.currentSrc || "").length});
  }
  const rgba = (text) => {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((k) => top[k] * a + under[k] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (const c of layers.reverse()) colour = over(c, colour);
    return colour;
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes]
      .filter((n) => n.nodeType === 3 && n.textContent.trim())
      .map((n) => n.textContent.trim())
      .join(" ");
    if (!own || !shown(el) || ["SCRIPT", "STYLE", "NOSCRIPT", "TITLE"].includes(el.tagName)) continue;
    const s = getComputedStyle(el);
    if (Number(s.opacity) === 0) continue;
    const back = background(el);
    const fore = over(rgba(s.color), back);
    const [hi, lo] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
    const ratio = Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100;
    out.texts.push({element: name(el), text: own.slice(0, 40), ratio});
  }
  return out;
}
"""


def use_mode(context, mode: str) -> None:
    """Open the next pages of ``context`` (a playwright browser context, or one page) in the theme's ``light`` or
    ``dark`` mode."""
    if mode not in ("light", "dark"):
        raise ValueError(f"mode {mode!r}: light or dark")
    context.add_init_script(f"try {{ localStorage.setItem('mode', '{mode}'); }} catch (e) {{}}")


#: Transitions and animations stopped, so that colours are measured as they end, not half-way (the theme fades
#: its colours in when a page opens in dark mode).
STILL = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def measure(page) -> dict:
    """:data:`MEASURE` run in ``page`` (a loaded playwright page), its transitions stopped (:data:`STILL`)."""
    page.add_style_tag(content=STILL)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.evaluate(MEASURE)


def problems(found: dict, min_contrast: float = MIN_CONTRAST) -> list[str]:
    """What :func:`measure` found that makes a page unreadable, one sentence each ([] when nothing)."""
    out = []
    if found["page"] > found["view"] + 1:
        out.append(f"the page is {found['page']} px wide on a {found['view']} px screen (it scrolls sideways)")
    out += [f"{o['element']} leaves the column {o['column']}: {o['left']}..{o['right']} px" for o in found["overflow"]]
    out += [f"{s['element']} scrolls sideways ({s['width']} px in {s['box']} px)" for s in found["scrolls"]]
    out += [
        f"a chart is {c['width']} px wide on a {found['view']} px screen"
        for c in found["charts"]
        if c["width"] > found["view"]
    ]
    out += [
        f"{t['element']} {t['text']!r}: contrast {t['ratio']}:1 (at least {min_contrast}:1)"
        for t in found["texts"]
        if t["ratio"] < min_contrast
    ]
    return out


def least_contrast(found: dict) -> float:
    """The lowest contrast of any text on the page (21 when it has no text)."""
    return min((t["ratio"] for t in found["texts"]), default=21.0)
