"""Charts: the seaborn theme with a CJK font, and the few chart shapes the notebooks use, returned as stable images.

Every chart is drawn at a fixed size and returned as a :class:`Chart`, whose
notebook output is a PNG plus a plain-text description (no ``<Figure ...>``
repr).  Drawing fails with :class:`GlyphError` if any character is missing from
the fonts, so a chart that cannot show its Chinese labels never passes.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass

import pandas as pd

from helpers import labels, relations, tables

FONT = "Noto Sans CJK SC"  # Debian's fonts-noto-cjk
SIZE = (8.0, 4.5)  # inches
DPI = 100


class GlyphError(RuntimeError):
    """A chart label has characters the installed fonts cannot draw."""


@dataclass(frozen=True)
class Chart:
    """A rendered chart: PNG bytes and the text that stands for it where images are not shown."""

    png: bytes
    alt: str

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"[chart] {self.alt}"


def _pyplot():
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    if FONT not in names:  # a font cache written before the font was installed: rebuild it once
        # (in place: the Agg backend holds a reference to the instance)
        font_manager.fontManager.__dict__.update(font_manager._load_fontmanager(try_read_cache=False).__dict__)
        names = {f.name for f in font_manager.fontManager.ttflist}
    if FONT not in names:
        raise GlyphError(f"font {FONT!r} is not installed; run: apt-get install fonts-noto-cjk")
    sns.set_theme(style="whitegrid", context="notebook",
                  rc={"font.family": "sans-serif", "font.sans-serif": [FONT, "DejaVu Sans"],
                      "axes.unicode_minus": False, "svg.hashsalt": "helpers"})
    return plt, sns


def render(fig, alt: str) -> Chart:
    """The figure as PNG (no timestamps in its metadata); missing-glyph warnings become :class:`GlyphError`."""
    plt, _ = _pyplot()
    buf = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    plt.close(fig)
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    if glyphs:
        raise GlyphError("; ".join(sorted(set(glyphs))))
    return Chart(buf.getvalue(), alt)


def _empty(ctx, title: str) -> Chart:
    plt, _ = _pyplot()
    fig, ax = plt.subplots(figsize=SIZE)
    ax.set_axis_off()
    word = labels.heading("not_reported", ctx.lang)
    ax.text(0.5, 0.5, f"{title}\n{word}", ha="center", va="center", fontsize=14)
    return render(fig, f"{title}: {word}")


def interval_chart(ctx, rows: pd.DataFrame, title: str, xlabel: str, log: bool = False) -> Chart:
    """Values with their intervals, one row each: ``rows`` has label, low, high, value, lower_bound_only.

    A bounded interval is a bar from low to high around a dot; a lower bound
    (超/余) is a dot with an arrow pointing right, labelled as a bound; a point
    is a dot alone.
    """
    if rows.empty:
        return _empty(ctx, title)
    plt, sns = _pyplot()
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    y = list(range(len(rows)))
    palette = sns.color_palette("deep")
    bound_word = "下限" if ctx.lang == "zh" else "lower bound"
    for yi, r in zip(y, rows.itertuples(index=False)):
        if r.lower_bound_only:
            ax.annotate("", xy=(r.value * (1.6 if log else 1.15) if r.value else 1, yi), xytext=(r.value, yi),
                        arrowprops={"arrowstyle": "->", "color": palette[3], "lw": 1.5})
            ax.plot([r.value], [yi], marker="|", markersize=14, color=palette[3])
            ax.text(r.value, yi + 0.25, bound_word, color=palette[3], fontsize=8)
        else:
            if math.isfinite(r.low) and math.isfinite(r.high) and r.high > r.low:
                ax.hlines(yi, r.low, r.high, color=palette[0], lw=6, alpha=0.5)
            ax.plot([r.value], [yi], marker="o", color=palette[0])
    ax.set_yticks(y, rows["label"])
    ax.invert_yaxis()
    if log:
        ax.set_xscale("log")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    return render(fig, f"{title} ({len(rows)})")


def bar_chart(ctx, rows: pd.DataFrame, title: str, xlabel: str) -> Chart:
    """Horizontal bars of ``rows['value']`` by ``rows['label']`` (counts of things)."""
    if rows.empty:
        return _empty(ctx, title)
    plt, sns = _pyplot()
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    sns.barplot(data=rows, x="value", y="label", ax=ax, color=sns.color_palette("deep")[0], orient="h")
    ax.bar_label(ax.containers[0], fmt="{:,.0f}", padding=3, fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    return render(fig, f"{title} ({len(rows)})")


# ---- the rows the notebooks chart -----------------------------------------------------


def _title(ctx, zh: str, en: str) -> str:
    return zh if ctx.lang == "zh" else en


def money(ctx, section: int | None = None) -> Chart:
    """Money amounts (yuan; US dollars converted at fx_usd_cny) on a log scale: orders of magnitude side by side."""
    m = tables.money_frame(ctx)
    if section is not None and not m.empty:
        m = m[m["section"] == section]
    rows = m.rename(columns={"yuan": "value"})[["label", "low", "high", "value", "lower_bound_only"]] \
        if not m.empty else m
    for col in ("low", "high", "value"):
        if not rows.empty:
            rows = rows.assign(**{col: rows[col] / 1e8})
    return interval_chart(ctx, rows, _title(ctx, "金额（对数刻度）", "Money amounts (log scale)"),
                          _title(ctx, "亿元", "100 million yuan"), log=True)


def measure_rows(ctx, section: int | None, measures: tuple[str, ...]) -> pd.DataFrame:
    """Figures of the given measures (e.g. change_yoy_pct) as chart rows, in their printed units' scale."""
    figs = ctx.package.figures
    figs = figs[figs["measure"].isin(measures)]
    if section is not None:
        figs = figs[figs["section"] == section]
    rows = []
    for f in figs.itertuples(index=False):
        i = relations.figure_input(f).interval
        lo, hi = i.to_floats()
        rows.append({"label": f.indicator_zh if ctx.lang == "zh" else f.indicator_en, "low": lo, "high": hi,
                     "value": float(i.midpoint) if i.is_bounded else lo, "lower_bound_only": not i.is_bounded})
    return pd.DataFrame(rows, columns=["label", "low", "high", "value", "lower_bound_only"])


