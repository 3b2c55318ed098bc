"""Relations the wording of a new report implies between its drafted figures, as rows of ``relations.csv``.

Between two figures of one sentence: a level with its 同比增长 (or 下降, 减少 …) → ``prior_level``; a part with
its 占… share → ``implied_whole``; an outcome with its 完成…任务/计划/目标 rate → ``implied_plan``;
a stock with what was
新建/新增 in it → ``stock_before_flow``.  A growth's direction is the figure's (``direction``): a level with
its 下降4.2% gives the prior level ``x / 0.958``.
"""

from __future__ import annotations

import itertools
import re

from helpers.drafting.sections import TITLE_MAX

_SENTENCE_BREAK = re.compile(r"[。；;！？!?\n]")

#: (kind, measure of y, words that must be printed between x and y, label_zh suffix, label_en pattern)
_RULES = (
    (
        "prior_level",
        ("change_yoy_pct",),
        ("增长", "下降", "减少", "增加", "回落", "下滑", "负增长"),
        "上年同期",
        "{x}: level a year earlier",
    ),
    ("implied_whole", ("share_pct",), ("占",), "所占总体", "{x}: the whole its share implies"),
    ("implied_plan", ("completion_pct",), ("完成",), "计划", "{x}: the plan its completion rate implies"),
    ("stock_before_flow", ("flow",), ("新建", "新增"), "新增前存量", "{x}: the stock before what was added"),
)


def draft_relations(figures: list[dict], text: str) -> list[dict]:
    """Relations the wording implies between two figures of one sentence (see the module docstring)."""
    rows, ids = [], set()
    for a, b in itertools.pairwise(figures):
        between = text[a["char_end"] : b["char_start"]]
        if _SENTENCE_BREAK.search(between) or a["base_unit"] in ("percent", "percentage_points", ""):
            continue
        for kind, measures, words, zh, en in _RULES:
            if b["measure"] not in measures or not any(w in between for w in words):
                continue
            if kind == "implied_plan" and not re.search("任务|计划|目标", text[a["char_end"] : b["char_end"] + 4]):
                continue
            if kind == "stock_before_flow" and (a["measure"] != "stock" or a["base_unit"] != b["base_unit"]):
                continue
            rid = f"{a['id']}_{kind}"
            if rid in ids:
                continue
            ids.add(rid)
            rows.append(
                {
                    "id": rid,
                    "kind": kind,
                    "section": a["section"],
                    "x": a["id"],
                    "y": b["id"],
                    "parameter": "",
                    "allow_mixed_periods": "true" if a["period"] != b["period"] else "false",
                    "label_zh": f"{a['indicator_zh'] or a['id']}{zh}"[:TITLE_MAX],
                    "label_en": en.format(x=a["id"]),
                    "guess": f"kind (the wording between {a['id']} and {b['id']}), labels",
                }
            )
    return rows
