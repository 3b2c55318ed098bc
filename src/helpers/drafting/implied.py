"""Relations the wording of a new report implies between its drafted figures, as rows of ``relations.csv``.

Between two figures of one sentence: a level with its 同比增长 (or 下降, 减少 …) → ``prior_level``; a part with
its 占… share → ``implied_whole``; an outcome with its 完成…任务/计划/目标 rate → ``implied_plan``; a stock with
what was 新建/新增 in it → ``stock_before_flow``; a share with its change in points → ``prior_share`` (not a
growth rate, nor a difference against another area: 增长9.7%，高于全市1.1个百分点).  A whole
followed in its paragraph by 其中 and parts of its unit and period that sum to it (never a per-capita amount) →
``sum_of_parts``, and a
structure ratio printed after them (三次产业结构为5.3:39.9:54.8) → ``printed_share``.  A growth's direction is
the figure's (``direction``): a level with its 下降4.2% gives the prior level ``x / 0.958``.
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


#: Every kind the draft proposes (each one of helpers.core.relations.KINDS: tests/test_extract_vocabulary.py).
KINDS_DRAFTED = tuple(r[0] for r in _RULES) + ("prior_share", "sum_of_parts", "printed_share")
#: A decomposition is drafted when its parts sum to the whole within this relative gap (rounding of each part).
SUM_TOLERANCE = 0.02


def _row(a: dict, b: dict, kind: str, zh: str, en: str, why: str) -> dict:
    return {
        "id": f"{a['id']}_{kind}",
        "kind": kind,
        "section": a["section"],
        "x": a["id"],
        "y": b["id"],
        "parameter": "",
        "allow_mixed_periods": "true" if a["period"] != b["period"] else "false",
        "label_zh": f"{a['indicator_zh'] if not a['indicator_zh'].startswith('TO ') else a['id']}{zh}"[:TITLE_MAX],
        "label_en": en.format(x=a["id"], y=b["id"]),
        "guess": f"kind ({why}), labels",
    }


def draft_relations(figures: list[dict], text: str) -> list[dict]:
    """Relations the wording implies (see the module docstring): pairs in one sentence, then decompositions."""
    rows = []
    for a, b in itertools.pairwise(figures):
        between = text[a["char_end"] : b["char_start"]]
        if _SENTENCE_BREAK.search(between):
            continue
        why = f"the wording between {a['id']} and {b['id']}"
        if (
            a["base_unit"] == "percent"
            and a["measure"] not in ("change_yoy_pct", "change_pp")  # a growth rate is no share
            and b["measure"] == "change_pp"
            and b["base_unit"] == "percentage_points"
            and not re.search("全|平均", b.get("reference", ""))  # 高于全市1.1个百分点: another area's, not a change
        ):
            rows.append(_row(a, b, "prior_share", "上年", "{x}: the share before its change", why))
            continue
        if a["base_unit"] in ("percent", "percentage_points", ""):
            continue
        for kind, measures, words, zh, en in _RULES:
            if b["measure"] not in measures or not any(w in between for w in words):
                continue
            if kind == "implied_plan" and not re.search("任务|计划|目标", text[a["char_end"] : b["char_end"] + 4]):
                continue
            if kind == "stock_before_flow" and (a["measure"] != "stock" or a["base_unit"] != b["base_unit"]):
                continue
            rows.append(_row(a, b, kind, zh, en, why))
    rows += _decompositions(figures, text)
    seen: set[str] = set()
    return [r for r in rows if not (r["id"] in seen or seen.add(r["id"]))]  # type: ignore[func-returns-value]


def _decompositions(figures: list[dict], text: str) -> list[dict]:
    """A whole followed in its paragraph by 其中 and parts of its unit and period that sum to it → ``sum_of_parts``
    (one row per part); a ratio of as many printed shares after them (三次产业结构为5.3:39.9:54.8) →
    ``printed_share`` (each share with its part)."""
    rows: list[dict] = []
    for i, whole in enumerate(figures):
        if whole["base_unit"] in ("percent", "percentage_points", "") or not whole["base_value"]:
            continue
        end = text.find("\n", whole["char_end"])
        end = len(text) if end < 0 else end
        if "其中" not in text[whole["char_end"] : end]:
            continue
        later = [f for f in figures[i + 1 :] if f["char_start"] < end]
        parts = [
            f
            for f in later
            if f["base_unit"] == whole["base_unit"]
            and f["period"] in (whole["period"], "")
            and f["base_value"]
            and "人均" not in f["indicator_zh"]  # a per-capita amount is never a part of the whole
        ]
        total = sum(float(f["base_value"]) for f in parts)
        if len(parts) < 2 or abs(total - float(whole["base_value"])) > SUM_TOLERANCE * abs(float(whole["base_value"])):
            continue
        why = f"其中 after {whole['id']}, its parts sum to it"
        rows += [_row(p, whole, "sum_of_parts", "之和", "{y}: the sum of its parts", why) for p in parts]
        shares = [f for f in figures if f["measure"] == "share_pct" and f["char_start"] > parts[-1]["char_end"]]
        shares = [f for f in shares if f["char_start"] < end or f["char_start"] < parts[-1]["char_end"] + 400]
        if len(shares) >= len(parts):
            ratio = shares[: len(parts)]
            if abs(sum(float(f["base_value"] or 0) for f in ratio) - 100) <= 0.5:
                for share, part in zip(ratio, parts):
                    row = _row(
                        share, part, "printed_share", "占比重算", "{x}: the share recomputed from {y}", "a ratio"
                    )
                    mixed = len({share["period"], part["period"], whole["period"]}) > 1
                    row["allow_mixed_periods"] = "true" if mixed else "false"
                    rows.append(row)
    return rows
