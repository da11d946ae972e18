"""Networks in and out, exactly: PyTorch, ONNX, ``.npz``, safetensors, exactrelu JSON.

Importers turn float weights into the exact dyadic rationals they encode
(``Fraction(float)`` is exact), so an imported network computes what the float
network would compute without rounding; the :class:`ImportReport` returned by
:func:`read_network` says so.  Exporters write float weights exactly when they
are representable, and otherwise refuse unless asked to round, reporting the
exact cost (:func:`round_network`).

torch, onnx and safetensors are optional extras, imported only by the
functions that need them.

Examples
--------
>>> from exactrelu import ReLUNetwork
>>> net = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])     # |x|
>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "abs.npz")
>>> save_npz(net, path)
>>> result = read_network(path)
>>> result.network == net, result.report.source_format, result.report.exact
(True, 'npz', True)
"""

from __future__ import annotations

from typing import Any, Mapping

from ..network import ReLUNetwork
from ._common import ImportReport, ImportResult, NotRepresentableError, select_output, split_outputs
from ._export import RoundingReport, float_layers, representable, round_network, sup_distance
from ._load import SUFFIXES, ExportReport, export_network, load_network, read_network

__all__ = [
    "load_network",
    "read_network",
    "from_torch",
    "from_state_dict",
    "load_torch",
    "load_onnx",
    "load_npz",
    "load_safetensors",
    "to_torch",
    "to_onnx",
    "save_npz",
    "save_safetensors",
    "export_network",
    "round_network",
    "representable",
    "float_layers",
    "sup_distance",
    "select_output",
    "split_outputs",
    "ImportReport",
    "ImportResult",
    "ExportReport",
    "RoundingReport",
    "NotRepresentableError",
    "SUFFIXES",
]


def from_torch(module: Any, *, output: int | None = None) -> ReLUNetwork:
    """The exact network of a live ``nn.Sequential`` (Linear, ReLU, Identity, Flatten, Dropout in eval mode).

    ``read_network(module)`` returns the :class:`ImportReport` too.
    """
    from ._torch import read_torch_module

    return read_torch_module(module, output=output).network


def from_state_dict(state_dict: Mapping[str, Any], *, output: int | None = None) -> ReLUNetwork:
    """The exact network of an ordered state_dict of Linear weight/bias pairs (ReLU between)."""
    from ._torch import read_state_dict

    return read_state_dict(state_dict, output=output).network


def load_torch(path: Any, *, output: int | None = None) -> ReLUNetwork:
    """The exact network of a ``.pt``/``.pth`` state_dict file (``torch.load(..., weights_only=True)``)."""
    from ._torch import read_torch_file

    return read_torch_file(str(path), output=output).network


def load_onnx(source: Any, *, output: int | None = None) -> ReLUNetwork:
    """The exact network of an ONNX file or ``onnx.ModelProto`` (Gemm/MatMul/Add/Relu/... graphs)."""
    from ._onnx import read_onnx

    return read_onnx(source, output=output).network


def load_npz(path: Any, *, output: int | None = None) -> ReLUNetwork:
    """The exact network of an ``.npz`` of (W, b) pairs (``allow_pickle=False``)."""
    from ._files import read_npz

    return read_npz(str(path), output=output).network


def load_safetensors(path: Any, *, output: int | None = None) -> ReLUNetwork:
    """The exact network of a safetensors file of (W, b) pairs."""
    from ._files import read_safetensors

    return read_safetensors(str(path), output=output).network


def to_torch(net: ReLUNetwork, *, dtype: str = "float32", round: str | None = None) -> Any:
    """An ``nn.Sequential`` computing ``net`` (exact, or rounded with ``round="nearest"``)."""
    from ._torch import to_torch as _to_torch

    return _to_torch(net, dtype=dtype, round=round)


def to_onnx(
    net: ReLUNetwork, path: Any = None, *, dtype: str = "float32", round: str | None = None, batched: bool = True
) -> Any:
    """An ``onnx.ModelProto`` computing ``net`` (Gemm when ``batched``, else MatMul + Add), saved to ``path`` if given."""
    from ._onnx import to_onnx as _to_onnx

    return _to_onnx(net, None if path is None else str(path), dtype=dtype, round=round, batched=batched)


def save_npz(net: ReLUNetwork, path: Any, *, dtype: str = "float64", round: str | None = None) -> None:
    """Write ``net`` as ``.npz`` (``dtype="rational"``: exact ``"p/q"`` strings)."""
    from ._files import save_npz as _save_npz

    _save_npz(net, str(path), dtype=dtype, round=round)


def save_safetensors(net: ReLUNetwork, path: Any, *, dtype: str = "float32", round: str | None = None) -> None:
    """Write ``net`` as a safetensors file."""
    from ._files import save_safetensors as _save

    _save(net, str(path), dtype=dtype, round=round)
