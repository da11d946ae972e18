"""The ``exactrelu`` command line.

Subcommands are the modules ``exactrelu/cli/_cmd_<name>.py``; each defines
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
Errors of exactrelu print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from ..errors import ExactReluError

__all__ = ["main", "build_parser"]


def _commands():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_cmd_"):
            yield importlib.import_module(f"{__name__}.{info.name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exactrelu", description="Exact analysis of ReLU networks with rational weights."
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"exactrelu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _commands():
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args))
    except ExactReluError as exc:
        print(f"exactrelu {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"exactrelu {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
