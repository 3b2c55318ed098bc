"""The run's two modes: :func:`build` (``make report``) and :func:`refresh` (``make notebooks``), and their report.

Owns what each mode does with the workers' results: :func:`build` plans the executions and their keys
(:func:`plan`), takes unchanged notebooks from the cache, executes the rest, cleans them, computes the tables
meanwhile, renders the site and publishes all together, or keeps a failed run's output aside;
:func:`refresh` writes each committed notebook that executed without error back in place, cleaned.  Both
report what failed as one list of :class:`Failure` records, printed by :func:`report`.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers.build.cache import helpers_digest, job_key, lock_digest, package_digest, tables_key
from helpers.build.clean import clean_file, notebook_bytes, quiet_imports
from helpers.build.publish import (
    CACHE_NAME,
    FAILED_NAME,
    OUTPUTS,
    keep_failed,
    new_stage,
    publish_run,
    read_state,
    remove,
)
from helpers.build.settings import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Settings
from helpers.build.workers import Job, Result, execute_all, say
from helpers.core import paths
from helpers.core.files import atomic_write, largest_first, read_regular, shown

#: UTF-8's byte-order mark: Excel on Windows reads a CSV's Chinese only with it.
BOM = "\ufeff".encode()


@dataclass(frozen=True)
class Failure:
    """One thing a run could not do: a line naming it and what went wrong, and lines of detail under it
    (the failing cell's source and last output)."""

    line: str
    details: tuple[str, ...] = ()

    @classmethod
    def of(cls, result: Result) -> Failure:
        return cls(result.describe(), tuple(result.details()))


def report(failures: Sequence[Failure]) -> None:
    """The failures on stderr: how many, then each line with its details indented under it."""
    print(f"{len(failures)} failure(s):", file=sys.stderr)
    for failure in failures:
        print(f"  {failure.line}", file=sys.stderr)
        for extra in failure.details:
            print(f"    {extra}", file=sys.stderr)


@dataclass(frozen=True)
class Plan:
    """A build's executions, one :class:`~helpers.build.workers.Job` per (language, notebook), and every key
    of the run by name (``zh/01_x.ipynb`` for each job, ``tables`` for the CSVs)."""

    jobs: tuple[Job, ...]
    keys: dict[str, str]


def plan(settings: Settings, stage: Path) -> Plan:
    """The executions of a build into ``stage``, with their content keys (:mod:`helpers.build.cache`)."""
    helpers, lock, package = helpers_digest(), lock_digest(), package_digest(settings.data_dir)
    jobs: list[Job] = []
    keys: dict[str, str] = {}
    for lang in settings.langs:
        for nb in settings.notebooks:
            params = {**settings.parameters, "lang": lang}
            key = job_key(nb, params, package, helpers, lock)
            job = Job(nb, stage / "notebooks" / lang / nb.name, params, lang, key)
            jobs.append(job)
            keys[job.label] = key
    keys["tables"] = tables_key(settings.site_parameters, package, helpers, lock)
    return Plan(tuple(jobs), keys)


def build(settings: Settings) -> int:
    """Execute (what changed), clean, render, tabulate and publish together; the exit code of ``run``.

    The caller holds OUT's lock (:func:`helpers.build.publish.output_lock`).
    """
    out = settings.out
    started = time.perf_counter()
    stage = new_stage(out)
    todo = plan(settings, stage)
    state = read_state(out)
    if not settings.force and state.get("keys") == todo.keys and all((out / name).exists() for name in OUTPUTS):
        print(
            f"nothing changed since the run of {state.get('finished', '?')}: {shown(out)} is up to date "
            f"({len(todo.jobs)} notebooks, {time.perf_counter() - started:.2f} s)"
        )
        return EXIT_OK

    (out / CACHE_NAME).mkdir(exist_ok=True)
    stage.mkdir()
    try:
        return _build(settings, todo, stage, state, started)
    finally:
        remove(stage)


def _checked(settings: Settings, found: dict[str, Any]) -> bool:
    """Whether the package may be built (:func:`refused` says why not); its site language's context, for the
    tables, in ``found["ctx"]``.  Runs while the workers start their kernels."""
    from helpers.core.package import PackageError
    from helpers.reader.params import ParameterError, setup

    if refused(settings.data_dir):
        return False
    quiet_imports()
    try:
        found["ctx"] = setup(**settings.site_parameters)
    except (ParameterError, PackageError) as e:
        print(f"python -m helpers run: error: {e}", file=sys.stderr)
        return False
    say_not_computed(found["ctx"])
    return True


def _build(settings: Settings, todo: Plan, stage: Path, state: dict[str, Any], started: float) -> int:
    """:func:`build` once it has work to do: the package is checked (:func:`_checked`) while the workers start
    their kernels, and nothing is executed, rendered or published when it is refused."""
    out, cache = settings.out, settings.out / CACHE_NAME
    found: dict[str, Any] = {}
    failures: list[Failure] = []
    results: dict[str, Result] = {}
    to_run = []
    for job in todo.jobs:
        cached = cache / f"{job.key}.ipynb"
        if not settings.force and cached.is_file():
            job.output.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, job.output)
            results[job.label] = Result(job.source, job.output, 0.0, lang=job.lang, cached=True)
        else:
            to_run.append(job)
    print(
        f"{len(to_run)} of {len(todo.jobs)} notebook executions needed "
        f"({len(todo.jobs) - len(to_run)} unchanged, taken from {shown(cache)})",
        flush=True,
    )

    tables_same = (
        not settings.force
        and state.get("keys", {}).get("tables") == todo.keys["tables"]
        and all((out / f"{name}.csv").is_file() for name in ("derived", "checks"))
    )

    def while_running() -> None:
        """While the notebooks execute: the tables, then the site's imports (:func:`helpers.build.siteprep.prepare`)."""
        tables()
        from helpers.build import siteprep

        siteprep.prepare(cache / "site", settings.langs)

    def tables() -> None:
        """The CSV tables: the published ones when their inputs did not change, else computed here."""
        ctx = found["ctx"]
        try:  # the package's figures as readers download them: its own bytes, with a byte-order mark for Excel
            raw = read_regular(Path(ctx.data_dir) / "figures.csv")
            atomic_write(stage / "figures.csv", raw if raw.startswith(BOM) else BOM + raw)
        except Exception as e:
            failures.append(Failure(f"figures.csv: cannot copy the package's figures: {type(e).__name__}: {e}"))
            say(f"FAILED {failures[-1].line}")
        for name, frame in (("derived", "derived_frame"), ("checks", "checks_frame")):
            target = stage / f"{name}.csv"
            try:
                if tables_same:
                    shutil.copyfile(out / f"{name}.csv", target)
                else:
                    write_table(ctx, frame, target)
            except Exception as e:
                failures.append(Failure(f"{name}.csv: helpers.reader.tables.{frame} failed: {type(e).__name__}: {e}"))
                say(f"FAILED {failures[-1].line}")

    by_output = {job.output: job for job in to_run}

    def done(result: Result) -> None:
        job = by_output[result.output]
        nb = clean_file(result.output)
        results[job.label] = result
        if not result.ok:
            failures.append(Failure.of(result))
            say(f"FAILED {result.describe()}")
        elif nb is not None:
            atomic_write(cache / f"{job.key}.ipynb", result.output.read_bytes())

    workers = max(1, min(settings.jobs, len(to_run)))
    to_run = largest_first(to_run, lambda job: job.source)  # the longest first: the workers finish together
    if to_run:
        execute_all(
            to_run,
            workers=workers,
            timeouts=settings.timeouts,
            on_done=done,
            while_running=while_running,
            fresh_kernels=settings.fresh_kernels,
            gate=lambda: _checked(settings, found),
        )
        if "ctx" not in found:
            return EXIT_USAGE
    elif _checked(settings, found):
        tables()
    else:
        return EXIT_USAGE
    if not failures:
        executed = {
            lang: [stage / "notebooks" / lang / nb.name for nb in settings.notebooks] for lang in settings.langs
        }
        (stage / "site").mkdir()
        try:
            _render_site(
                executed,
                stage / "site",
                work_dir=cache / "site",
                downloads=[stage / "derived.csv", stage / "checks.csv", stage / "figures.csv"],
                parameters=shown_parameters(settings.site_parameters),
            )
        except Exception as e:
            failures.append(Failure(f"site: rendering failed: {type(e).__name__}: {e}"))
    n_ok = sum(r.ok for r in results.values())
    elapsed = time.perf_counter() - started
    if failures:
        failed = keep_failed(stage, out)
        print(f"{n_ok} of {len(todo.jobs)} notebooks ok in {elapsed:.1f} s with {workers} worker(s)")
        report(failures)
        kept = (
            f"this run's notebooks and tables are in {shown(failed)}"
            if failed
            else "this run's output was removed: the disk holding it is nearly full"
        )
        print(f"the published output in {shown(out)} was left as it was; {kept}", file=sys.stderr)
        return EXIT_FAILED
    publish_run(stage, out, todo.keys)
    remove(out / FAILED_NAME)  # stale: this run succeeded
    print(
        f"{n_ok} of {len(todo.jobs)} notebooks ok ({len(to_run)} executed) in {elapsed:.1f} s with {workers} worker(s)"
    )
    print(
        f"site: {shown(out / 'site' / 'index.html')}; notebooks: {shown(out / 'notebooks')}; tables: "
        f"{shown(out / 'derived.csv')}, {shown(out / 'checks.csv')}, {shown(out / 'figures.csv')}"
    )
    return EXIT_OK


def refused(data_dir: Path) -> bool:
    """Whether the package fails :func:`helpers.build.verdict.verdict` (what ``helpers validate`` refuses); if so,
    every problem is printed, before anything is executed or written."""
    from helpers.build.verdict import refusal, verdict

    errors = verdict(data_dir).errors
    if errors:
        print(f"python -m helpers run: error: {refusal(data_dir, errors)}", file=sys.stderr)
    return bool(errors)


def refresh(settings: Settings) -> int:
    """Re-execute the committed notebooks with default parameters; write back those that succeeded.

    Each executes into a staging folder of OUT; a successful one is cleaned and replaces its source
    (only if its bytes changed); a failed one leaves its source untouched and is kept in
    ``OUT/failed/notebooks/`` for inspection.
    """
    out = settings.out
    if refused(settings.data_dir):
        return EXIT_USAGE
    stage = new_stage(out)
    failures: list[Failure] = []
    changed: list[Path] = []

    def done(result: Result) -> None:
        nb = clean_file(result.output)
        if not result.ok or nb is None:
            line = result.describe() if not result.ok else f"{shown(result.source)}: unreadable output"
            failures.append(Failure(line, tuple(result.details())))
            say(f"FAILED {line}; {shown(result.source)} left as it was")
            return
        data = notebook_bytes(nb)
        if result.source.read_bytes() != data:
            atomic_write(result.source, data)
            changed.append(result.source)

    started = time.perf_counter()
    todo = [Job(nb, stage / "notebooks" / nb.name) for nb in settings.notebooks]
    try:
        results = execute_all(
            todo,
            workers=min(settings.jobs, len(todo)),
            timeouts=settings.timeouts,
            on_done=done,
            fresh_kernels=settings.fresh_kernels,
        )
        if failures:
            keep_failed(stage, out)
    finally:
        remove(stage)
    print(
        f"{sum(r.ok for r in results)} of {len(results)} notebooks refreshed in "
        f"{time.perf_counter() - started:.1f} s; {len(changed)} changed"
        + (f": {', '.join(shown(p) for p in changed)}" if changed else "")
    )
    if failures:
        report(failures)
        return EXIT_FAILED
    return EXIT_OK


