"""Charts: Chinese labels render with the CJK font, missing glyphs are errors, English labels on request."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import DATA
from helpers import params, plots


@pytest.fixture(scope="module")
def zh():
    return params.setup(data_dir=str(DATA), lang="zh")


def test_chinese_chart_renders_a_png_with_a_text_alternative(zh):
    chart = plots.money(zh)
    assert chart.png.startswith(b"\x89PNG")
    assert repr(chart).startswith("[chart] 金额") and "Figure" not in repr(chart)


def test_english_labels_on_request():
    chart = plots.counts(params.setup(data_dir=str(DATA), lang="en"), section=5)
    assert repr(chart).startswith("[chart] Counts")


def test_same_chart_twice_gives_identical_bytes(zh):
    assert plots.counts(zh, 2).png == plots.counts(zh, 2).png


def test_missing_glyph_is_an_error(zh):
    rows = pd.DataFrame({"label": ["\U0001F980 crab"], "value": [1.0]})
    with pytest.raises(plots.GlyphError, match="missing from"):
        plots.bar_chart(zh, rows, "title", "x")


def test_empty_rows_draw_not_reported(zh):
    chart = plots.bar_chart(zh, pd.DataFrame({"label": [], "value": []}), "标题", "x")
    assert "未报告" in repr(chart)


def test_a_font_cache_older_than_the_cjk_font_is_rebuilt(zh):
    from matplotlib import font_manager

    fm = font_manager.fontManager
    fm.ttflist = [f for f in fm.ttflist if "CJK" not in f.name]  # as if cached before fonts-noto-cjk
    chart = plots.counts(zh, section=1)
    assert chart.png.startswith(b"\x89PNG")
    assert any(f.name == plots.FONT for f in fm.ttflist)
