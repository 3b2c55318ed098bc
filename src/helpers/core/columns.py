"""The columns each resource of a data package must have: one list shared by the loader and the extractor."""

from __future__ import annotations

SECTION_COLUMNS: tuple[str, ...] = (
    "section",
    "title_zh",
    "title_en",
    "subtitle_zh",
    "subtitle_en",
    "char_start",
    "char_end",
)
#: The columns of ``data/figures.csv`` (a draft from the extractor has these and a few more).
FIGURE_COLUMNS: tuple[str, ...] = (
    "id",
    "section",
    "topic_zh",
    "topic_en",
    "indicator_zh",
    "indicator_en",
    "value",
    "unit_zh",
    "base_value",
    "base_unit",
    "qualifier",
    "rounded",
    "period",
    "measure",
    "char_start",
    "char_end",
)
#: The columns that say a figure is a change and which way it went (``data/figures.csv`` after FIGURE_COLUMNS; the
#: extractor's draft adds them in ``helpers new``): ``direction`` (:data:`DIRECTIONS`, or empty for a figure that is
#: not a change) and ``reference`` (what the change is measured against, as the text words it: 上年同期, 全市平均).
CHANGE_COLUMNS: tuple[str, ...] = ("direction", "reference")
#: The directions a change can have; a ``down`` change printed without its minus stands for the negative number.
DIRECTIONS: tuple[str, ...] = ("up", "down")
#: The measures that are changes: each needs a direction.
CHANGE_MEASURES: tuple[str, ...] = ("change_yoy_pct", "change_pp")
#: The columns of ``data/non_figures.csv``.
NON_FIGURE_COLUMNS: tuple[str, ...] = ("id", "text", "reason", "figure_id", "char_start", "char_end")
RELATION_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "section",
    "x",
    "y",
    "parameter",
    "allow_mixed_periods",
    "label_zh",
    "label_en",
)
#: resource name → the columns its schema must declare.
NEEDED: dict[str, tuple[str, ...]] = {
    "sections": SECTION_COLUMNS,
    "figures": FIGURE_COLUMNS + ("direction",),
    "non_figures": NON_FIGURE_COLUMNS,
    "relations": RELATION_COLUMNS,
}
