"""Helpers shared by the subcommands: parsing exact values, printing tables."""

from __future__ import annotations

import sys
from fractions import Fraction

from ..rationals import to_rational

__all__ = ["parse_end", "parse_widths", "print_table", "show_progress", "load_network_arg", "domain_from_args"]


def parse_end(text: str, where: str) -> Fraction | None:
    """A domain end: a rational, or inf/-inf (None)."""
    if text.strip().lower() in ("inf", "+inf", "-inf", "none"):
        return None
    return to_rational(text, where=where)


def parse_widths(text: str):
    from ..errors import ShapeError

    try:
        widths = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ShapeError(f"--widths={text!r} must be comma-separated positive ints, e.g. 3,3,3") from None
    if not widths or any(w < 1 for w in widths):
        raise ShapeError(f"--widths={text!r} must be comma-separated positive ints, e.g. 3,3,3")
    return widths


def print_table(rows: list[list[str]], headers: list[str], file=None) -> None:
    file = sys.stdout if file is None else file
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    print(line, file=file)
    print("  ".join("-" * w for w in widths), file=file)
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)), file=file)


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
    # empty and reversed domains are rejected by propagate's own domain check
    return (parse_end(values[0], "--domain lower end"), parse_end(values[1], "--domain upper end"))
