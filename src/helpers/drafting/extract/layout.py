"""Layout: reading a report file, its paragraphs, rejoining lines cut mid-sentence, stepping over photo captions,
and the section headings."""

from __future__ import annotations

import os
import re
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

from helpers.core import files
from helpers.drafting.extract.rows import ExtractError

_SENTENCE_END = re.compile(r"[。！？!?]")
_WORD_BREAK = re.compile(r"[，。；：！？,;:!?、\n]")
#: Terminal punctuation: a paragraph ending in one of these is complete.
_TERMINALS = frozenset("。！？；…!?;:：”」』）)】\"'")
#: A numbered heading: 一、… or （一）… or 第一部分 … on a short line of its own.
_NUMBERED_HEADING = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]{1,3}[部章节])"
)
_NUMBERED_HEADING_MAX = 30
_NUMBERED_HEADING_FIRST = frozenset("一二三四五六七八九十（(第")


def read_report(path: str | os.PathLike[str]) -> str:
    """The text of a report file, decoded as strict UTF-8 with newlines untouched.

    Raises :class:`ExtractError` naming the file (and the byte offset of the
    first byte that is not UTF-8).
    """
    p = Path(path)
    try:
        data = files.read_regular(p)
    except FileNotFoundError:
        raise ExtractError(f"{p}: no such file") from None
    except files.NotRegularFile as exc:
        raise ExtractError(str(exc)) from None
    except OSError as exc:
        raise ExtractError(f"{p}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 4].hex(" ")
        raise ExtractError(f"{p}: not UTF-8 text: byte offset {exc.start} (bytes {bad}): {exc.reason}") from None


class Para(NamedTuple):
    start: int  # offsets of the stripped line in the original text
    end: int
    blank_before: bool
    blank_after: bool


#: A line's content: first to last non-space character (no newline inside; linear: the only
#: backtracking is over a line's trailing spaces, once).
_LINE_CONTENT = re.compile(r"[^\s](?:[^\n]*[^\s])?")


def paragraphs(text: str) -> list[Para]:
    """Non-blank lines, stripped, with whether a blank line (or the text's edge) is before/after each."""
    spans = list(map(re.Match.span, _LINE_CONTENT.finditer(text)))
    if not spans:
        return []
    starts, ends = zip(*spans)
    # a blank line between two paragraphs means at least two newlines between them (counted in C, per gap)
    gaps = [True, *map((2).__le__, map(text.count, repeat("\n"), ends, starts[1:])), True]
    return list(map(tuple.__new__, repeat(Para), zip(starts, ends, gaps, gaps[1:])))


_CAPTION_MAX = 24
_HEADING_MAX = 24


def _is_caption(text: str, p: Para) -> bool:
    """A short line standing alone between blank lines, with at most a closing mark."""
    if p.end - p.start > _CAPTION_MAX or not (p.blank_before and p.blank_after):
        return False
    body = text[p.start : p.end - 1] if text[p.end - 1] in _TERMINALS else text[p.start : p.end]
    return _WORD_BREAK.search(body) is None


def _is_open(text: str, p: Para) -> bool:
    """A body paragraph that stops mid-sentence."""
    last = text[p.end - 1]
    if last in _TERMINALS:
        return False
    if last in "，、,":
        return True
    return p.end - p.start >= 30 or _SENTENCE_END.search(text, p.start, p.end) is not None


_LOOKAHEAD_PARAS = 8


def reading_units(text: str, paras: list[Para]) -> list[list[int]]:
    """Reading units: lists of paragraph indices read as one text, in reading order."""
    consumed = bytearray(len(paras))
    units: list[list[int]] = []
    for i in range(len(paras)):
        if consumed[i]:
            continue
        unit = [i]
        last = i
        # (_is_open's first test, made here first: most paragraphs end complete, and the call is saved)
        while text[paras[last].end - 1] not in _TERMINALS and _is_open(text, paras[last]):
            nxt = _continuation(text, paras, last, consumed)
            if nxt is None:
                break
            consumed[nxt] = 1
            unit.append(nxt)
            last = nxt
        units.append(unit)
    return units


def _continuation(text: str, paras: list[Para], i: int, consumed: bytearray) -> int | None:
    prev_caption = False
    for k in range(i + 1, min(len(paras), i + 1 + _LOOKAHEAD_PARAS)):
        if consumed[k]:
            continue
        p = paras[k]
        if _is_caption(text, p):
            prev_caption = True
            continue
        boxed = (
            prev_caption and k + 1 < len(paras) and _is_caption(text, paras[k + 1]) and text[p.end - 1] in _TERMINALS
        )
        if boxed:  # a complete paragraph laid out between photo captions
            prev_caption = False
            continue
        return k
    return None


def headings(text: str, paras: list[Para]) -> list[int]:
    """Start offsets of the section headings, in order: a draft row's section is the number of headings before it.

    Two kinds: a two-line heading (a short title on one line, its subtitle on the next, standing apart), and a
    numbered heading on a short line of its own (一、…, （一）…, 第一部分…) with no closing punctuation.
    """
    starts = []
    for k in range(len(paras)):
        a = paras[k]
        length = a.end - a.start
        # the line is copied only when it is short enough to be a heading and starts like one
        if length <= _NUMBERED_HEADING_MAX and text[a.start] in _NUMBERED_HEADING_FIRST:
            first = text[a.start : a.end]
            if _NUMBERED_HEADING.match(first) and first[-1] not in _TERMINALS and "。" not in first:
                starts.append(a.start)
                continue
        if k + 1 >= len(paras):
            break
        b = paras[k + 1]
        if a.blank_after or not a.blank_before:
            continue
        if length > 12 or b.end - b.start > _HEADING_MAX:
            continue
        lines = text[a.start : a.end] + text[b.start : b.end]
        if _WORD_BREAK.search(lines) or any(c in lines for c in " \u3000") or "记者" in lines:
            continue
        if k + 2 < len(paras) and not paras[k + 2].blank_before:
            continue  # three short lines in a row: a byline or list, not a heading
        starts.append(a.start)
    return starts