def percentages(ctx, section: int | None, measures: tuple[str, ...], title_zh: str, title_en: str) -> Chart:
    """Percent figures (growth, shares, completion rates) with their rounding intervals."""
    return interval_chart(ctx, measure_rows(ctx, section, measures), _title(ctx, title_zh, title_en), "%")


def counts(ctx, section: int) -> Chart:
    """The counts of things a section reports (exact counts; lower bounds marked in the label)."""
    figs = ctx.package.figures
    figs = figs[(figs["section"] == section) & (figs["base_unit"] == "count")]
    rows = pd.DataFrame({
        "label": [(f.indicator_zh if ctx.lang == "zh" else f.indicator_en) + (" (≥)" if f.qualifier == "more_than"
                                                                              else "")
                  for f in figs.itertuples(index=False)],
        "value": figs["base_value"].astype(float).to_numpy()})
    return bar_chart(ctx, rows, _title(ctx, "数量", "Counts"), _title(ctx, "个数", "count"))


def derived(ctx, ids: list[str], title_zh: str, title_en: str, xlabel_zh: str, xlabel_en: str,
            scale: float = 1.0) -> Chart:
    """Chosen derived values (by relation id, same unit) with their intervals as error bars, divided by ``scale``."""
    wanted = set(ids)
    found = [d for d in tables.derived_values(ctx) if d.id in wanted]
    missing = wanted - {d.id for d in found}
    rows = []
    for d in found:
        lo, hi = d.interval.to_floats()
        value = float(d.interval.midpoint) if d.interval.is_bounded else lo
        rows.append({"label": d.label_zh if ctx.lang == "zh" else d.label_en, "low": lo / scale, "high": hi / scale,
                     "value": value / scale, "lower_bound_only": not d.interval.is_bounded})
    frame = pd.DataFrame(rows, columns=["label", "low", "high", "value", "lower_bound_only"])
    title = _title(ctx, title_zh, title_en)
    if missing:
        title += f" — {labels.heading('not_reported', ctx.lang)}: {len(missing)}"
    return interval_chart(ctx, frame, title, _title(ctx, xlabel_zh, xlabel_en))


def checks(ctx) -> Chart:
    """Each check: the recomputed interval against the printed one, as a share in percent."""
    from helpers import checks as checks_mod

    # once: each call derives every relation again (27 ms); the set below called it once per check
    derived = tables.derived_values(ctx)
    found = [c for c in checks_mod.check_all(derived, ctx.package.figures)
             if c.id in {d.id for d in derived if d.unit == "percent"}]
    plt, sns = _pyplot()
    title = _title(ctx, "核验：推算区间与应满足区间", "Checks: recomputed against required (percent)")
    if not found:
        return _empty(ctx, title)
    names = {d.id: (d.label_zh if ctx.lang == "zh" else d.label_en) for d in derived}
    fig, axes = plt.subplots(len(found), 1, figsize=SIZE, layout="constrained", squeeze=False)
    palette = sns.color_palette("deep")
    for ax, c in zip(axes[:, 0], found):
        e_lo, e_hi = c.expected.to_floats()
        o_lo, o_hi = c.observed.to_floats()
        e_hi = e_hi if math.isfinite(e_hi) else max(o_hi, e_lo) * 1.05
        colour = palette[0] if c.status != "inconsistent" else palette[3]
        for row, lo, hi, col in ((1, o_lo, o_hi, palette[2]), (0, e_lo, e_hi, colour)):
            if hi > lo:
                ax.hlines(row, lo, hi, color=col, lw=8, alpha=0.6)
            else:
                ax.plot([lo], [row], marker="D", color=col)
        ax.set_yticks([0, 1], [labels.heading("expected", ctx.lang), labels.heading("observed", ctx.lang)],
                      fontsize=7)
        ax.set_ylim(-0.8, 1.8)
        ax.set_title(f"{names[c.id]}: {labels.STATUS_LABELS[ctx.lang][c.status]}", fontsize=9)
    fig.suptitle(title)
    return render(fig, f"{title} ({len(found)})")
