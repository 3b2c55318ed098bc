"""Comparing a draft with a curated figures table: matched, missed and added rows, agreement rates, the confusion."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING

from helpers.drafting.extract.rows import ExtractError
from helpers.drafting.extract.tokens import norm_value

if TYPE_CHECKING:
    import pandas as pd

_KEY = ("char_start", "char_end", "value", "unit_zh")


def _canonical_value(v: object) -> str:
    """A value as a canonical exact number ("62.10" and 62.1 agree); unreadable values as text."""
    text = _s(v).strip()
    if not text:
        return ""
    try:
        return str(Fraction(Decimal(norm_value(text))))
    except (InvalidOperation, ValueError):
        return text


def _text_col(series: pd.Series) -> pd.Series:
    return series.map(_s)


def _keyed(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in (*_KEY, "qualifier", "period") if c not in frame.columns]
    if missing:
        raise ExtractError(f"{name} lacks column(s) {', '.join(missing)}")
    out = frame.copy()
    out["_k_start"] = out["char_start"].astype("int64")
    out["_k_end"] = out["char_end"].astype("int64")
    out["_k_value"] = out["value"].map(_canonical_value)
    out["_k_unit"] = _text_col(out["unit_zh"])
    return out


@dataclass(frozen=True, eq=False)
class Comparison:
    """A draft compared with the curated figures on (char_start, char_end, value, unit_zh).

    ``matched`` holds one row per figure found in both: the curated columns, and
    the draft's as ``draft_<column>`` (``draft_id``, ``draft_qualifier`` …);
    ``missed`` the curated rows the draft lacks; ``added`` the draft rows the
    curated table lacks.  Rates over an empty denominator are 1.0.
    """

    matched: pd.DataFrame
    missed: pd.DataFrame
    added: pd.DataFrame
    recall: float
    precision: float
    qualifier_accuracy: float
    period_accuracy: float
    measure_accuracy: float

    def accuracy(self, column: str) -> float:
        """Share of matched figures on which draft and curated agree in ``column``
        (numbers compared as numbers, "true"/True alike, empty and NaN alike)."""
        if column not in self.matched.columns or f"draft_{column}" not in self.matched.columns:
            raise KeyError(f"{column!r} is not in both the draft and the curated table")
        if self.matched.empty:
            return 1.0
        pairs = zip(self.matched[column], self.matched[f"draft_{column}"])
        return sum(_same(a, b) for a, b in pairs) / len(self.matched)

    def confusion(self) -> pd.DataFrame:
        """Every disagreement, one row each: missed, added, wrong qualifier, wrong period.

        Columns: kind, char_start, char_end, value, unit_zh, curated, draft, id.
        """
        import pandas as pd

        rows = []
        for r in self.missed.itertuples(index=False):
            rows.append(
                (
                    "missed",
                    r.char_start,
                    r.char_end,
                    str(r.value),
                    _s(r.unit_zh),
                    f"{r.value} {_s(r.unit_zh)}".strip(),
                    "",
                    _s(getattr(r, "id", "")),
                )
            )
        for r in self.added.itertuples(index=False):
            rows.append(
                (
                    "added",
                    r.char_start,
                    r.char_end,
                    str(r.value),
                    _s(r.unit_zh),
                    "",
                    f"{r.value} {_s(r.unit_zh)}".strip(),
                    _s(getattr(r, "id", "")),
                )
            )
        for r in self.matched.itertuples(index=False):
            if _s(r.qualifier) != _s(r.draft_qualifier):
                rows.append(
                    (
                        "qualifier",
                        r.char_start,
                        r.char_end,
                        str(r.value),
                        _s(r.unit_zh),
                        _s(r.qualifier),
                        _s(r.draft_qualifier),
                        _s(r.id),
                    )
                )
            if _s(r.period) != _s(r.draft_period):
                rows.append(
                    (
                        "period",
                        r.char_start,
                        r.char_end,
                        str(r.value),
                        _s(r.unit_zh),
                        _s(r.period) or "(none)",
                        _s(r.draft_period) or "(none)",
                        _s(r.id),
                    )
                )
        frame = pd.DataFrame(
            rows, columns=["kind", "char_start", "char_end", "value", "unit_zh", "curated", "draft", "id"]
        )
        return frame.sort_values(["char_start", "kind"], kind="stable").reset_index(drop=True)

    def summary(self) -> str:
        """One line per rate, with the counts behind it."""
        m = len(self.matched)
        lines = [
            f"recall       {self.recall:7.2%}  ({m} of {m + len(self.missed)} curated figures found)",
            f"precision    {self.precision:7.2%}  ({m} of {m + len(self.added)} draft rows are curated figures)",
            f"qualifier    {self.qualifier_accuracy:7.2%}  of matched",
            f"period       {self.period_accuracy:7.2%}  of matched",
        ]
        for column, note in (
            ("base_value", ""),
            ("base_unit", ""),
            ("rounded", ""),
            ("measure", " (a guess)"),
            ("section", " (a guess)"),
            ("topic_zh", " (a guess)"),
            ("indicator_zh", " (a guess, exact wording)"),
        ):
            try:
                lines.append(f"{column:<12} {self.accuracy(column):7.2%}  of matched{note}")
            except KeyError:
                pass
        return "\n".join(lines)

    def __str__(self) -> str:
        table = self.confusion()
        body = "no disagreements" if table.empty else table.to_string(index=False)
        return f"{self.summary()}\n{body}"


def _s(v: object) -> str:
    """Text of a cell; empty for None, NaN and pandas' NA (the loader's missing string)."""
    import pandas as pd

    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


_BOOLEAN_TEXT = {"true": "true", "false": "false", "True": "true", "False": "false"}


def _same(a: object, b: object) -> bool:
    """Curated and draft agree: as numbers when both read as numbers, else as text."""
    x, y = _s(a), _s(b)
    x, y = _BOOLEAN_TEXT.get(x, x), _BOOLEAN_TEXT.get(y, y)
    if x == y:
        return True
    try:
        fx, fy = float(x), float(y)
    except ValueError:
        return False
    return fx == fy or abs(fx - fy) <= 1e-9 * max(abs(fx), abs(fy))


def compare(draft: pd.DataFrame, curated: pd.DataFrame) -> Comparison:
    """Compare a draft (``extract_text``) with curated figures (``data/figures.csv``)."""
    d = _keyed(draft, "draft")
    c = _keyed(curated, "curated")
    keys = ["_k_start", "_k_end", "_k_value", "_k_unit"]
    d = d.drop_duplicates(keys)
    # every draft column the curated table also has comes along as draft_<column>
    extra = [col for col in d.columns if col in c.columns and not col.startswith("_k_")]
    right = d[keys + extra].rename(columns={col: f"draft_{col}" for col in extra})
    merged = c.merge(right, on=keys, how="left", indicator=True)
    found = merged["_merge"] == "both"
    drop = keys + ["_merge"]
    matched = merged[found].drop(columns=drop).reset_index(drop=True)
    missed = c[~found.to_numpy()].drop(columns=keys).reset_index(drop=True)
    in_curated = d.merge(c[keys].drop_duplicates(), on=keys, how="left", indicator=True)["_merge"] == "both"
    added = d[~in_curated.to_numpy()].drop(columns=keys).reset_index(drop=True)

    def rate(hits: int, total: int) -> float:
        return hits / total if total else 1.0

    def agree(col: str) -> int:
        if f"draft_{col}" not in matched.columns or col not in matched.columns:
            return 0
        return int(sum(map(_same, matched[col], matched[f"draft_{col}"])))

    return Comparison(
        matched=matched,
        missed=missed,
        added=added,
        recall=rate(len(matched), len(c)),
        precision=rate(int(in_curated.sum()), len(draft)),
        qualifier_accuracy=rate(agree("qualifier"), len(matched)),
        period_accuracy=rate(agree("period"), len(matched)),
        measure_accuracy=rate(agree("measure"), len(matched)),
    )
