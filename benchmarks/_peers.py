"""Peer tools the benchmarks compare exactrelu against.

Only one peer so far: ``regioncam`` (Twan van Laarhoven, PyPI ``regioncam``,
a Rust extension computing the linear-region partition of a network on a 1-D
segment or a 2-D plane in float32).  It is optional: install it with
``pip install regioncam`` (or ``pip install -e .[bench]``).

How regioncam is driven (checked against regioncam 0.5.2)
--------------------------------------------------------
* ``regioncam.Regioncam1D((lo, hi))`` starts a partition of the 1-D input
  segment ``[lo, hi]`` (a plain float ``s`` means ``[-s/2, s/2]``;
  ``Regioncam1D.through_points(points, size=1.5)`` would put a line through
  two points of a higher-dimensional input space, centred and scaled, which is
  not what we want for a scalar input).
* ``rc.linear(weight, bias)`` computes ``x @ weight + bias``: the weight is
  (in, out), the *transpose* of PyTorch's ``nn.Linear.weight``, and must be a
  float32 array (float64 is rejected).  ``rc.relu()`` splits every edge where a
  unit changes sign.
* After the last layer, ``rc.num_edges`` is the number of segments of the
  partition, i.e. the number of *activation regions* on ``[lo, hi]``, and
  ``rc.num_vertices`` is that plus one.  Regioncam does not merge collinear
  neighbours, so this is an upper bound on the number of pieces (docs/theory.md
  section 0); :func:`regioncam_partition` returns the vertices and the output
  values so that a caller can merge them itself (in float, with a tolerance).
* The 2-D ``regioncam.Regioncam(size)`` works on the square ``[-size, size]^2``;
  :func:`regioncam_plane_regions` feeds a 1-D network through it (the second
  input coordinate has weight 0) and counts faces.  It is several times
  slower than ``Regioncam1D`` and is kept only to compare with earlier
  measurements; the benchmarks use ``Regioncam1D``.

All the work happens inside ``linear``/``relu``, so the wall time reported is
the time from creating the ``Regioncam1D`` to the end of the last layer,
including the float32 conversion of the weights (negligible).
"""

from __future__ import annotations

import time
from typing import Sequence

import numpy as np

__all__ = [
    "regioncam_available",
    "regioncam_version",
    "regioncam_pieces",
    "regioncam_partition",
    "regioncam_plane_regions",
]

#: A layer as the benchmarks pass it: ``(W, b)``, W of shape (out, in) (PyTorch orientation).
FloatLayers = Sequence[tuple[np.ndarray, np.ndarray]]


def regioncam_available() -> bool:
    """Whether ``regioncam`` can be imported."""
    try:
        import regioncam  # noqa: F401
    except ImportError:
        return False
    return True


def regioncam_version() -> str | None:
    """The installed regioncam version, or None when it is not importable."""
    try:
        import regioncam
    except ImportError:
        return None
    return getattr(regioncam, "__version__", "unknown")


def _float32_layers(layers: FloatLayers) -> list[tuple[np.ndarray, np.ndarray]]:
    """Transpose to regioncam's (in, out) orientation and cast to float32, checking shapes."""
    converted = []
    width = None
    for index, (weight, bias) in enumerate(layers):
        weight = np.asarray(weight, dtype=np.float64)
        bias = np.asarray(bias, dtype=np.float64).reshape(-1)
        if weight.ndim != 2 or weight.shape[0] != bias.shape[0]:
            raise ValueError(
                f"layer {index}: W has shape {weight.shape}, b has shape {bias.shape}"
            )
        if width is not None and weight.shape[1] != width:
            raise ValueError(f"layer {index}: W takes {weight.shape[1]} inputs, expected {width}")
        width = weight.shape[0]
        converted.append(
            (np.ascontiguousarray(weight.T, dtype=np.float32), bias.astype(np.float32))
        )
    if not converted:
        raise ValueError("layers must not be empty")
    if converted[0][0].shape[0] != 1:
        raise ValueError(f"the network must take a scalar input, W[0] takes {converted[0][0].shape[0]}")
    return converted


def _run_1d(layers: FloatLayers, lo: float, hi: float):
    import regioncam

    start = time.perf_counter()
    cam = regioncam.Regioncam1D((float(lo), float(hi)))
    converted = _float32_layers(layers)
    for index, (weight, bias) in enumerate(converted):
        cam.linear(weight, bias)
        if index < len(converted) - 1:
            cam.relu()
    seconds = time.perf_counter() - start
    return cam, seconds


def regioncam_pieces(layers: FloatLayers, lo: float, hi: float) -> tuple[int, float]:
    """Run regioncam on the network restricted to ``[lo, hi]``.

    Parameters
    ----------
    layers : sequence of (W, b)
        Float weights, W of shape (out, in); ReLU after every layer but the last.
        The network must have a scalar input.
    lo, hi : float
        The input segment.

    Returns
    -------
    (count, seconds)
        ``count`` is regioncam's number of segments (activation regions, which
        upper-bound the pieces: regioncam does not merge collinear neighbours),
        ``seconds`` the wall time of the regioncam computation.

    Raises
    ------
    ImportError
        regioncam is not installed.
    """
    cam, seconds = _run_1d(layers, lo, hi)
    count = int(cam.num_edges)
    del cam
    return count, seconds


def regioncam_partition(layers: FloatLayers, lo: float, hi: float):
    """Regioncam's 1-D partition: ``(breakpoints, outputs, seconds)``.

    ``breakpoints`` is the sorted float32 array of vertices (``lo``, the
    kinks found, ``hi``); ``outputs`` the network outputs there, shape
    (vertices, out).
    """
    cam, seconds = _run_1d(layers, lo, hi)
    inputs = np.asarray(cam.inputs).reshape(-1)
    outputs = np.asarray(cam.outputs)
    order = np.argsort(inputs, kind="stable")
    return inputs[order], outputs[order], seconds


def regioncam_plane_regions(layers: FloatLayers, lo: float, hi: float) -> tuple[int, float]:
    """Count regions with the 2-D ``Regioncam`` (slower; for comparison only).

    The square ``[-1, 1]^2`` is mapped onto ``[lo, hi]`` by the first coordinate
    (``x = lo + (u + 1)(hi - lo)/2``), the second coordinate gets weight 0, so
    the faces are vertical strips, one per activation region on ``[lo, hi]``.
    Returns ``(faces, seconds)``.
    """
    import regioncam

    converted = _float32_layers(layers)
    weight0, bias0 = converted[0]
    scale = (hi - lo) / 2.0
    shift = lo + scale
    first_weight = np.zeros((2, weight0.shape[1]), dtype=np.float32)
    first_weight[0] = weight0[0] * np.float32(scale)
    first_bias = (bias0 + weight0[0] * np.float32(shift)).astype(np.float32)
    converted[0] = (first_weight, first_bias)
    start = time.perf_counter()
    cam = regioncam.Regioncam(1.0)
    for index, (weight, bias) in enumerate(converted):
        cam.linear(weight, bias)
        if index < len(converted) - 1:
            cam.relu()
    seconds = time.perf_counter() - start
    count = int(cam.num_faces)
    del cam
    return count, seconds
