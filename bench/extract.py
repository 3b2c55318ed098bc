"""Throughput of the figure extractor on a synthetic corpus built from the source article.

    .venv/bin/python bench/extract.py [--sizes 1 10] [--repeat 3] [--source PATH] [--no-memory] [--against REV]
                                      [--no-instructions]

The source article (``$REPORT_SOURCE``, default ``../shared/source/…`` beside the
checkout) is repeated until the corpus holds at least 1 MB and 10 MB of UTF-8
(MB = 10**6 bytes).  ``helpers.drafting.extract.extract_text`` runs end to end on each
corpus (layout, scan, DataFrame), the sizes in turn in each of ``--repeat`` rounds; the median gives the
throughput, the median of the rounds' 10 MB / 1 MB ratios the scaling (a shared host's speed changes from one
spell to the next; a round's two sizes share one), and a separate run under tracemalloc gives the peak memory.  The
script prints a Markdown section, ``## Extractor throughput``, with the
targets (>= 5 MB/s; the 10 MB corpus taking no more than 11x the time of the
1 MB one; peak memory at most 45x the input on any text, the densest being nothing but figures, one every 5
bytes: about 16x where a figure comes every 8 bytes, 2x on the article) and whether each is met.
It reports; it does not assert.  Without the
source it says so and exits 0.

``--against REV`` also times the extractor of git revision REV (its ``src/`` exported with ``git archive`` into a
temporary folder) on the same 1 MB corpus, alternately with this checkout's, each run in a fresh process: the
issue's "speed as before or better" on the host at hand, whatever that host's speed.  ``make bench`` passes
the last revision with the one-module extractor the issue measured (``BENCH_AGAINST`` in the Makefile).  Where
``valgrind`` is installed it also counts the machine instructions one extraction of that corpus executes in each
extractor (callgrind; a run with the extraction minus a run without it): a count that does not depend on how busy
or fast the host is, where CPU times on a shared machine can differ by half between two rounds.
``--no-instructions`` skips the count (it takes a few minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "source" / "000_2bd6ca4ad038a17f.txt"
MB = 10**6

#: The issue's targets.
MIN_THROUGHPUT = 5.0  # MB/s
MAX_SCALING = 11.0  # time(10 MB) / time(1 MB)
MAX_PEAK_RATIO = 45.0  # peak memory / input bytes, on any text (the densest: a figure every 5 bytes)

try:
    from helpers.drafting.extract import ExtractError, extract_text, read_report
except ImportError:  # run from a checkout without the package installed
    sys.path.insert(0, str(ROOT / "src"))
    from helpers.drafting.extract import ExtractError, extract_text, read_report


def corpus(text: str, size_mb: float) -> str:
    """``text`` repeated until it holds at least ``size_mb`` MB of UTF-8."""
    unit = len(text.encode("utf-8"))
    copies = max(1, -(-int(size_mb * MB) // unit))
    return text * copies


def run(texts: list[str], repeat: int) -> list[dict]:
    """Each text's median wall and CPU seconds over ``repeat`` runs, the texts taken in turn within each round (so
    every size is sampled across the same spells of a shared host's speed); ``walls`` keeps each round's time."""
    walls: list[list[float]] = [[] for _ in texts]
    cpus: list[list[float]] = [[] for _ in texts]
    figures = [0] * len(texts)
    for _ in range(repeat):
        for i, text in enumerate(texts):
            w0, c0 = time.perf_counter(), time.process_time()
            figures[i] = len(extract_text(text, year=2022))
            walls[i].append(time.perf_counter() - w0)
            cpus[i].append(time.process_time() - c0)
    return [
        {"wall": statistics.median(w), "cpu": statistics.median(c), "figures": f, "best": min(w), "walls": w}
        for w, c, f in zip(walls, cpus, figures)
    ]


def stages(text: str, repeat: int) -> dict[str, float]:
    """Best CPU seconds of each stage of ``extract_text``: layout (paragraphs, headings, reading units), the scan
    (tokens, units, scope, rows; it also rebuilds the layout, which is subtracted), and the DataFrame."""
    import gc

    from helpers.drafting.extract.layout import headings, paragraphs, reading_units
    from helpers.drafting.extract.rows import figures_frame
    from helpers.drafting.extract.scanner import Scanner

    best: dict[str, float] = {}
    for _ in range(repeat):
        gc.disable()
        try:
            c0 = time.process_time()
            paras = paragraphs(text)
            headings(text, paras)
            reading_units(text, paras)
            c1 = time.process_time()
            del paras
            scanner = Scanner(text, 2022, False, False)
            scanner.run()
            c2 = time.process_time()
            figures_frame(scanner.figures)
            c3 = time.process_time()
            del scanner
        finally:
            gc.enable()
        for name, value in (("layout", c1 - c0), ("scan", (c2 - c1) - (c1 - c0)), ("frame", c3 - c2)):
            best[name] = min(best.get(name, value), value)
    return best


def peak_memory(text: str) -> int:
    tracemalloc.start()
    try:
        extract_text(text, year=2022)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


#: Dense inputs of about 1 MB: a list of bare numbers, and figures back to back (every token a draft row).
DENSE = {
    "1,1,1,… (bare numbers)": lambda size: "1," * (size // 2),
    "增长1.5%，… (a figure every 8 bytes)": lambda size: "增长1.5%，" * (size // len("增长1.5%，".encode())),
    "3%，… (a figure every 5 bytes: nothing but figures)": lambda size: "3%，" * (size // len("3%，".encode())),
}


def dense_rows(size_mb: float = 1.0) -> list[tuple[str, float, int, float, float]]:
    """(name, MB, rows, seconds, peak MiB) for each dense input."""
    out = []
    for name, make in DENSE.items():
        body = make(int(size_mb * MB))
        nbytes = len(body.encode("utf-8"))
        t0 = time.perf_counter()
        rows = len(extract_text(body, year=2022))
        wall = time.perf_counter() - t0
        out.append((name, nbytes / MB, rows, wall, peak_memory(body) / 2**20))
    return out


#: One timing in a fresh process: argv is src folder, corpus file, repeat; prints JSON (best CPU s, figures).
_CHILD = """
import json, sys, time
src, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, src)
import helpers
if not helpers.__file__.startswith(src):
    sys.exit(f"helpers imported from {helpers.__file__}, not from {src}")
