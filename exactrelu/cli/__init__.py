"""The ``exactrelu`` command line.

Subcommands are the modules ``exactrelu/cli/_cmd_<name>.py``; each defines
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
Errors of exactrelu print one line and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys

from ..errors import BudgetExceededError, ExactReluError

__all__ = ["main", "build_parser"]


def _commands():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_cmd_"):
            yield importlib.import_module(f"{__name__}.{info.name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exactrelu", description="Exact analysis of ReLU networks with rational weights."
    )
    from .._version import __version__

    parser.add_argument("--version", action="version", version=f"exactrelu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _commands():
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


#: A negative rational or -inf, which argparse would otherwise read as an option.
_NEGATIVE_VALUE = re.compile(r"^-(\d+(/\d+)?|\d*\.\d+([eE][-+]?\d+)?|\d+[eE][-+]?\d+|inf)$")


def _protect_negative_values(argv: list[str]) -> list[str]:
    """Prefix negative numbers with a space so argparse takes them as values (``--domain -1/2 1``)."""
    return [" " + tok if _NEGATIVE_VALUE.match(tok) else tok for tok in argv]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(_protect_negative_values(argv))
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args))
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except ExactReluError as exc:
        hint = ""
        if isinstance(exc, BudgetExceededError):
            hint = f" (on the command line: --{exc.name.replace('_', '-')})"
        print(f"exactrelu {args.command}: error: {exc}{hint}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"exactrelu {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
