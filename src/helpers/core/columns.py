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
    "figures": FIGURE_COLUMNS,
    "non_figures": NON_FIGURE_COLUMNS,
    "relations": RELATION_COLUMNS,
}
