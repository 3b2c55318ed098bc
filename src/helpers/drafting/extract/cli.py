"""The command line: ``python -m helpers extract REPORT.txt [-o OUT.csv] [--non-figures NF.csv]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.core.files import atomic_write
from helpers.drafting.extract.layout import read_report
from helpers.drafting.extract.rows import ExtractError, figures_frame, non_figures_frame
from helpers.drafting.extract.scanner import no_gc, scan

if TYPE_CHECKING:
    import pandas as pd


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``extract`` subcommand."""
    p = subparsers.add_parser(
        "extract",
        help="draft a figures table (figures.csv schema) from a report's text",
        description=(
            "Read a UTF-8 report and write one draft row per printed figure, in the schema of "
            "data/figures.csv plus the columns printed, value_high and guess. Offsets are code "
            "points into the file as it is. Section, topic, indicator and measure are guesses."
        ),
    )
    p.add_argument("report", metavar="REPORT.txt", help="the report's text (UTF-8)")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT.csv",
        help="write the draft here (default: standard output); refuses to overwrite without --force",
    )
    p.add_argument(
        "--year",
        type=int,
        default=2022,
        help="the year the report describes; dates periods such as 1-11月份 (default: %(default)s)",
    )
    p.add_argument(
        "--non-figures",
        metavar="OUT2.csv",
        help="also write the numeric tokens that are not figures (years, period markers, names) here",
    )
    p.add_argument(
        "--chinese-numerals",
        action="store_true",
        help="also draft quantities written in Chinese numerals (三大, 十余家)",
    )
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.set_defaults(func=_cli)


def _cli(args: argparse.Namespace) -> int:
    try:
        outputs = [Path(x) for x in (args.output, args.non_figures) if x]
        if args.output and args.non_figures and Path(args.output).resolve() == Path(args.non_figures).resolve():
            raise ExtractError("-o and --non-figures name the same file")
        if not args.force:
            for out in outputs:
                if out.exists():
                    raise ExtractError(f"{out} exists; pass --force to overwrite it")
        text = read_report(args.report)
        with no_gc():
            scanner = scan(text, args.year, args.chinese_numerals)
            figures = figures_frame(scanner.figures)
        draft_csv = _to_csv(figures)
        if args.output:
            _write_atomic(Path(args.output), draft_csv, args.force)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(draft_csv.encode("utf-8"))
            sys.stdout.buffer.flush()
        if args.non_figures:
            _write_atomic(
                Path(args.non_figures), _to_csv(non_figures_frame(scanner.non_figures, scanner.figures)), args.force
            )
    except ExtractError as exc:
        print(f"extract: error: {exc}", file=sys.stderr)
        return 1
    where = args.output or "standard output"
    note = f"; {len(scanner.non_figures)} non-figures to {args.non_figures}" if args.non_figures else ""
    print(f"extract: {len(scanner.figures)} draft figures to {where}{note}", file=sys.stderr)
    return 0


def _format_base(x: float) -> str:
    if x != x:
        return ""
    if x.is_integer() and abs(x) < 1e18:
        return str(int(x))
    return repr(x)


def _to_csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    if "rounded" in out.columns:
        out["rounded"] = out["rounded"].map({True: "true", False: "false"})
    if "base_value" in out.columns:
        out["base_value"] = out["base_value"].map(_format_base)
    return out.to_csv(index=False, lineterminator="\n")


def _write_atomic(path: Path, content: str, force: bool) -> None:
    """:func:`helpers.core.files.atomic_write` (fsynced: a draft is a file a user keeps), its errors as
    :class:`ExtractError`; without ``force`` an existing file, even one that appears meanwhile, is refused."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ExtractError(f"{path}: directory {directory} does not exist")
    try:
        atomic_write(path, content, overwrite=force, fsync=True)
    except FileExistsError:
        raise ExtractError(f"{path} exists; pass --force to overwrite it") from None
    except OSError as exc:
        raise ExtractError(f"{path}: cannot write: {exc.strerror or exc}") from None
