"""The sections of a new report's text: the lead and one section per heading, as rows of ``sections.csv``.

The lead starts at the first line; numbered headings (一、 …, else （一） …) open sections, else short title-like
lines (2–12 characters, no punctuation, digit or space, followed directly by text) and headlines that state a
figure (地区生产总值增长6.7%, followed directly by text; a short line right above one heads nothing); a short
line right after a heading is its subtitle.  Every row names what was guessed in its ``guess`` column.
"""

from __future__ import annotations

import re

TO_TRANSLATE = "TO TRANSLATE"
_NUMBERED = re.compile(r"[一二三四五六七八九十]+、")
_SUBNUMBERED = re.compile(r"[（(][一二三四五六七八九十]+[）)]")
_TITLE_LIKE = re.compile(r"[^\s0-9０-９。，,、；;：:！？!?“”\"'（）()\[\]【】《》…·.]{2,12}")
#: A headline that states a figure: 地区生产总值增长6.7% (short, no sentence punctuation, a number in it).
_FIGURE_HEADLINE = re.compile(
    r"(?=.*[0-9])(?=.*[\u4e00-\u9fff])[^\s。，,、；;：:！？!?“”\"'（）()\[\]【】《》…·]{4,19}"
)
TITLE_MAX = 19  # a title is at most 19 characters: the project never holds a run of 20 CJK characters


#: Site chrome: a navigation line (登录 | 注册 | 无障碍 | 长者版) or one of its words; never a title or a section.
_CHROME_WORDS = re.compile(
    r"登录|登錄|注册|註冊|无障碍|無障礙|长者版|長者版|首页|首頁|网站地图|設為首頁|设为首页|加入收藏|当前位置|您的位置|繁体|简体"
)
_FINISHED = re.compile(r"[。！？!?”」』）)]$")


def is_chrome(line: str) -> bool:
    """A line of a web page's navigation: chrome words, or three or more short items split by ``|``."""
    items = [i.strip() for i in re.split(r"[|｜]", line)]
    return bool(_CHROME_WORDS.search(line)) and len(line) < 60 or (len(items) >= 3 and max(map(len, items)) <= 6)


class SectionError(ValueError):
    """A text with no line to read."""


def _lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines as (offset of the first non-space character, stripped text)."""
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            out.append((pos + len(raw) - len(raw.lstrip()), stripped))
        pos += len(raw)
    return out


def detect_sections(text: str) -> list[dict]:
    """The lead and the sections the headings of ``text`` open, as rows of ``sections.csv`` (``guess`` included)."""
    lines = _lines(text)
    if not lines:
        raise SectionError("the text has no line to read")
    raw_lines = text.splitlines(keepends=True)
    line_starts = []
    pos = 0
    for raw in raw_lines:
        line_starts.append(pos)
        pos += len(raw)

    def next_line_is_text(offset: int) -> bool:
        i = max(j for j, s in enumerate(line_starts) if s <= offset)
        return i + 1 < len(raw_lines) and raw_lines[i + 1].strip() != ""

    lines = [(o, t) for o, t in lines if not is_chrome(t)] or lines
    if len(lines) > 1 and not _FINISHED.search(lines[-1][1]) and len(lines[-1][1]) < 40:
        lines = lines[:-1]  # a fragment where the text was cut off: neither a heading nor a subtitle
    opens_with_heading = bool(_NUMBERED.match(lines[0][1]) or _SUBNUMBERED.match(lines[0][1]))
    lead_start = lines[0][0] - opens_with_heading  # a text that opens with 一、… has no lead
    numbered = [(o, t) for o, t in lines if _NUMBERED.match(t) and o > lead_start]
    if not numbered:
        numbered = [(o, t) for o, t in lines if _SUBNUMBERED.match(t) and o > lead_start]
    if numbered:
        headings = [(o, _title(t.split("\n")[0].split("。")[0].split("，")[0].split(",")[0])) for o, t in numbered]
        how = "numbered heading"
    else:
        headings = [
            (o, t)
            for o, t in lines
            if o > lead_start and (_TITLE_LIKE.fullmatch(t) or _FIGURE_HEADLINE.fullmatch(t)) and next_line_is_text(o)
        ]
        # a headline that states a figure (地区生产总值增长6.7%) heads the text under it; a short line right above
        # it heads nothing (no text follows it): it is no section, nor is the headline its subtitle
        stated = {o for o, t in headings if _FIGURE_HEADLINE.fullmatch(t)}
        following_line = {a[0]: b[0] for a, b in zip(lines, lines[1:])}
        headings = [(o, t) for o, t in headings if following_line.get(o) not in stated]
        how = "short title-like line"
    by_offset = dict(lines)
    untitled = re.search(r"[。！？!?]", lines[0][1]) is not None
    rows = [
        {
            "section": 0,
            "title_zh": _title(lines[0][1]),
            # a first line that is a sentence is no title: the lead is named only by its place
            "title_en": "Lead" if untitled else f"Lead ({TO_TRANSLATE})",
            "subtitle_zh": "",
            "subtitle_en": "",
            "char_start": lead_start,
            "guess": "title_en (the first line is a sentence, not a title)" if untitled else "title_en",
        }
    ][opens_with_heading and bool(headings) :]
    for n, (offset, title) in enumerate(headings, start=1):
        subtitle = ""
        after = offset + len(by_offset[offset])
        following = [(o, t) for o, t in lines if o > after]
        if (
            len(following) > 1  # a subtitle has text after it
            and following[0][0] - after <= 1
            and len(following[0][1]) <= 16
            and not re.search(r"[。！？!?]", following[0][1])
            and following[0][0] not in dict(headings)
        ):
            subtitle = _title(following[0][1])
        rows.append(
            {
                "section": n,
                "title_zh": title,
                "title_en": f"Section {n} ({TO_TRANSLATE})",
                "subtitle_zh": subtitle,
                "subtitle_en": f"{TO_TRANSLATE}" if subtitle else "",
                "char_start": offset,
                "guess": f"section ({how}), title_en" + (", subtitle" if subtitle else ""),
            }
        )
    for row, nxt in zip(rows, rows[1:] + [None]):
        row["char_end"] = nxt["char_start"] if nxt else len(text)
    return rows


def _title(line: str) -> str:
    return line[:TITLE_MAX]


def unnumbered(title: str) -> str:
    """A heading without its number (一、综合 → 综合); the heading itself when nothing is left."""
    m = _NUMBERED.match(title) or _SUBNUMBERED.match(title)
    return title[m.end() :].strip() or title if m else title


def section_of(sections: list[dict], offset: int) -> int:
    """The number of the section ``offset`` falls in (0, the lead, before the first heading)."""
    found = 0
    for s in sections:
        if s["char_start"] <= offset:
            found = s["section"]
    return found
