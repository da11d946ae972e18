"""Helpers shared by the subcommands: parsing exact values, printing tables."""

from __future__ import annotations

import sys
from fractions import Fraction

from ..rationals import to_rational

__all__ = ["parse_end", "parse_widths", "print_table", "fit_widths", "show_progress", "load_network_arg",
           "domain_from_args", "check_writable"]

#: The words that mean an infinite end, for each end of a domain (an end of the wrong sign is an error).
_INFINITE = {"lower": ("-inf", "inf", "none"), "upper": ("inf", "+inf", "none")}


def parse_end(text: str, where: str, end: str | None = None) -> Fraction | None:
    """A domain end: a rational, or an infinite end (None).

    ``end`` is ``"lower"`` (which accepts ``-inf``) or ``"upper"`` (``+inf``);
    the unsigned ``inf`` and ``none`` mean unbounded at either end.  An infinity
    of the wrong sign (``+inf`` as the lower end, ``-inf`` as the upper) would
    make the domain empty or reversed: :class:`~exactrelu.errors.DomainError`.
    Without ``end`` every infinity is accepted (the old behaviour).
    """
    from ..errors import DomainError

    word = text.strip().lower()
    if word in ("inf", "+inf", "-inf", "none"):
        if end is not None and word not in _INFINITE[end]:
            other = "lower" if end == "upper" else "upper"
            raise DomainError(f"{where}={text.strip()}: {word} can only be the {other} end; "
                              f"the domain would be empty (reversed)")
        return None
    return to_rational(text, where=where)


#: Largest width (units in one layer) the command line accepts.
MAX_WIDTH = 10**9


def parse_widths(text: str):
    """Comma-separated positive ints (ASCII digits, each at most :data:`MAX_WIDTH`), e.g. ``3,3,3``."""
    import re

    from ..errors import ShapeError
    from ..rationals import quote

    parts = text.split(",")
    if not all(re.fullmatch(r"\s*[0-9]{1,10}\s*", p, re.ASCII) for p in parts):
        raise ShapeError(f"--widths={quote(text)} must be comma-separated positive ints, e.g. 3,3,3")
    widths = tuple(int(part) for part in parts)
    if any(w < 1 or w > MAX_WIDTH for w in widths):
        raise ShapeError(f"--widths={quote(text)} must be comma-separated positive ints (at most {MAX_WIDTH}), "
                         "e.g. 3,3,3")
    return widths


def fit_widths(natural: list[int], total: int, *, gap: int = 2, minimum: int = 12) -> list[int]:
    """Column widths that fit ``total`` characters: the widest columns shrink first, none below ``minimum``.

    The first column (the names a reader looks up) keeps its width.

    >>> fit_widths([4, 30, 60], 80)
    [4, 30, 42]
    >>> fit_widths([40, 30, 60], 80)
    [40, 18, 18]
    >>> fit_widths([4, 10], 80)
    [4, 10]
    """
    widths = list(natural)
    while sum(widths) + gap * (len(widths) - 1) > total:
        candidates = [i for i in range(1, len(widths)) if widths[i] > minimum]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def print_table(rows: list[list[str]], headers: list[str], file=None, width: int | None = None) -> None:
    """Print an aligned table that fits the terminal (``width``, default its width, 80 when piped).

    Cells too long for their column wrap onto continuation lines (nothing is
    cut off); lines carry no trailing spaces.  Use a command's ``--json`` for
    machines.
    """
    import shutil
    import textwrap

    file = sys.stdout if file is None else file
    total = shutil.get_terminal_size((80, 24)).columns if width is None else width
    natural = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    widths = fit_widths(natural, max(total - 1, 20))

    def emit(cells: list[str]) -> None:
        parts = [textwrap.wrap(c, w, break_long_words=True, break_on_hyphens=False) or [""]
                 for c, w in zip(cells, widths)]
        for k in range(max(len(p) for p in parts)):
            line = "  ".join((p[k] if k < len(p) else "").ljust(w) for p, w in zip(parts, widths))
            print(line.rstrip(), file=file)

    emit(headers)
    print("  ".join("-" * w for w in widths), file=file)
    for r in rows:
        emit(r)


def check_writable(path: str, option: str = "--out") -> None:
    """Fail now (OSError, one line, exit 2) if ``path`` cannot be written, before any long computation."""
    import os

    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise IsADirectoryError(f"{option}={path}: is a directory")
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"{option}={path}: the directory {directory} does not exist")
    if not os.access(directory, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        raise PermissionError(f"{option}={path}: not writable")


def load_network_arg(path: str):
    """The network of a command-line file argument.

    ``.onnx``, ``.pt``/``.pth``, ``.npz``, ``.safetensors`` go through
    :func:`exactrelu.io.load_network`; anything else is read as an exactrelu
    JSON file holding a network (a network, a witness, a tightness result, a
    command's ``--json`` output: :func:`exactrelu.formats.find_network`).
    """
    import os

    from ..network import ReLUNetwork

    suffix = os.path.splitext(path)[1].lower()
    if suffix in (".onnx", ".pt", ".pth", ".npz", ".safetensors"):
        from ..io import load_network

        return load_network(path)
    return ReLUNetwork.load(path)


def show_progress(args) -> bool:
    """Progress bars only on a terminal and never with --json."""
    return sys.stderr.isatty() and not getattr(args, "json", False)


def domain_from_args(values) -> tuple | None:
    if values is None:
        return None
    # finite reversed and empty domains are rejected by propagate's own domain check;
    # an infinity at the wrong end here (``--domain 0 -inf``, ``--domain +inf -inf``)
    return (parse_end(values[0], "--domain lower end", "lower"), parse_end(values[1], "--domain upper end", "upper"))
