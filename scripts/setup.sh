#!/usr/bin/env bash
# Set up the project's environment: Debian packages it needs, then .venv from the locks.
# Usage: scripts/setup.sh [--test]
#   without --test: what `make report` and `make lab` need (requirements.lock, fonts-noto-cjk);
#   --test: also what `make test` and `make lint` add (requirements-test.lock, and Chromium for the site test).
#   (--browser is the older name of --test.)
# PYTHON names the interpreter for .venv (default: python3); it must be at least MIN_PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."

# The oldest Python every package pinned in requirements.lock installs on (their Requires-Python);
# Debian 12's python3 is 3.11.2.
MIN_PYTHON=3.11.2

debs=(fonts-noto-cjk)
probe=(/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc)
locks=(requirements.lock)
if [[ "${1:-}" == "--test" || "${1:-}" == "--browser" ]]; then
  locks+=(requirements-test.lock)
  debs+=(chromium)
  probe+=(/usr/bin/chromium)
fi

missing=()
for i in "${!debs[@]}"; do
  [[ -e "${probe[$i]}" ]] || missing+=("${debs[$i]}")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

py=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  if ! command -v "$py" >/dev/null; then
    echo "setup: no $py found; requirements.lock needs Python >= $MIN_PYTHON: install it or set PYTHON=/path/to/python3" >&2
    exit 1
  fi
  if ! "$py" -c "import sys; sys.exit(sys.version_info[:3] < tuple(map(int, '$MIN_PYTHON'.split('.'))))"; then
    echo "setup: $py is $("$py" --version 2>&1); requirements.lock needs Python >= $MIN_PYTHON: set PYTHON=/path/to/python3.11 or newer" >&2
    exit 1
  fi
  if ! "$py" -c "import venv, ensurepip" 2>/dev/null; then
    echo "setup: $py cannot create a virtual environment; run: sudo apt-get install -y python3-venv" >&2
    exit 1
  fi
fi
# The stamp records what is installed: the locks' and pyproject's digest. A report set-up after a test set-up
# keeps the test tools (nothing is uninstalled); a test set-up after a report set-up adds them.
stamp=.venv/.lock-sha256
want=$(sha256sum "${locks[@]}" pyproject.toml | sha256sum | cut -d' ' -f1)
have_all=$(sha256sum requirements.lock requirements-test.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv with $($py --version)"
  "$py" -m venv .venv
fi
have=$(cat "$stamp" 2>/dev/null || true)
if [[ "$have" != "$want" && ! ( "$have" == "$have_all" && ${#locks[@]} -eq 1 ) ]]; then
  echo "setup: installing the pinned environment (${locks[*]})"
  # pip's machine-wide find-links may name folders that do not exist: hide only those warnings
  pipq() { .venv/bin/python -m pip -q --disable-pip-version-check "$@" 2> >(grep -v "^WARNING: Location" >&2); }
  pipq install $(printf -- '-r %s ' "${locks[@]}")
  pipq install --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi
