"""The ``run`` command line: its options, the notebook parameters it is given, and the settings they make.

Owns the argparse parser of ``python -m helpers run`` (:func:`add_parser`), reading parameters as papermill
does (:func:`parse_value`, :func:`collect_parameters`, a parameters file) and checking them before anything
runs, and turning the parsed command line into the run's one :class:`~helpers.build.settings.Settings`
(:func:`settings_from`); every mistake is a :class:`~helpers.build.settings.UsageError`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from helpers.build import settings
from helpers.build.settings import NOTEBOOK_GLOB, Settings, Timeouts, UsageError
from helpers.core.langs import LANGS, LanguageError, check_lang


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the ``run`` subcommand's parser to ``sub`` (``add_subparsers()``'s result) and return it."""
    p = sub.add_parser(
        "run",
        help="execute the notebooks, render the site and write derived.csv and checks.csv",
        description=_paragraphs(
            "Execute every notebook with papermill once per language (--langs), in parallel, into "
            "OUT/notebooks/LANG/ (metadata cleaned); render OUT/site/ from the first language's notebooks; "
            "write OUT/derived.csv and OUT/checks.csv computed with the same parameters. Parameter names and "
            "values are checked before anything runs. Everything is built in a staging folder and published "
            "together; one run at a time holds OUT (a file lock).",
            "A notebook whose inputs (the notebook, the data package, the helpers source, the parameters, "
            "requirements.lock) did not change since it last executed is not executed again (--force "
            "executes all); a run with nothing changed does nothing.",
            "A failing notebook does not stop the others: the command then exits 1 naming the notebook, "
            "the cell (its source and last output) and the error, leaves the published output as it was and "
            "puts this run's notebooks and tables in OUT/failed/.",
            "Exit codes: 0 success; 1 a notebook, a table or the site failed; 2 bad options or parameters; "
            "3 another run holds OUT.",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_paragraphs(
            "Parameters: --parameters-file first, then each -p, then --data-dir. A relative data_dir is "
            "made absolute against the current directory before it is passed on. -p lang X is --langs X.",
        )
        + "\n\nexamples:\n"
        "  python -m helpers run                           # make report\n"
        "  python -m helpers run --langs en --out build/en\n"
        "  python -m helpers run --refresh                 # make notebooks",
    )
    p.add_argument(
        "--notebooks",
        nargs="+",
        metavar="PATH",
        type=Path,
        help=f"notebooks to execute, or folders to take {NOTEBOOK_GLOB} from "
        f"(default: notebooks/{NOTEBOOK_GLOB} in the repository)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("build"),
        metavar="DIR",
        help="build folder for notebooks/, site/, derived.csv and checks.csv (default: %(default)s)",
    )
    p.add_argument(
        "--langs",
        type=_langs,
        default=None,
        metavar="LIST",
        help="languages to execute every notebook in, comma-separated; the site is rendered from "
        "the first (default: zh,en)",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="notebooks executed at once, one worker process each (default: one per core)",
    )
    p.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        dest="parameters",
        help="set a notebook parameter; VALUE is read as a YAML scalar like papermill's -p/-y "
        "(6.7 is a number, en a string, '\"6.7\"' a string); repeatable. "
        "Known: " + ", ".join(_known_parameters()),
    )
    p.add_argument(
        "-f", "--parameters-file", type=Path, metavar="FILE", help="YAML file mapping parameter names to values"
    )
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="data package folder passed as data_dir, made absolute (default: the notebooks' own ../data)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="execute every notebook, even those whose inputs did not change since their last run",
    )
    p.add_argument(
        "--timeout",
        type=_positive_int,
        default=Timeouts.timeout,
        metavar="SECONDS",
        help="fail a cell that runs longer than this (default: %(default)s)",
    )
    p.add_argument(
        "--start-timeout",
        type=_positive_int,
        default=Timeouts.start_timeout,
        metavar="SECONDS",
        help="fail a notebook whose kernel has not started after this (default: %(default)s)",
    )
    p.add_argument(
        "--worker-timeout",
        type=_positive_int,
        default=Timeouts.worker_timeout,
        metavar="SECONDS",
        help="kill a notebook's worker (and its kernel) that has not finished after this (default: %(default)s)",
    )
    p.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="execute every notebook in a kernel of its own, started for it, instead of a worker's warm "
        "kernel reset between notebooks (slower; the outputs are the same)",
    )
    p.add_argument(
        "--wait",
        type=_positive_int,
        nargs="?",
        const=600,
        default=None,
        metavar="SECONDS",
        help="when another run holds OUT, wait for it up to SECONDS (default when given: 600) "
        "instead of failing at once",
    )
    p.add_argument(
        "--refresh",
        action="store_true",
        help="re-execute the committed notebooks with their default parameters and write each "
        "back in place, cleaned, only if it executed without error; no site, no tables "
        "(make notebooks)",
    )
    return p


