"""One entry point for every network source, and one for every network file written."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, Mapping

from ..errors import NetworkFormatError
from ..network import ReLUNetwork
from ._common import ImportResult, finish
from ._export import RoundingReport, round_network

__all__ = ["read_network", "load_network", "export_network", "ExportReport", "SUFFIXES"]

#: File suffixes :func:`load_network` reads, and the reader of each.
SUFFIXES = (".json", ".onnx", ".pt", ".pth", ".npz", ".safetensors")


def _read_json(path: str, output: int | None) -> ImportResult:
    from ..formats import find_network, read_json

    net = ReLUNetwork.from_dict(find_network(read_json(path), where=path))
    return finish(net, output=output, source_format="exactrelu json", source=path, dtypes=("rational strings",))


def read_network(source: Any, *, output: int | None = None) -> ImportResult:
    """Import a network from any supported source, with the report of how.

    Parameters
    ----------
    source : path, ReLUNetwork, torch.nn.Module, state_dict mapping, or onnx.ModelProto
        A path is dispatched by suffix: ``.json`` (an exactrelu file holding a
        network), ``.onnx``, ``.pt``/``.pth`` (a state_dict, loaded weights-only),
        ``.npz``, ``.safetensors``.
    output : int, optional
        Keep only this output coordinate (multi-output networks); None keeps all.

    Returns
    -------
    ImportResult
        ``(network, report)``; ``report.conversion`` says that float weights
        were converted exactly (each float is a dyadic rational).

    Raises
    ------
    NetworkFormatError
        Unknown suffix or source type, unreadable or malformed file.
    ShapeError
        Shapes that do not fit, or ``output`` out of range.
    """
    if isinstance(source, ReLUNetwork):
        return finish(source, output=output, source_format="ReLUNetwork", source=None, dtypes=())
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        suffix = os.path.splitext(path)[1].lower()
        if suffix == ".json":
            return _read_json(path, output)
        if suffix == ".onnx":
            from ._onnx import read_onnx

            return read_onnx(path, output=output)
        if suffix in (".pt", ".pth"):
            from ._torch import read_torch_file

            return read_torch_file(path, output=output)
        if suffix == ".npz":
            from ._files import read_npz

            return read_npz(path, output=output)
        if suffix == ".safetensors":
            from ._files import read_safetensors

            return read_safetensors(path, output=output)
        raise NetworkFormatError(f"{path}: unknown network file suffix {suffix!r}; expected one of {SUFFIXES}")
    module = type(source).__module__ or ""
    torch = sys.modules.get("torch")  # a live module means torch is imported already
    if module.startswith("torch") or (torch is not None and isinstance(source, torch.nn.Module)):
        from ._torch import read_torch_module

        return read_torch_module(source, output=output)
    if module.startswith("onnx"):
        from ._onnx import read_onnx

        return read_onnx(source, output=output)
    if isinstance(source, Mapping):
        from ._torch import read_state_dict

        return read_state_dict(source, output=output)
    raise NetworkFormatError(f"cannot import a network from a {type(source).__name__}")


def load_network(path: Any, *, output: int | None = None) -> ReLUNetwork:
    """The network in ``path`` (any suffix of :data:`SUFFIXES`); :func:`read_network` gives the report too.

    >>> import os, tempfile
    >>> net = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    >>> path = os.path.join(tempfile.mkdtemp(), "abs.json"); net.save(path)
    >>> load_network(path) == net
    True
    """
    return read_network(path, output=output).network


@dataclass(frozen=True)
class ExportReport:
    """What :func:`export_network` wrote.

    Attributes
    ----------
    path, format, dtype : str
    exact : bool
        True when the file computes exactly ``net`` (no weight was rounded).
    rounding : RoundingReport or None
        With ``round="nearest"``: the exact cost of rounding (weights changed,
        max weight change, sup distance on ``domain``).
    """

    path: str
    format: str
    dtype: str
    exact: bool
    rounding: RoundingReport | None

    def to_dict(self) -> dict:
        return {
            "format": "exactrelu-export-report",
            "version": 1,
            "path": self.path,
            "file_format": self.format,
            "dtype": self.dtype,
            "exact": self.exact,
            "rounding": None if self.rounding is None else self.rounding.to_dict(),
        }


def export_network(
    net: ReLUNetwork, path: Any, *, dtype: str = "float32", round: str | None = None, domain: Any = None
) -> ExportReport:
    """Write ``net`` to ``path`` by suffix (.onnx, .pt, .npz, .safetensors, .json) and report.

    Float files are exact when every weight is a ``dtype`` float; otherwise
    :class:`~exactrelu.io.NotRepresentableError` unless ``round="nearest"``,
    and then the report's ``rounding`` says exactly how far the written network
    is from ``net`` (on ``domain``: an interval, or a box for n inputs).  ``.json`` and
    ``.npz`` with ``dtype="rational"`` are always exact.
    """
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    rounding: RoundingReport | None = None
    target = net
    if not (suffix == ".json" or dtype == "rational"):
        if round is not None:
            rounding = round_network(net, dtype, mode=round, domain=domain)
            target = rounding.rounded
    if suffix == ".json":
        net.save(path)
        return ExportReport(path, "exactrelu json", "rational", True, None)
    if suffix == ".onnx":
        from ._onnx import to_onnx

        to_onnx(target, path, dtype=dtype)
    elif suffix in (".pt", ".pth"):
        import torch

        from ._torch import to_torch

        torch.save(to_torch(target, dtype=dtype).state_dict(), path)
    elif suffix == ".npz":
        from ._files import save_npz

        save_npz(target, path, dtype=dtype)
    elif suffix == ".safetensors":
        from ._files import save_safetensors

        save_safetensors(target, path, dtype=dtype)
    else:
        raise NetworkFormatError(f"{path}: unknown network file suffix {suffix!r}; expected one of {SUFFIXES}")
    exact = rounding is None or rounding.exact
    return ExportReport(path, suffix.lstrip("."), dtype, exact, rounding)
