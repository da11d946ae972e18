"""PyTorch in and out: ``nn.Sequential``, ``state_dict``, ``.pt`` files (torch imported lazily)."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from ..errors import NetworkFormatError
from ..network import ReLUNetwork
from ._common import ImportResult, _Chain, exact_array, finish, network_from_pairs, pairs_from_mapping

__all__ = ["read_torch_module", "read_state_dict", "read_torch_file", "to_torch"]

SUPPORTED_LAYERS = "Linear, ReLU, Identity, Flatten, Dropout (in eval mode), nested Sequential"


def _torch() -> Any:
    try:
        import torch
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "PyTorch support needs torch: pip install 'exactrelu[torch]' "
            "(on a CPU-only machine: pip install torch==2.13.0)"
        ) from exc
    return torch


def _tensor_array(tensor: Any, *, where: str) -> np.ndarray:
    """A tensor's values as float64 / int64 numpy (exact: every narrower float is a float64)."""
    torch = _torch()
    if not isinstance(tensor, torch.Tensor):
        raise NetworkFormatError(f"{where} is a {type(tensor).__name__}, not a tensor")
    if tensor.is_complex() or tensor.dtype == torch.bool or not tensor.dtype.is_floating_point:
        raise NetworkFormatError(
            f"{where} has dtype {str(tensor.dtype).replace('torch.', '')}: weights must be "
            "float16, bfloat16, float32 or float64"
        )
    if tensor.is_meta:
        raise NetworkFormatError(f"{where} is a meta tensor (no values)")
    return tensor.detach().to(device="cpu", dtype=torch.float64).numpy()


def _dtype_name(tensor: Any) -> str:
    return str(tensor.dtype).replace("torch.", "")


def _flatten_modules(module: Any, prefix: str) -> list[tuple[str, Any]]:
    torch = _torch()
    if type(module) is torch.nn.Sequential:
        out: list[tuple[str, Any]] = []
        for name, child in module.named_children():
            out.extend(_flatten_modules(child, f"{prefix}{name}."))
        return out
    return [(prefix.rstrip("."), module)]


def read_torch_module(module: Any, *, output: int | None = None) -> ImportResult:
    """Import a live ``nn.Sequential`` (or a single ``nn.Linear``) exactly.

    Layers: Linear, ReLU, Identity, Flatten, Dropout in eval mode (the identity
    then), and nested Sequential.  Consecutive Linear layers without a ReLU are
    merged exactly; a trailing ReLU becomes an identity output layer.

    Raises
    ------
    NetworkFormatError
        Any other layer (the error names it and its position), Dropout in
        training mode, no Linear layer, non-float or non-finite weights.
    ShapeError
        Consecutive Linear layers whose shapes do not fit.
    """
    torch = _torch()
    nn = torch.nn
    if not isinstance(module, nn.Module):
        raise NetworkFormatError(f"expected a torch.nn.Module, got {type(module).__name__}")
    if type(module) not in (nn.Sequential, nn.Linear):
        raise NetworkFormatError(
            f"from_torch takes an nn.Sequential of {SUPPORTED_LAYERS}; got {type(module).__name__} "
            "(for a custom module, pass its state_dict() to from_state_dict)"
        )
    layers = _flatten_modules(module, "")
    dtypes: set[str] = set()
    notes: list[str] = []
    chain: _Chain | None = None
    pending_relu = 0  # ReLUs seen before the first Linear
    for name, layer in layers:
        kind = type(layer)
        label = f"layer {name!r} ({kind.__name__})"
        if kind is nn.Linear:
            W = exact_array(_tensor_array(layer.weight, where=f"{label}.weight"), where=f"{label}.weight")
            dtypes.add(_dtype_name(layer.weight))
            if layer.bias is None:
                b = None
            else:
                b = exact_array(_tensor_array(layer.bias, where=f"{label}.bias"), where=f"{label}.bias")
                dtypes.add(_dtype_name(layer.bias))
            if chain is None:
                chain = _Chain.start(W.shape[1])
                if pending_relu:
                    chain = chain.relu()
            chain = chain.affine(W, b, where=label)
        elif kind is nn.ReLU:
            if chain is None:
                pending_relu += 1
            else:
                chain = chain.relu()
        elif kind in (nn.Identity, nn.Flatten):
            continue
        elif kind is nn.Dropout:
            if layer.training:
                raise NetworkFormatError(
                    f"{label} is in training mode (random); call model.eval() before importing"
                )
            notes.append(f"{label} in eval mode is the identity: skipped")
        else:
            raise NetworkFormatError(f"{label} is not supported; supported layers: {SUPPORTED_LAYERS}")
    if chain is None:
        raise NetworkFormatError("the module has no Linear layer")
    net = chain.network()
    return finish(
        net, output=output, source_format="torch.nn.Sequential", source=None, dtypes=dtypes,
        notes=tuple(notes) + chain.all_notes(),
    )