try:
    from helpers.drafting.extract import extract_text
except ModuleNotFoundError:  # a revision before the layers: helpers/extract
    from helpers.extract import extract_text
body = open(path, encoding="utf-8").read()
extract_text(body[:20000], year=2022)
best, figures = float("inf"), 0
for _ in range(repeat):
    c0 = time.process_time()
    figures = len(extract_text(body, year=2022))
    best = min(best, time.process_time() - c0)
print(json.dumps({"cpu": best, "figures": figures}))
"""

#: Seconds one timing process may take before it is stopped.
CHILD_TIMEOUT = 600


def export_src(rev: str, into: Path) -> tuple[Path, str]:
    """``src/`` of git revision ``rev`` written under ``into``; (that src folder, the revision's short hash)."""

    def git(*args: str, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(ROOT), *args], check=True, timeout=120, **kw)

    try:
        short = git("rev-parse", "--short", f"{rev}^{{commit}}", capture_output=True, text=True).stdout.strip()
        archive = git("archive", "--format=tar", short, "src", capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True, timeout=120)
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode() if isinstance(exc.stderr, bytes) else exc.stderr or ""
        raise SystemExit(f"--against {rev}: {' '.join(map(str, exc.cmd))} failed: {detail.strip()}") from exc
    return into / "src", short


def _child(src: Path, body: Path, repeat: int, what: str, prefix: tuple[str, ...] = (), env=None):
    """The timing child (warm-up, then ``repeat`` extractions of ``body`` by ``src``'s extractor) run in a new
    process (behind ``prefix``, e.g. valgrind); exits naming ``what`` failed when it does."""
    proc = subprocess.run(
        [*prefix, sys.executable, "-c", _CHILD, str(src), str(body), str(repeat)],
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        env=env,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{what} {src} failed (exit {proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return proc


def time_in_child(src: Path, body: Path, repeat: int) -> dict:
    """Best CPU seconds of ``repeat`` runs of ``src``'s extract_text on the corpus in file ``body``, in a new
    process."""
    return json.loads(_child(src, body, repeat, "timing").stdout.strip().splitlines()[-1])


_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)$", re.M)


def collected(stderr: str) -> int:
    """The instruction count callgrind printed at exit ("==PID== Collected : N")."""
    m = _COLLECTED.search(stderr)
    if m is None:
        raise SystemExit(f"callgrind printed no instruction count: {stderr.strip()[-2000:]}")
    return int(m.group(1))


def _callgrind(src: Path, body: Path, repeat: int) -> int:
    """Instructions of the timing child (warm-up, then ``repeat`` extractions) under callgrind."""
    # numpy's idle BLAS threads would add to the count, and string hashing's random seed would move it
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0"}
    prefix = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")
    return collected(_child(src, body, repeat, "counting (callgrind)", prefix, env).stderr)


def instructions_in_children(sources: dict[str, Path], body: Path) -> dict[str, int]:
    """Machine instructions of one run of each source's extract_text on the corpus in ``body``: a process that
    runs it once under callgrind minus one that does not (both import, read and warm up the same way); the
    processes run two at a time."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = {(name, n): pool.submit(_callgrind, src, body, n) for name, src in sources.items() for n in (0, 1)}
        return {name: jobs[name, 1].result() - jobs[name, 0].result() for name in sources}


def instruction_lines(sources: dict[str, Path], body: Path) -> list[str]:
    """Markdown lines: the instructions one extraction executes in each of ``sources`` (name -> src folder); the
    first is compared with the second."""
    if shutil.which("valgrind") is None:
        return ["Instructions: not counted (valgrind is not installed)."]
    counts = instructions_in_children(sources, body)
    names = list(counts)
    ratio = counts[names[0]] / counts[names[1]]
    lines = [
        "Machine instructions of one extraction of that corpus (callgrind; the same process with and without it):\n",
        "| extractor | instructions (millions) |",
        "|---|---:|",
        *(f"| {name} | {n / 1e6:,.0f} |" for name, n in counts.items()),
        "",
        "| target | measured | met |",
        "|---|---|---|",
        f"| no more instructions than {names[1]} | {ratio:.3f} x its count | {'yes' if ratio <= 1 else 'no'} |",
    ]
    return lines


def against(
    rev: str, source: Path, repeat: int, rounds: int = 3, size: float = 1.0, instructions: bool = True
) -> list[str]:
    """Markdown lines: this checkout's extractor and ``rev``'s, timed alternately (``rounds`` x ``repeat`` runs)."""
    here = ROOT / "src"
    with tempfile.TemporaryDirectory(prefix="bench-against-") as tmp:
        there, short = export_src(rev, Path(tmp))
        body = Path(tmp) / "corpus.txt"  # built once here, so both extractors read the same text
        text = corpus(read_report(source), size)
        body.write_text(text, encoding="utf-8")
        mb = len(text.encode("utf-8")) / MB
        times: dict[str, list[float]] = {"this checkout": [], short: []}
        figures: dict[str, int] = {}
        for _ in range(rounds):
            for name, src in (("this checkout", here), (short, there)):
                r = time_in_child(src, body, repeat)
                times[name].append(r["cpu"])
                figures[name] = r["figures"]
        counted = instruction_lines({"this checkout": here, short: there}, body) if instructions else []
    best = {name: min(ts) for name, ts in times.items()}
    lines = [
        f"The same {size:g} MB corpus through this checkout's extractor and through {rev}'s ({short}), alternately,"
        f" {rounds} rounds of {repeat} runs, each round in a fresh process; best CPU seconds of each round:\n",
        "| extractor | figures | CPU time per round (s) | best (s) | MB per CPU second |",
        "|---|---:|---|---:|---:|",
    ]
    for name, ts in times.items():
        lines.append(
            f"| {name} | {figures[name]:,} | {', '.join(f'{t:.3f}' for t in ts)} | {best[name]:.3f} | "
            f"{mb / best[name]:.2f} |"
        )
    ratio = best["this checkout"] / best[short]
    lines += [
        "",
        "| target | measured | met |",
        "|---|---|---|",
        f"| as fast as {short} or faster (best CPU time) | {ratio:.2f} x its time | {'yes' if ratio <= 1 else 'no'} |",
    ]
    return lines + ([""] + counted if counted else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10], help="corpus sizes in MB (default: 1 10)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds (one run of each size per round); the median counts (default: 3)"
    )
    parser.add_argument("--source", type=Path, default=Path(os.environ.get("REPORT_SOURCE") or DEFAULT_SOURCE))
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc run")
    parser.add_argument(
        "--no-instructions", action="store_true", help="with --against: skip the instruction count (callgrind)"
    )
    parser.add_argument(
        "--against", metavar="REV", help="also time git revision REV's extractor on the 1 MB corpus, alternately"
    )
    args = parser.parse_args(argv)

    print("## Extractor throughput\n")
    try:
        text = read_report(args.source)
    except ExtractError as exc:
        print(f"Not measured: the source article is not available ({exc}). Set REPORT_SOURCE to its path.")
        return 0

    extract_text(text)  # warm up: imports (pandas), compiled patterns, caches
    unit = len(text.encode("utf-8"))
    bodies = [corpus(text, size) for size in args.sizes]
    results = run(bodies, args.repeat)
    for r, size, body in zip(results, args.sizes, bodies):
        r["mb"] = len(body.encode("utf-8")) / MB
        r["size"] = size
        r["peak"] = float("nan") if args.no_memory else peak_memory(body) / 2**20
        r["stages"] = stages(body, args.repeat)
    del bodies, body

    load, busy = "", False
    if hasattr(os, "getloadavg"):
        busy = os.getloadavg()[0] > (os.cpu_count() or 1) * 0.75
        load = f", load average {os.getloadavg()[0]:.2f} when done"
    print(
        f"Corpus: the source article ({unit:,} bytes of UTF-8, {len(text):,} code points) repeated to "
        f"{' and '.join(f'{s:g} MB' for s in args.sizes)}; `extract_text(text, year=2022)` end to end "
        f"(layout, scan, DataFrame). Median of {args.repeat} rounds (each round runs every size in turn), wall "
        f"clock (CPU time beside it); peak memory from a separate run under tracemalloc. Python "
        f"{platform.python_version()}, "
        f"{os.cpu_count()} CPUs{load}.\n"
    )
    print(
        "| corpus | size (MB) | figures | median time (s) | throughput (MB/s) | best time (s) "
        "| CPU time (s) | MB per CPU second | peak memory (MiB) | peak / input |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        if r["peak"] == r["peak"]:
            memory = f"{r['peak']:.1f} | {r['peak'] / (r['mb'] * MB / 2**20):.1f}x"
        else:
            memory = "not measured | -"
        print(
            f"| {r['size']:g} MB | {r['mb']:.2f} | {r['figures']:,} | {r['wall']:.3f} | "
            f"{r['mb'] / r['wall']:.2f} | {r['best']:.3f} | {r['cpu']:.3f} | {r['mb'] / r['cpu']:.2f} | "
            f"{memory} |"
        )

    print("\n| target | measured | met |")
    print("|---|---|---|")
    speeds = ", ".join(f"{r['size']:g} MB: {r['mb'] / r['wall']:.2f} MB/s" for r in results)
    met = all(r["mb"] / r["wall"] >= MIN_THROUGHPUT for r in results)
    print(f"| throughput >= {MIN_THROUGHPUT:g} MB/s | {speeds} | {'yes' if met else 'no'} |")
    by_size = {r["size"]: r for r in results}
    if 1 in by_size and 10 in by_size:
        # each round's 10 MB time over the 1 MB time of the same round (taken back to back), then the median
        scaling = statistics.median(t10 / t1 for t1, t10 in zip(by_size[1]["walls"], by_size[10]["walls"]))
        medians = by_size[10]["wall"] / by_size[1]["wall"]
        print(
            f"| time(10 MB) <= {MAX_SCALING:g} x time(1 MB) | {scaling:.2f} x (median of the rounds' ratios; "
            f"ratio of the medians {medians:.2f} x) | {'yes' if scaling <= MAX_SCALING else 'no'} |"
        )
    else:
        print(f"| time(10 MB) <= {MAX_SCALING:g} x time(1 MB) | not measured (needs --sizes 1 10) | - |")
    if 1 in by_size and 10 in by_size:
        print("\nWhere the time goes (best CPU seconds of each stage over the runs; the ratio is 10 MB / 1 MB):\n")
        print("| stage | 1 MB (s) | 10 MB (s) | ratio |")
        print("|---|---:|---:|---:|")
        for name in by_size[1]["stages"]:
            one, ten = by_size[1]["stages"][name], by_size[10]["stages"][name]
            print(f"| {name} | {one:.3f} | {ten:.3f} | {ten / one if one > 0 else float('nan'):.2f} x |")
        one, ten = by_size[1]["cpu"], by_size[10]["cpu"]
        print(f"| all (median CPU time, end to end) | {one:.3f} | {ten:.3f} | {ten / one:.2f} x |")
    if not args.no_memory:
        print("\nDense input (peak memory from a run under tracemalloc):\n")
        print("| input | size (MB) | draft rows | time (s) | peak memory (MiB) | peak / input |")
        print("|---|---:|---:|---:|---:|---:|")
        dense = dense_rows()
        for name, mb, rows, wall, peak in dense:
            print(f"| {name} | {mb:.2f} | {rows:,} | {wall:.3f} | {peak:.1f} | {peak / (mb * MB / 2**20):.1f}x |")
        worst = max(
            [r["peak"] / (r["mb"] * MB / 2**20) for r in results]
            + [peak / (mb * MB / 2**20) for _, mb, _, _, peak in dense]
        )
        print(
            f"\n| peak memory <= {MAX_PEAK_RATIO:g} x input (every input above) | worst {worst:.1f} x | "
            f"{'yes' if worst <= MAX_PEAK_RATIO else 'no'} |"
        )
    if args.against:
        print(f"\nAgainst {args.against}:\n")
        print("\n".join(against(args.against, args.source, args.repeat, instructions=not args.no_instructions)))
    if busy:
        print(
            "\nThe machine was busy (load average above 0.75 per CPU): wall-clock times include waiting "
            "for a CPU; the CPU-time column shows the extractor's own cost."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
