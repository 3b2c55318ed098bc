"""Reference images for tests/test_plots.py: one small, fixed chart per chart kind, drawn by reader.plots.grammar.

The marks are typed here, not read from data/, so a change to the data package does not move a reference;
a change to the grammar does.  Regenerate the references after an intended change of the drawing with

    .venv/bin/python tests/plot_baselines.py

which rewrites tests/baseline_images/*.png (look at them before committing).
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

from helpers.core.intervals import Interval
from helpers.reader.plots import grammar, layout
from helpers.reader.plots import panels as panels_module
from helpers.reader.plots.grammar import Mark

FOLDER = Path(__file__).resolve().parent / "baseline_images"


def _rounded(value: str, places: int) -> Interval:
    h = Fraction(1, 2) / 10**places
    v = Fraction(value)
    return Interval(v - h, v + h, hi_closed=False)


def dot(lang: str):
    name = {
        "zh": [
            "综合立体交通体系总投资",
            "农村饮水安全提升工程投资（约）",
            "电商营业收入（预计）",
            "区域总产值（超）",
            "外资折合人民币（推算）",
        ],
        "en": [
            "Total investment, integrated multi-level transport system",
            "Rural water investment (about)",
            "E-commerce revenue (expected)",
            "Cluster output (more than)",
            "Foreign investment in yuan (derived)",
        ],
    }
    n = name[lang]
    marks = [
        Mark(n[0], _rounded("84", 0), "exact", places=0),
        Mark(n[1], _rounded("0.4557", 4), "approx", places=4),
        Mark(n[2], _rounded("6.6", 1), "estimate", places=1),
        Mark(n[3], Interval(Fraction(3200), None), "more_than", places=0),
        Mark(n[4], Interval(Fraction("21.19"), Fraction("21.86")), "exact", derived=True),
    ]
    title = {"zh": "金额（对数刻度）", "en": "Money amounts (log scale)"}[lang]
    unit = {"zh": "亿元", "en": "100 million yuan (亿元)"}[lang]
    return layout.dot_figure(lang, marks, title, unit, 1, log=True, zero=False)


def pair(lang: str):
    pairs = [
        (
            "金融业增加值",
            Mark("上年", Interval(Fraction("186.3"), Fraction("186.5")), derived=True),
            Mark("本期", _rounded("201.4", 1), places=1),
        ),
        (
            "区域总产值",
            Mark("上年", Interval(Fraction(2650), None, lo_closed=False), "more_than", derived=True),
            Mark("本期", Interval(Fraction(3200), None), "more_than", places=0),
        ),
    ]
    return layout.pair_figure(lang, pairs, "上年同期与本期", "亿元（对数刻度）", 1, log=True)


def bar(lang: str):
    marks = [
        Mark("市场主体", Interval(Fraction(125000), None), "more_than", places=0),
        Mark("一窗受理事项", Interval.point(1562)),
        Mark("考核断面", Interval.point(3)),
    ]
    return layout.bar_figure(lang, marks, "数量", "个数")


def panel(lang: str):
    panels = [
        {
            "name": "良好天数占日历天数",
            "note": "不一致",
            "bad": True,
            "unit_label": "%",
            "marks": [
                Mark("推算区间", Interval.point(Fraction(22100, 334)), derived=True),
                Mark("原文", _rounded("66.8", 1), places=1),
            ],
        },
        {
            "name": "储备项目开工比例",
            "note": "一致",
            "bad": False,
            "unit_label": "%",
            "marks": [
                Mark("推算区间", Interval.point(Fraction(1200, 118)), derived=True),
                Mark("应满足的区间", Interval.closed(0, 100), requirement=True),
            ],
        },
    ]
    return panels_module.panel_figure(lang, panels, "核验")


#: name → (function, language): one per chart kind, and the dot chart in English too.
KINDS = {
    "dot_zh": (dot, "zh"),
    "dot_en": (dot, "en"),
    "pair_zh": (pair, "zh"),
    "bar_zh": (bar, "zh"),
    "panel_zh": (panel, "zh"),
}


def draw(name: str) -> bytes:
    """The PNG of one reference chart, as :func:`helpers.reader.plots.grammar.render` writes it."""
    function, lang = KINDS[name]
    return grammar.render(function(lang), name, name, raster=True).png


def main() -> int:
    FOLDER.mkdir(exist_ok=True)
    for name in KINDS:
        (FOLDER / f"{name}.png").write_bytes(draw(name))
        print(f"wrote {FOLDER / name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