def _tensor_mapping(data: Mapping[str, Any], *, where: str) -> dict[str, np.ndarray]:
    torch = _torch()
    out: dict[str, np.ndarray] = {}
    for key, value in data.items():
        if not isinstance(value, torch.Tensor):
            raise NetworkFormatError(f"{where}[{key!r}] is a {type(value).__name__}, not a tensor")
        out[key] = _tensor_array(value, where=f"{where}[{key!r}]")
    return out


def read_state_dict(
    state_dict: Mapping[str, Any], *, output: int | None = None, source_format: str = "torch state_dict",
    source: str | None = None,
) -> ImportResult:
    """Import an ordered ``state_dict`` of Linear ``weight``/``bias`` pairs, ReLU between.

    The pairs are taken in the mapping's order (a ``state_dict`` keeps module
    order); see :func:`exactrelu.io._common.pairs_from_mapping` for the key names.

    Raises
    ------
    NetworkFormatError
        Keys that are not Linear weights/biases (``bn.running_mean``), values
        that are not float tensors, NaN/inf.
    ShapeError
        Shapes that do not chain.
    """
    if not isinstance(state_dict, Mapping):
        raise NetworkFormatError(f"a state_dict must be a mapping, got {type(state_dict).__name__}")
    where = "state_dict" if source is None else source
    for key in state_dict:
        if not isinstance(key, str):
            raise NetworkFormatError(f"{where}: key {key!r} is not a string")
    pairs_from_mapping(state_dict, where=where, sort=False)  # key names first: they explain most errors
    arrays = _tensor_mapping(state_dict, where=where)
    dtypes = {_dtype_name(v) for v in state_dict.values()}
    pairs = pairs_from_mapping(arrays, where=where, sort=False)
    seen: set[str] = set()
    net, notes = network_from_pairs(pairs, where=where, dtypes=seen)
    return finish(net, output=output, source_format=source_format, source=source, dtypes=dtypes, notes=notes)


_NESTED_KEYS = ("state_dict", "model_state_dict", "model")


def read_torch_file(path: str, *, output: int | None = None) -> ImportResult:
    """Import a ``.pt``/``.pth`` file holding a ``state_dict``, read with ``weights_only=True``.

    Never unpickles arbitrary objects: a file holding a whole pickled module
    (``torch.save(model)``) or any other object is refused with
    :class:`NetworkFormatError`.  A checkpoint dict with the state under
    ``"state_dict"``, ``"model_state_dict"`` or ``"model"`` is accepted.
    """
    torch = _torch()
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise NetworkFormatError(f"cannot read {path}: no such file") from None
    except Exception as exc:  # torch raises UnpicklingError, RuntimeError, EOFError, ...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NetworkFormatError(
            f"{path} is not a weights-only torch file ({type(exc).__name__}: {first[:200]}); "
            "save model.state_dict() with torch.save"
        ) from None
    if isinstance(data, Mapping) and data and not all(isinstance(v, torch.Tensor) for v in data.values()):
        for key in _NESTED_KEYS:
            if isinstance(data.get(key), Mapping):
                data = data[key]
                break
        else:
            raise NetworkFormatError(
                f"{path} holds a dict with keys {sorted(map(str, data))[:8]} that are not all tensors "
                f"and none of {list(_NESTED_KEYS)} holds a state_dict"
            )
    if not isinstance(data, Mapping):
        raise NetworkFormatError(f"{path} holds a {type(data).__name__}, not a state_dict")
    return read_state_dict(data, output=output, source_format="torch .pt", source=str(path))


def to_torch(net: ReLUNetwork, *, dtype: str = "float32", round: str | None = None) -> Any:
    """An ``nn.Sequential`` (Linear, ReLU, ..., Linear) computing ``net``'s weights in ``dtype``.

    Exact when every weight is representable in ``dtype`` (``"float32"`` or
    ``"float64"``); otherwise :class:`~exactrelu.io.NotRepresentableError`
    unless ``round="nearest"`` (use :func:`~exactrelu.io.round_network` to
    learn exactly how far the rounded network is from ``net``).
    """
    from ._export import float_layers

    torch = _torch()
    layers = float_layers(net, dtype=dtype, round=round)
    modules: list[Any] = []
    tdtype = torch.float32 if dtype == "float32" else torch.float64
    for index, (W, b) in enumerate(layers):
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=tdtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        modules.append(linear)
        if index < len(layers) - 1:
            modules.append(torch.nn.ReLU())
    return torch.nn.Sequential(*modules).eval()
