"""Names for a drafted figure: English indicator and topic names from a bilingual glossary kept as data, and
readable, stable ids.

``glossary_en.csv`` (``zh,en,source``) holds the official English of standard statistical indicators and of
communiqué section titles, each row naming where its translation comes from (``glossary_sources.csv``: the
National Bureau of Statistics' English communiqués and releases, or this project's translation).  A name is
found whole, or as the glossary's longest term the name ends with after an area word
(全县地区生产总值 → 地区生产总值), or as a share composed of two terms
(第一产业占地区生产总值的比重 → share of primary industry in gross domestic product (GDP);
男性人口占比 → male population, share), or as a term and its measure (医药制造业增加值 → value added of
manufacture of medicines; 地区生产总值增速 → growth rate of gross domestic product (GDP)); a change (or an
amount worded as one) adds what it is measured against (``gross domestic product (GDP), change on the
previous year``).  A name in traditional script is looked up folded to simplified (全社會固定資產投資 →
全社会固定资产投资).  Every name found is still a guess, and says so in the row's ``guess`` column.

Ids are the English name (or the measure) in snake_case, at most five words, with ``_2``, ``_3`` … in text order
where names repeat: the same text drafts the same ids.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from helpers.core.columns import CHANGE_MEASURES
from helpers.drafting.extract.lexicon import fold

#: Words an indicator may start with before a glossary term: the area it covers or the period.
_AREA = re.compile(
    r"^(?:全国|全省|全市|全区|全县|全镇|全州|全旗|我省|我市|我区|我县|本市|本区|本县|该区|该市|该县|全年|年末|其中|实现|完成)+"
)
_REFERENCE_EN = {
    "上年": "on the previous year",
    "上年同期": "year on year",
    "去年同期": "year on year",
    "上年末": "on the previous year end",
    "上期": "on the previous period",
    "全市平均": "against the city average",
    "全市": "against the city",
    "全省": "against the province",
    "全国": "against the country",
    "全省平均": "against the provincial average",
    "全国平均": "against the national average",
}
ID_WORDS = 5


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, str]]:
    """Chinese term → (English, source id), from ``glossary_en.csv``; a row without a known source is refused."""
    folder = resources.files("helpers.drafting")
    sources = {
        r["source"] for r in csv.DictReader(folder.joinpath("glossary_sources.csv").read_text("utf-8").splitlines())
    }
    out = {}
    for n, r in enumerate(csv.DictReader(folder.joinpath("glossary_en.csv").read_text("utf-8").splitlines()), start=2):
        if r.get("source") not in sources or not r.get("zh") or not r.get("en"):
            raise ValueError(
                f"glossary_en.csv, line {n}: field 'source' must be one of glossary_sources.csv, with zh and en"
            )
        out[r["zh"]] = (r["en"], r["source"])
    return out


def english(zh: str) -> tuple[str, str] | None:
    """(English, source) for a Chinese indicator or title, in simplified or traditional script (folded to
    simplified to look up), or None when the glossary has no term for it."""
    terms = glossary()
    zh = fold(zh)
    if zh in terms:
        return terms[zh]
    rest = _AREA.sub("", zh)
    if rest in terms:
        return terms[rest]
    inner = re.search(r"[（(]([^）)]+)[）)]", zh)  # 占总人口比重（常住人口城镇化率）: the name in brackets
    if inner and inner.group(1) in terms:
        return terms[inner.group(1)]
    return _composed(rest) or _share(rest)


#: A name composed of a glossary term and a measure word: 汽车制造业增加值 → value added of manufacture of
#: automobiles; 地区生产总值增速 → growth rate of gross domestic product (GDP).
_COMPOSED = (("增加值", "value added of {}"), ("增速", "growth rate of {}"), ("增幅", "growth rate of {}"))


def _composed(zh: str) -> tuple[str, str] | None:
    for suffix, form in _COMPOSED:
        if zh.endswith(suffix) and len(zh) > len(suffix):
            part = english(zh[: -len(suffix)])
            if part:
                return form.format(part[0]), part[1]
    return None


#: A share named by its part and whole (第一产业占地区生产总值的比重), or by its part alone (男性人口占比).
_SHARE_OF = re.compile(r"^(.+?)占(.+?)的?(?:比重|比例)$")
_SHARE = re.compile(r"^(.+?)(?:占比|所占比重|的比重|比重)$")


#: An age band, a table's row label in a population table: 0-17岁, 60岁及以上.
_AGES = re.compile(r"^([0-9]+)\s*[-—–~至]\s*([0-9]+)岁$|^([0-9]+)岁及以上$")


def _share(zh: str) -> tuple[str, str] | None:
    """(English, sources) for a share composed of glossary terms: ``share of PART in WHOLE`` or ``PART, share``;
    or an age band (``aged 0-17``, ``aged 60 and over``)."""
    ages = _AGES.match(zh)
    if ages:
        return (
            f"aged {ages.group(1)}-{ages.group(2)}" if ages.group(1) else f"aged {ages.group(3)} and over"
        ), "project"
    m = _SHARE_OF.match(zh)
    if m:
        part, whole = english(m.group(1)), english(m.group(2))
        if part and whole:
            return f"share of {part[0]} in {whole[0]}", f"{part[1]}+{whole[1]}"
        return None
    m = _SHARE.match(zh)
    if m:
        part = english(m.group(1))
        if part:
            return f"{part[0]}, share", part[1]
    return None


def name_figures(figures: list[dict], noun_of) -> None:
    """Fill ``indicator_en`` (from the glossary, for the noun phrase ``noun_of(row)``; left marked when not found)."""
    for f in figures:
        found = english(noun_of(f))
        if found is None:
            continue
        en, source = found
        if f["measure"] in CHANGE_MEASURES or f.get("direction"):  # 比上年末减少0.11万人: an amount's change
            ref = _REFERENCE_EN.get(f.get("reference", ""), "")
            en = f"{en}, change" + (f" {ref}" if ref else "")
        f["indicator_en"] = en
        f["guess"] = f["guess"].replace("indicator_en to translate", f"indicator_en (glossary: {source})")


def name_sections(sections: list[dict], unnumbered) -> None:
    """Fill section titles (and subtitles) in English where the glossary holds them."""
    for s in sections:
        found = english(unnumbered(s["title_zh"]))
        if found:
            s["title_en"] = found[0][:1].upper() + found[0][1:]
            s["guess"] = s["guess"].replace("title_en", f"title_en (glossary: {found[1]})")


def ids(figures: list[dict]) -> dict[str, str]:
    """Readable, stable ids for the figures (old id → new id), in text order."""
    taken: dict[str, int] = {}
    out = {}
    for f in figures:
        en = f["indicator_en"] if not f["indicator_en"].startswith("TO ") else ""
        words = re.findall(r"[a-z0-9]+", en.split(",")[0].lower().replace("(gdp)", ""))
        words = [w for w in words if w not in ("of", "the", "and", "in", "on", "a", "per")][:ID_WORDS]
        base = "_".join(words) or f"s{f['section']}_{f['measure']}"
        if (f["measure"] in CHANGE_MEASURES or f.get("direction")) and words:
            base += "_yoy" if f.get("reference") in ("上年同期", "去年同期") else "_change"
        elif en.endswith(", share") and words:
            base += "_share"
        if not re.match(r"[a-z]", base):
            base = f"f_{base}"
        n = taken.get(base, 0) + 1
        taken[base] = n
        out[f["id"]] = base if n == 1 else f"{base}_{n}"
    return out
