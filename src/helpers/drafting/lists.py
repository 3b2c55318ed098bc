"""Figures printed as a list after 分别 (respectively): each takes its own item of the list before it as its name.

``汽车类、石油及制品类零售额同比分别增长16.6%、7.8%`` names two figures: 汽车类零售额 and 石油及制品类零售额.  The items
are the subject before 分别 (back to the clause's start: a comma, a colon, a sentence end), split at 、; the name the
items share is what the last item adds after the kind of word the first item ends with (类 … 类零售额 → 零售额,
业 … 业营业收入 → 营业收入).  A list is named only when it has as many items as figures (a figure and the ones
joined to it by 、 or 和); otherwise, and when the items follow 比 or 较 (增幅比1-3月、1-4月分别提高…: what the
figures are compared with), the figures keep the names :mod:`.wording` gave them.  Each name is still a guess.
"""

from __future__ import annotations

import re

from helpers.drafting import wording

_CLAUSE_START = re.compile(r"[。；;，,：:！？!?\n]")
_RESPECTIVELY = re.compile(r"(?:同比|环比)?分别")
_COMPARED = re.compile(r"(?<!占)比(?![重例率])|较")


def _subject(text: str, start: int) -> str | None:
    """The subject before 分别 in the clause of the figure at ``start``, or None when the clause has no 分别."""
    lo = max(0, start - 120)
    before = text[lo:start]
    cut = 0
    for brk in _CLAUSE_START.finditer(before):
        cut = brk.end()
    clause = before[cut:]
    m = _RESPECTIVELY.search(clause)
    if m is None or wording._pattern().search(clause, m.end()) is None:
        return None
    subject = clause[: m.start()].strip()
    if _COMPARED.search(subject):  # 增幅比1-3月、1-4月分别提高…: the items are what it is compared with, not names
        return None
    return re.sub(r"^其中", "", subject).strip() or None


def item_names(subject: str) -> list[str]:
    """The names of the items of ``subject`` (``A、B、C零售额`` → A零售额, B零售额, C零售额)."""
    items = [i.strip() for i in subject.split("、") if i.strip()]
    if len(items) < 2:
        return items
    last = re.sub(r"(?:同比|环比)$", "", items[-1])
    end = items[0][-1]
    shared = ""
    for i, ch in enumerate(last):
        if ch == end and 1 <= i and len(last) - i - 1 >= 2:
            shared = last[i + 1 :]
            break
    names = [item if not shared or item.endswith(shared) else item + shared for item in items[:-1]]
    return [*names, last]


def apply(rows: list[dict], text: str) -> None:
    """Name each figure of a 分别 list (rows in text order) by its item."""
    i = 0
    while i < len(rows):
        subject = _subject(text, rows[i]["char_start"])
        if subject is None:
            i += 1
            continue
        group = [rows[i]]
        while i + len(group) < len(rows):
            prev, nxt = group[-1], rows[i + len(group)]
            if wording._LIST_ITEM.match(text[prev["char_end"] : nxt["char_start"]]) is None:
                break
            group.append(nxt)
        names = item_names(subject)
        if len(group) > 1 and len(names) == len(group):
            for row, name in zip(group, names, strict=True):
                row["indicator_zh"] = name
                if row["indicator_en"].startswith("TO TRANSLATE"):
                    row["indicator_en"] = f"TO TRANSLATE: {name}"
        i += len(group)
