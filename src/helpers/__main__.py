"""The command line: ``python -m helpers {validate,new,run,extract} --help``."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys

#: Subcommand → module that registers it with ``register(subparsers)``.
COMMANDS = {
    "validate": "helpers.build.verdict",
    "new": "helpers.drafting.draft",
    "run": "helpers.build.run",
    "extract": "helpers.drafting.extract",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers",
        description="Work with the report's data package and notebooks.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS.values():
        importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    code = main()
    # Everything is written and closed by now.  Skip the interpreter's final garbage collection over all that
    # was imported (pandas, nbconvert, papermill...: 0.4 s of the main job's end): gc.freeze() moves every
    # object to the permanent generation, which that collection leaves alone.  Modules are still torn down.
    gc.freeze()
    sys.exit(code)
