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
from typing import NoReturn

from ..errors import BudgetExceededError, ExactReluError

__all__ = ["main", "build_parser", "one_line", "MAX_ERROR_CHARS"]


def _commands():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_cmd_"):
            yield importlib.import_module(f"{__name__}.{info.name}")


#: Budgets that have a command-line option, named in budget errors.
_CLI_BUDGETS = {"max_pieces": "--max-pieces", "max_regions": "--max-regions"}

#: Longest error line printed (a message quoting a 50 MB input must not print 50 MB).
MAX_ERROR_CHARS = 500


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line (exit 2), like every other error of the command line."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def one_line(message: object, limit: int = MAX_ERROR_CHARS) -> str:
    """``message`` on one line, cut to ``limit`` characters.

    >>> one_line("a\\nb " + "x" * 1000, 30)
    'a b xxxxxxxxxxxxxxx... (1004 characters)'
    """
    text = " ".join(str(message).split())
    if len(text) > limit:
        text = f"{text[:limit - 7 - len(str(len(text)))].rstrip()}... ({len(text)} characters)"
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    """Run one command; returns its exit status (0, 1, or 2 for an error printed on one line).

    Python's 4300-digit limit on int <-> str conversion is lifted while the
    command runs (and restored after): exact results may have more digits, and
    the inputs that could make conversion slow are bounded where they are read
    (:data:`exactrelu.rationals.MAX_RATIONAL_CHARS`).
    """
    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return _main(argv)
    finally:
        sys.set_int_max_str_digits(limit)


def _main(argv: list[str] | None) -> int:
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
        flag = _CLI_BUDGETS.get(getattr(exc, "name", "")) if isinstance(exc, BudgetExceededError) else None
        if flag and flag not in str(exc):
            hint = f" (on the command line: {flag})"
        print(f"exactrelu {args.command}: error: {one_line(f'{exc}{hint}')}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"exactrelu {args.command}: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except (MemoryError, RecursionError) as exc:  # a budget that should have fired: say so in one line
        print(f"exactrelu {args.command}: error: out of {'memory' if isinstance(exc, MemoryError) else 'stack'} "
              "(an internal budget did not fire: please report it; try a smaller --max-pieces)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
