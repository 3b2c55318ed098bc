"""The command line: ``python -m helpers {run,extract,validate} --help``."""

from __future__ import annotations

import argparse
import importlib
import sys

#: Subcommand → module that registers it with ``register(subparsers)``.
COMMANDS = {
    "validate": "helpers.package",
    "run": "helpers.run",
    "extract": "helpers.extract",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers",
        description="Work with the report's data package and notebooks.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        importlib.import_module(module).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
