"""Run ``make test`` N times on a fresh clone, with K CPU-burning processes beside it; report how many passed.

Usage: .venv/bin/python bench/repeat_tests.py [-n 10] [-k 2] [--reuse-venv .venv] [--timeout 3600]

The clone is ``git clone`` of this repository's HEAD into a temporary folder, with ``../shared`` beside it a
symlink to the shared folder (``--shared``, default ../shared of this checkout, resolved), so the Makefile's
defaults hold.  Its ``make test`` sets up its own ``.venv`` from requirements.lock (a fresh install);
``--reuse-venv DIR`` instead makes a light ``.venv`` that sees DIR's installed packages (a ``.pth`` line)
with the clone's own ``src/`` installed editable, to save the install when only the tests are in question.
The burners are ``python -c "while True: pass"`` processes, killed at the end.  Each run's tail goes to
stderr; stdout gets a header, one Markdown line per run as it ends, and the count, e.g. ``make test passed
10 of 10 runs`` (also when stopped by SIGINT or SIGTERM: the runs completed so far are counted).
It measures and reports; the exit code is 0 when every run passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# pytest's closing line, e.g. "===== 1009 passed, 6 skipped in 231.99s (0:03:51) =====": one per pytest call
# (the main suite, then nbval).
PYTEST_SUMMARY = re.compile(r"^=+ .*\b(passed|failed|error|errors)\b.* in [0-9.]+s\b.*=+$")


def log(message: str) -> None:
    print(f"repeat_tests: {message}", file=sys.stderr, flush=True)


def fresh_clone(work: Path, shared: Path) -> Path:
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=300)
    subprocess.run(
        [
            "git",
            "-C",
            str(clone),
            "checkout",
            "-q",
            subprocess.check_output(["git", "-C", str(ROOT), "rev-parse", "HEAD"], text=True).strip(),
        ],
        check=True,
        timeout=60,
    )
    (work / "shared").symlink_to(shared)
    return clone


def light_venv(clone: Path, base: Path) -> None:
    """``clone/.venv`` seeing ``base``'s packages, with the clone's own src/ installed editable, stamped as
    scripts/setup.sh stamps a complete install (so that ``make test`` installs nothing more)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(clone / ".venv")], check=True, timeout=300)
    base_site = subprocess.check_output(
        [str(base / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True,
        timeout=60,
    ).strip()
    site = Path(sysconfig.get_paths(vars={"base": str(clone / ".venv")})["purelib"])
    site.mkdir(parents=True, exist_ok=True)
    (site / "zz_base_venv.pth").write_text(base_site + "\n", encoding="utf-8")
    (site / "aa_clone_src.pth").write_text(str(clone / "src") + "\n", encoding="utf-8")
    for data in ("share", "etc"):  # Jupyter's data and config (nbconvert's templates, kernelspecs)
        if (base / data).is_dir():
            (clone / ".venv" / data).symlink_to(base / data)
    stamp = subprocess.check_output(
        "sha256sum requirements.lock requirements-test.lock pyproject.toml | sha256sum | cut -d' ' -f1",
        shell=True,
        cwd=clone,
        text=True,
        timeout=60,
    ).strip()
    (clone / ".venv" / ".lock-sha256").write_text(stamp + "\n", encoding="utf-8")


def burners(k: int) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True) for _ in range(k)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=10, help="times to run make test (default: %(default)s)")
    parser.add_argument("-k", "--burners", type=int, default=2, help="CPU-burning processes beside it")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder")
    parser.add_argument("--reuse-venv", type=Path, metavar="DIR", help="see DIR's packages instead of installing")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds one make test may take")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="repeat-tests-"))
    burning: list[subprocess.Popen] = []
    passed, done = 0, 0
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    print(
        f"`make test` on a fresh clone of HEAD "
        f"({subprocess.check_output(['git', '-C', str(ROOT), 'rev-parse', '--short', 'HEAD'], text=True).strip()}), "
        f"{args.runs} run(s), {args.burners} CPU-burning process(es) "
        f"beside it; {os.cpu_count()} cores, Python {platform.python_version()}"
        + ("; packages from " + str(args.reuse_venv) if args.reuse_venv else "; a fresh install"),
        flush=True,
    )
    try:
        clone = fresh_clone(work, args.shared.resolve())
        if args.reuse_venv:
            light_venv(clone, args.reuse_venv.resolve())
        burning = burners(args.burners)
        for i in range(1, args.runs + 1):
            log(f"run {i} of {args.runs} (load: {args.burners} burners)")
            start = time.monotonic()
            try:
                proc = subprocess.run(
                    ["make", "test"],
                    cwd=clone,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                    timeout=args.timeout,
                    env={**os.environ, "CI": "true"},
                )
                code, out = proc.returncode, proc.stdout
            except subprocess.TimeoutExpired as e:
                code, out = "timeout", (e.stdout or b"").decode(errors="replace")
            tail = out[-12000:]
            seconds = time.monotonic() - start
            ok = code == 0
            passed += ok
            done += 1
            summary = "; ".join(line.strip("= ") for line in out.splitlines() if PYTEST_SUMMARY.match(line))
            verdict = "passed" if ok else f"FAILED ({code})"
            print(f"- run {i}: {verdict} in {seconds:.0f} s; {summary}", flush=True)
            if not ok:
                log(f"run {i} failed:\n{tail}")
    except KeyboardInterrupt:
        print(f"- stopped by a signal during run {done + 1}", flush=True)
    finally:
        for proc in burning:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)
    print(f"make test passed {passed} of {done} completed runs ({args.runs} asked)", flush=True)
    return 0 if passed == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