def _render_site(
    executed: dict[str, list[Path]],
    dest: Path,
    *,
    work_dir: Path,
    downloads: Sequence[Path] = (),
    parameters: dict[str, object] | None = None,
) -> None:
    """Render the site into ``dest`` (an empty folder) from the executed notebooks: the one call to the site.

    :func:`helpers.build.site.render` writes ``dest/zh/``, ``dest/en/`` (the languages executed) and
    ``dest/index.html``; ``work_dir`` keeps Sphinx's state between runs, so unchanged pages are not
    rendered again.
    """
    from helpers.build import site

    say(f"site: rendering {', '.join(executed)}")
    site.render(
        executed,
        dest,
        work_dir=work_dir,
        downloads=list(downloads),
        parameters=parameters,
        progress=lambda lang: say(f"site: {lang} rendered"),
    )


def shown_parameters(parameters: dict[str, object]) -> dict[str, object]:
    """The run's parameters as each page's foot shows them: every known parameter but ``lang`` (the page's
    language says it), with paths inside the repository relative to it and others by their folder name, so
    that no machine path reaches a reader."""
    from helpers.reader.params import DEFAULTS, PACKAGE_DEFAULTS

    shown_params: dict[str, object] = {}
    for name, default in DEFAULTS.items():
        if name == "lang" or (name in PACKAGE_DEFAULTS and name not in parameters):
            continue  # the package's own (x_defaults) unless given: never this report's value for another package
        value = parameters.get(name, default)
        if name in ("data_dir", "city_dir", "report") and value:
            path = Path(str(value))
            if path.is_absolute():
                try:
                    value = str(path.resolve().relative_to(paths.REPO))
                except ValueError:
                    value = path.name
        shown_params[name] = value
    return shown_params


#: Why a relation is not computed, by the parameter it lacks (the run's output is in English).
LACKS = {
    "population": "the package states no population base (x_defaults.population in datapackage.json)",
    "fx_usd_cny": "the package states no exchange rate (x_defaults.fx_usd_cny in datapackage.json)",
}


def say_not_computed(ctx: Any) -> None:
    """One line per relation the pages list as not computed (its parameter has no value), with the reason: a
    relation is never dropped without a word."""
    from helpers.core import relations

    for s in relations.not_computed(ctx.package, ctx.relation_params):
        print(f"not computed: relation {s.id!r} ({s.label_en}): {LACKS.get(s.parameter, s.parameter)}", flush=True)


def write_table(ctx: Any, function: str, path: Path) -> None:
    """``helpers.reader.tables.<function>(ctx)`` as UTF-8 CSV with a byte-order mark at ``path`` (written atomically):
    Excel on Windows reads the Chinese labels only with the mark; Python reads it with ``encoding="utf-8-sig"``."""
    import importlib

    tables = importlib.import_module("helpers.reader.tables")
    frame = getattr(tables, function)(ctx)
    text = frame.to_csv(index=False, lineterminator="\n")
    atomic_write(path, ("\ufeff" + text).encode("utf-8"))
