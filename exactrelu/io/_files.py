"""``.npz`` and safetensors files of ``(W, b)`` pairs.

Key names (see :func:`exactrelu.io._common.pairs_from_mapping`): PyTorch style
``"0.weight"``, ``"0.bias"``, ``"2.weight"``, ... or ``"W0"``, ``"b0"``,
``"W1"``, ...; ReLU between consecutive pairs, the last pair affine.  The
writers use ``"<i>.weight"`` / ``"<i>.bias"`` for layer ``i``.

``.npz`` files are read with ``allow_pickle=False``; besides float and integer
arrays they may hold unicode arrays of rationals (``"-3/8"``), which is how
:func:`save_npz` stores a network exactly with ``dtype="rational"``.
"""

from __future__ import annotations

import zipfile
from typing import Any

import numpy as np

from ..errors import NetworkFormatError
from ..network import ReLUNetwork
from ._common import ImportResult, finish, network_from_pairs, pairs_from_mapping

__all__ = ["read_npz", "read_safetensors", "save_npz", "save_safetensors"]


def read_npz(path: str, *, output: int | None = None) -> ImportResult:
    """Import an ``.npz`` file of ``(W, b)`` pairs (``np.load(..., allow_pickle=False)``).

    Raises
    ------
    NetworkFormatError
        Not an npz archive, truncated, object arrays (pickles), unexpected keys,
        non-numeric dtypes, NaN/inf.
    ShapeError
        Shapes that do not chain.
    """
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise NetworkFormatError(f"{path} is a single .npy array, not an .npz archive of (W, b) pairs")
        with archive:
            arrays = {key: archive[key] for key in archive.files}
    except NetworkFormatError:
        raise
    except FileNotFoundError:
        raise NetworkFormatError(f"cannot read {path}: no such file") from None
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise NetworkFormatError(f"{path} holds object arrays (pickles), which are never loaded") from None
        raise NetworkFormatError(f"{path} is not a readable .npz file ({exc})") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise NetworkFormatError(f"{path} is not a readable .npz file ({type(exc).__name__})") from None
    dtypes: set[str] = set()
    pairs = pairs_from_mapping(arrays, where=str(path), sort=False)
    net, notes = network_from_pairs(pairs, where=str(path), dtypes=dtypes)
    return finish(net, output=output, source_format="npz", source=str(path), dtypes=dtypes, notes=notes)


def read_safetensors(path: str, *, output: int | None = None) -> ImportResult:
    """Import a safetensors file of ``(W, b)`` pairs (layers in natural order of the key prefixes)."""
    try:
        from safetensors.numpy import load_file
    except ImportError as exc:  # pragma: no cover
        raise ImportError("safetensors support needs safetensors: pip install 'exactrelu[safetensors]'") from exc
    try:
        arrays = load_file(str(path))
    except FileNotFoundError:
        raise NetworkFormatError(f"cannot read {path}: no such file") from None
    except Exception as exc:  # SafetensorError on truncated or foreign files, TypeError on bf16 ...
        raise NetworkFormatError(f"{path} is not a readable safetensors file ({type(exc).__name__}: {exc})") from None
    dtypes: set[str] = set()
    pairs = pairs_from_mapping(arrays, where=str(path), sort=True)
    net, notes = network_from_pairs(pairs, where=str(path), dtypes=dtypes)
    return finish(net, output=output, source_format="safetensors", source=str(path), dtypes=dtypes, notes=notes)


def _arrays(net: ReLUNetwork, dtype: str, round: str | None) -> dict[str, np.ndarray]:
    from ._export import float_layers

    out: dict[str, np.ndarray] = {}
    if dtype == "rational":
        for i, (W, b) in enumerate(net.layers):
            out[f"{i}.weight"] = np.array([[str(v) for v in row] for row in W], dtype=str)
            out[f"{i}.bias"] = np.array([str(v) for v in b], dtype=str)
        return out
    for i, (Wf, bf) in enumerate(float_layers(net, dtype=dtype, round=round)):
        out[f"{i}.weight"], out[f"{i}.bias"] = Wf, bf
    return out


def save_npz(net: ReLUNetwork, path: str, *, dtype: str = "float64", round: str | None = None) -> None:
    """Write ``net`` as an ``.npz`` of ``"<i>.weight"`` / ``"<i>.bias"`` arrays.

    ``dtype="rational"`` stores every weight exactly as a ``"p/q"`` string
    (unicode arrays, no pickle); ``"float32"`` / ``"float64"`` are exact when
    the weights are representable, else :class:`~exactrelu.io.NotRepresentableError`
    unless ``round="nearest"``.
    """
    np.savez(path, **_arrays(net, dtype, round))  # type: ignore[arg-type]


def save_safetensors(net: ReLUNetwork, path: str, *, dtype: str = "float32", round: str | None = None) -> None:
    """Write ``net`` as a safetensors file of ``"<i>.weight"`` / ``"<i>.bias"`` tensors (float32/float64)."""
    from safetensors.numpy import save_file

    if dtype == "rational":
        raise NetworkFormatError("safetensors holds numeric tensors only; use save_npz(dtype='rational')")
    save_file(_arrays(net, dtype, round), str(path), metadata={"producer": "exactrelu"})
