"""The scanner: reads each reading unit once, left to right, and produces the draft's rows (typed records).

It is composed of parts, plain functions over one shared, typed state (:class:`~.reading.Reading`):
``tokens.read_number`` reads a number and what is printed around it (with ``unitscan`` for units and ``scope``
for period markers), ``scope.period_event`` a period word or 预计, ``numerals.cn_figure`` a run of Chinese
numerals.  A part calls another as a module function (no method lookup on the per-figure path).

:func:`scan` checks the input and runs a Scanner; :func:`no_gc` pauses the garbage collector around a scan and
the frames built from it (the package's functions and the command line both use the pair).
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from helpers.drafting.extract import lexicon as lx
from helpers.drafting.extract.layout import headings, paragraphs, reading_units
from helpers.drafting.extract.numerals import CN_NUMERAL, cn_figure
from helpers.drafting.extract.reading import Reading
from helpers.drafting.extract.rows import ExtractError
from helpers.drafting.extract.scope import period_event
from helpers.drafting.extract.tokens import NUM, read_number


class Scanner(Reading):
    """One pass over a text: ``figures`` (DraftRow, sorted by char_start) and ``non_figures`` (NonFigure)."""

    #: Reads the number whose first digit run is s[a:b]; returns where scanning resumes.
    _number = read_number

    def run(self) -> None:
        text = self.text
        paras = paragraphs(text)
        heads = headings(text, paras)
        search = NUM.search
        for unit in reading_units(text, paras):
            if len(unit) == 1:
                p = paras[unit[0]]
                first = search(text, p.start, p.end)
                if first is None and not self.chinese_numerals:
                    continue  # nothing to read: a heading, a caption
                # the digits are read from the first number on (the text before it was just searched)
                skip = first.start() - p.start if first is not None else p.end - p.start
                self._scan_unit([(p.start, p.end)], heads, skip)
            else:
                self._scan_unit([(paras[k].start, paras[k].end) for k in unit], heads)
        self.non_figures.sort(key=lambda r: r.char_start)

    def _scan_unit(self, pieces: list[tuple[int, int]], heads: list[int], first: int = 0) -> None:
        """Read one reading unit (its pieces joined); ``first``: where its first digit may be (a lower bound)."""
        self.start_unit(pieces, bisect.bisect_right(heads, pieces[0][0]))
        s = self.s
        # period words and 预计 (and, when asked, Chinese numerals: word None), read in text order with the digits
        events: list[tuple[int, int, str | None]] = [(m.start(), m.end(), m.group()) for m in lx.EVENT.finditer(s)]
        if self.chinese_numerals:
            events += [(m.start(), m.end(), None) for m in CN_NUMERAL.finditer(s)]
            events.sort(key=_event_order)
        ev, nev = 0, len(events)
        next_event = events[0][0] if events else self.n  # where the next event starts
        consumed = 0
        number = self._number
        for m in NUM.finditer(s, first):
            a, b = m.span()
            if a < consumed:
                continue
            if next_event < a:
                while ev < nev and events[ev][0] < a:
                    start, end, word = events[ev]
                    if word is None:  # a run of Chinese numerals
                        cn_figure(self, start, end)
                    else:  # a period word or 预计
                        period_event(self, start, end, word)
                    ev += 1
                next_event = events[ev][0] if ev < nev else self.n
            consumed = number(a, b)
        for start, end, word in events[ev:]:
            if word is None:
                cn_figure(self, start, end)
            else:
                period_event(self, start, end, word)


def _event_order(event: tuple[int, int, str | None]) -> tuple[int, int, str]:
    """Events in text order (a word before a numeral run at the same span, as tuples compare)."""
    return event[0], event[1], event[2] or ""


def check_input(text: object, year: object) -> None:
    """Raise :class:`ExtractError` unless ``text`` is a str and ``year`` an integer year (1 to 9999)."""
    if not isinstance(text, str):
        raise ExtractError(f"text must be a str, got {type(text).__name__}; read files with read_report(path)")
    if not isinstance(year, int) or isinstance(year, bool) or not 1 <= year <= 9999:
        raise ExtractError(f"year must be an integer from 1 to 9999, got {year!r}")


def scan(text: str, year: int, chinese_numerals: bool, keep_non_figures: bool = True) -> Scanner:
    """Run the scanner (callers pause the garbage collector around this and the frame building)."""
    check_input(text, year)
    scanner = Scanner(text, year, chinese_numerals, keep_non_figures)
    scanner.run()
    return scanner


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the scan allocates many small acyclic objects
    (rows, strings) and collector passes over them only cost time (about 20% on 10 MB).  One
    pause covers the scan and the DataFrame: the young objects are then looked at once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