def _paragraphs(*texts: str, width: int = 88) -> str:
    import textwrap

    return "\n\n".join(textwrap.fill(t, width) for t in texts)


def _known_parameters() -> list[str]:
    from helpers.reader.params import DEFAULTS

    return list(DEFAULTS)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _langs(text: str) -> tuple[str, ...]:
    langs = tuple(t.strip() for t in text.split(",") if t.strip())
    bad = [t for t in langs if t not in LANGS]
    if not langs or bad or len(set(langs)) != len(langs):
        raise argparse.ArgumentTypeError(f"expected distinct languages among {', '.join(LANGS)}, got {text!r}")
    return langs


def settings_from(args: argparse.Namespace) -> Settings:
    """The run's settings from its parsed command line; :class:`UsageError` for anything that cannot run.

    Parameters come from ``--parameters-file``, then each ``-p``, then ``--data-dir``; ``--refresh`` takes
    none; ``-p lang X`` is ``--langs X``.
    """
    notebooks = settings.find_notebooks(args.notebooks) if args.notebooks or args.refresh else None
    parameters = collect_parameters(args.parameters, args.parameters_file, args.data_dir)
    if args.refresh and parameters:
        raise UsageError(
            f"--refresh runs the notebooks with their default parameters; drop {', '.join(sorted(parameters))}"
        )
    langs = args.langs or LANGS
    if "lang" in parameters:
        if args.langs and tuple(args.langs) != (parameters["lang"],):
            raise UsageError(f"-p lang {parameters['lang']} and --langs {','.join(args.langs)} disagree")
        try:
            langs = (check_lang(str(parameters.pop("lang")), "parameter lang"),)
        except LanguageError as e:
            raise UsageError(str(e)) from None
    resolved = settings.resolve(
        out=args.out,
        notebooks=notebooks,
        parameters=parameters,
        langs=langs,
        jobs=args.jobs,
        timeouts=Timeouts(timeout=args.timeout, start_timeout=args.start_timeout, worker_timeout=args.worker_timeout),
        force=args.force,
        refresh=args.refresh,
        wait=args.wait,
    )
    return replace(resolved, fresh_kernels=args.fresh_kernels)


def parse_value(name: str, text: str) -> object:
    """A ``-p`` value as papermill reads it: a YAML scalar (number, bool, null or string)."""
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise UsageError(f"parameter {name}: {text!r} is not a YAML value ({e.problem})") from None
    if isinstance(value, (dict, list)):
        raise UsageError(f"parameter {name}: expected a single value, got {type(value).__name__} {text!r}")
    return value


def collect_parameters(
    pairs: Sequence[Sequence[str]] = (),
    parameters_file: Path | None = None,
    data_dir: str | None = None,
) -> dict[str, object]:
    """The parameters to pass, from the file, then ``-p`` pairs, then ``--data-dir``; names checked.

    An unknown name raises :class:`UsageError` naming it (and the file it came
    from); ``city_dir`` is made absolute against the current directory (``data_dir`` is, with the rest of
    the run's settings, by :func:`helpers.build.settings.resolve`).
    """
    from helpers.reader.params import DEFAULTS

    params: dict[str, object] = {}
    if parameters_file is not None:
        params.update(_read_parameters_file(Path(parameters_file), DEFAULTS))
    for name, text in pairs:
        if name not in DEFAULTS:
            raise UsageError(f"unknown parameter {name!r} (-p {name} ...); known: {', '.join(DEFAULTS)}")
        params[name] = parse_value(name, text)
    if data_dir is not None:
        params["data_dir"] = data_dir
    if "data_dir" in params:
        if not isinstance(params["data_dir"], (str, Path)) or not str(params["data_dir"]):
            raise UsageError(f"parameter data_dir: expected a folder path, got {params['data_dir']!r}")
        params["data_dir"] = str(params["data_dir"])  # made absolute with the run's settings (settings.resolve)
    if params.get("city_dir"):  # a folder given on the command line is read from where the command runs
        params["city_dir"] = str(Path(str(params["city_dir"])).resolve())
    return params


def _read_parameters_file(path: Path, known: dict[str, object]) -> dict[str, object]:
    import yaml

    from helpers.core.files import read_regular

    try:
        raw = read_regular(path)
    except OSError as e:
        raise UsageError(f"parameters file {path}: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UsageError(f"parameters file {path}: not UTF-8 (byte 0x{raw[e.start]:02x} at byte {e.start})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise UsageError(f"parameters file {path}{where}: not valid YAML ({getattr(e, 'problem', e)})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(
            f"parameters file {path}: expected a mapping of parameter names to values, got {type(data).__name__}"
        )
    for name, value in data.items():
        if name not in known:
            raise UsageError(f"parameters file {path}: unknown parameter {name!r}; known: {', '.join(known)}")
        if isinstance(value, (dict, list)):
            raise UsageError(
                f"parameters file {path}: parameter {name}: expected a single value, got {type(value).__name__}"
            )
    return dict(data)
