"""Colours and drawing windows shared by the plots (floats here only place ink, never decide)."""

from __future__ import annotations

import colorsys
import hashlib
from fractions import Fraction
from typing import Any, Sequence

__all__ = ["pattern_colour", "piece_colours", "window_of", "new_axes", "LAYER_COLOURS"]

#: Edge colours by layer (layer 1 first), cycled for deeper networks.
LAYER_COLOURS = ("#1f3b73", "#b2182b", "#1b7837", "#762a83", "#e08214", "#01665e", "#8c510a", "#4d4d4d")


def pattern_colour(pattern: Any) -> tuple[float, float, float]:
    """A stable pastel RGB colour for an activation pattern.

    The hue comes from a BLAKE2 hash of the pattern's text, so the same pattern
    gets the same colour in every run, process and plot (Python's ``hash`` is
    salted per process and would not do).
    """
    digest = hashlib.blake2b(repr(tuple(pattern)).encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "big")
    hue = (value & 0xFFFF) / 0x10000
    light = 0.72 + 0.12 * (((value >> 16) & 0xFF) / 0xFF)
    sat = 0.45 + 0.35 * (((value >> 24) & 0xFF) / 0xFF)
    return colorsys.hls_to_rgb(hue, light, sat)


def piece_colours(count: int, cmap: str = "tab10") -> list[Any]:
    """``count`` colours cycling through a qualitative matplotlib colormap."""
    from matplotlib import colormaps

    cm = colormaps[cmap]
    n = getattr(cm, "N", 10)
    return [cm(i % n) for i in range(count)]


def window_of(
    domain: tuple[Fraction | None, Fraction | None], points: Sequence[Fraction]
) -> tuple[Fraction, Fraction]:
    """A finite drawing window: the domain, with unbounded ends placed beyond the outermost points.

    An unbounded end is put 25% of the points' span (at least 1) past the
    outermost point, so every kink is visible and the end rays show their slope.
    """
    lo, hi = domain
    inner = list(points) + [v for v in (lo, hi) if v is not None]
    if not inner:
        inner = [Fraction(0)]
    span = max(inner) - min(inner)
    margin = max(span / 4, Fraction(1))
    left = lo if lo is not None else min(inner) - margin
    right = hi if hi is not None else max(inner) + margin
    return left, right


def new_axes(ax: Any) -> Any:
    """``ax`` itself, or a fresh Axes on a new Figure (not registered with pyplot)."""
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=(6.4, 4.0), layout="constrained").add_subplot()
