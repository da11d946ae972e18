"""ONNX in and out (onnx imported lazily).

The importer interprets the graph symbolically: the one data tensor flowing
from the graph input is an exact affine map of the last ReLU's output (or of
the input), constants are exact arrays, and every node updates one or the
other.  Supported nodes: Gemm (alpha, beta, transA, transB), MatMul, Add, Relu,
Transpose (of constants), Flatten, Reshape, Identity, Constant -- what
``torch.onnx.export`` writes for Linear/ReLU models, with either exporter
(TorchScript ``dynamo=False`` or ``dynamo=True``), batched input (Gemm) or
unbatched input (MatMul + Add).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import prod
from typing import Any

import numpy as np

from ..errors import NetworkFormatError, ShapeError
from ..network import ReLUNetwork
from ._common import ImportResult, _Chain, exact_array, finish

__all__ = ["read_onnx", "to_onnx", "SUPPORTED_NODES"]

SUPPORTED_NODES = ("Gemm", "MatMul", "Add", "Relu", "Transpose", "Flatten", "Reshape", "Identity", "Constant")
_BATCH_STANDIN = 1_000_003  # a prime standing in for a symbolic batch size in Reshape


def _onnx() -> Any:
    try:
        import onnx
    except ImportError as exc:  # pragma: no cover
        raise ImportError("ONNX support needs onnx: pip install 'exactrelu[onnx]'") from exc
    return onnx


@dataclass(frozen=True)
class _Data:
    """The data tensor: shape = batch + features, features flattened in C order."""

    chain: _Chain
    batch: tuple[int | None, ...]
    features: tuple[int, ...]


def _attrs(node: Any) -> dict[str, Any]:
    onnx = _onnx()
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _const_array(onnx: Any, tensor: Any, *, where: str, dtypes: set[str]) -> np.ndarray:
    try:
        arr = onnx.numpy_helper.to_array(tensor)
    except Exception as exc:
        raise NetworkFormatError(f"{where}: cannot read the tensor ({exc})") from None
    if arr.dtype.kind in "iu":  # shapes, axes: exact ints, not weights
        return exact_array(arr, where=where)
    return exact_array(arr, where=where, dtypes=dtypes)


def _input_shape(value_info: Any) -> tuple[int | None, ...]:
    t = value_info.type.tensor_type
    if not t.HasField("shape"):
        raise NetworkFormatError(f"graph input {value_info.name!r} has no shape")
    return tuple(d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim)


def read_onnx(source: Any, *, output: int | None = None) -> ImportResult:
    """Import an ONNX model (a path or an ``onnx.ModelProto``) exactly.

    The graph must have one data input and one output.  For a rank-1 input
    ``(d,)`` every axis is a feature; for rank >= 2 axis 0 is the batch axis.

    Raises
    ------
    NetworkFormatError
        Unreadable or truncated files, any node outside :data:`SUPPORTED_NODES`
        (the error names it), branching graphs that merge (skip connections),
        non-finite or non-float weights.
    ShapeError
        Shapes that do not fit.
    """
    onnx = _onnx()
    path = None
    if isinstance(source, onnx.ModelProto):
        model = source
    else:
        path = str(source)
        try:
            model = onnx.load(path)
        except FileNotFoundError:
            raise NetworkFormatError(f"cannot read {path}: no such file") from None
        except Exception as exc:  # DecodeError on truncated / foreign files
            raise NetworkFormatError(f"{path} is not a readable ONNX model ({type(exc).__name__})") from None
    graph = model.graph
    dtypes: set[str] = set()
    values: dict[str, Any] = {}
    for init in graph.initializer:
        values[init.name] = _const_array(onnx, init, where=f"initializer {init.name!r}", dtypes=dtypes)
    inputs = [v for v in graph.input if v.name not in values]
    if len(inputs) != 1:
        raise NetworkFormatError(f"the graph has {len(inputs)} data inputs; exactrelu reads one-input graphs")
    if len(graph.output) != 1:
        raise NetworkFormatError(f"the graph has {len(graph.output)} outputs; exactrelu reads one-output graphs")
    shape = _input_shape(inputs[0])
    if not shape:
        raise ShapeError("the graph input is a scalar; give it shape (d,) or (N, d)")
    features = shape if len(shape) == 1 else shape[1:]
    if any(d is None or d <= 0 for d in features):
        raise ShapeError(f"graph input {inputs[0].name!r} has shape {shape}: feature sizes must be fixed")
    fixed = tuple(int(d) for d in features if d is not None)
    values[inputs[0].name] = _Data(_Chain.start(prod(fixed)), () if len(shape) == 1 else shape[:1], fixed)
    for position, node in enumerate(graph.node):
        label = f"node {position} ({node.op_type} {node.name!r})" if node.name else f"node {position} ({node.op_type})"
        if node.domain not in ("", "ai.onnx"):
            raise NetworkFormatError(f"{label} is from operator domain {node.domain!r}; supported: {SUPPORTED_NODES}")
        handler = _HANDLERS.get(node.op_type)
        if handler is None:
            raise NetworkFormatError(f"{label} is not supported; supported nodes: {', '.join(SUPPORTED_NODES)}")
        args: list[Any] = []
        for name in node.input:
            if name == "":
                args.append(None)
                continue
            if name not in values:
                raise NetworkFormatError(f"{label} reads {name!r}, which no earlier node produces")
            args.append(values[name])
        result = handler(onnx, node, args, _attrs(node), label, dtypes)
        if len(node.output) != 1:
            extra = [o for o in node.output[1:] if o]
            if extra:
                raise NetworkFormatError(f"{label} has {len(node.output)} outputs; only one is supported")
        values[node.output[0]] = result
    out = values.get(graph.output[0].name)
    if not isinstance(out, _Data):
        raise NetworkFormatError("the graph output does not depend on the graph input")
    if len(out.features) > 1:
        raise ShapeError(f"the graph output has feature shape {out.features}; flatten it to one axis")
    chain = out.chain
    net = chain.network()
    return finish(net, output=output, source_format="onnx", source=path, dtypes=dtypes, notes=chain.all_notes())


# ----------------------------------------------------------------- handlers
def _need_const(value: Any, label: str, what: str) -> np.ndarray:
    if isinstance(value, _Data):
        raise NetworkFormatError(f"{label}: {what} must be a constant, but it depends on the input")
    if value is None:
        raise NetworkFormatError(f"{label}: {what} is missing")
    return value


def _linear(data: _Data, B: np.ndarray, label: str) -> _Data:
    """``data @ B`` (B of shape (d, n) or (d,)) on the last feature axis."""
    if len(data.features) != 1:
        raise ShapeError(f"{label}: the data has feature shape {data.features}; Flatten it first")
    d = data.features[0]
    if B.ndim == 1:
        B = B.reshape(-1, 1)
        squeeze = True
    elif B.ndim == 2:
        squeeze = False
    else:
        raise ShapeError(f"{label}: a weight of rank {B.ndim} (batched MatMul) is not supported")
    if B.shape[0] != d:
        raise ShapeError(f"{label}: weight of shape {tuple(B.shape)} does not take {d} features")
    chain = data.chain.affine(np.ascontiguousarray(B.T), None, where=label)
    return _Data(chain, data.batch, () if squeeze else (B.shape[1],))


def _add_const(data: _Data, C: np.ndarray, label: str) -> _Data:
    """``data + C`` with numpy broadcasting; C must not vary along batch axes."""
    full = data.batch + data.features
    if C.ndim > len(full):
        raise ShapeError(f"{label}: a constant of shape {tuple(C.shape)} would add batch axes")
    lead = C.ndim - len(data.features)  # axes of C aligned with batch axes
    if lead > 0:
        if any(s != 1 for s in C.shape[:lead]):
            raise ShapeError(f"{label}: constant of shape {tuple(C.shape)} varies along the batch axis")
        C = C.reshape(C.shape[lead:])
    try:
        new_features = np.broadcast_shapes(data.features, C.shape)
    except ValueError:
        raise ShapeError(f"{label}: shapes {data.features} and {tuple(C.shape)} do not broadcast") from None
    index = np.broadcast_to(np.arange(prod(data.features)).reshape(data.features), new_features).ravel()
    chain = data.chain.gather(index)
    bias = np.broadcast_to(C, new_features).ravel()
    return _Data(chain.add_bias(np.array(bias, dtype=object)), data.batch, tuple(new_features))


def _gemm(onnx: Any, node: Any, args: list, attrs: dict, label: str, dtypes: set[str]) -> Any:
    A, B = args[0], args[1]
    C = args[2] if len(args) > 2 else None
    alpha = Fraction(float(attrs.get("alpha", 1.0)))  # a float32 attribute, converted exactly
    beta = Fraction(float(attrs.get("beta", 1.0)))
    if isinstance(B, _Data) or not isinstance(A, _Data):
        if not isinstance(A, _Data) and not isinstance(B, _Data):
            return _const_gemm(A, B, C, alpha, beta, attrs, label)
        raise NetworkFormatError(f"{label}: the data must be Gemm's first input A")
    if attrs.get("transA", 0):
        raise NetworkFormatError(f"{label}: transA=1 on the data (feature-major layout) is not supported")
    Bm = _need_const(B, label, "B")
    if Bm.ndim != 2:
        raise ShapeError(f"{label}: B has shape {tuple(Bm.shape)}, not 2-D")
    if attrs.get("transB", 0):
        Bm = Bm.T
    if len(A.batch) + len(A.features) != 2:
        raise ShapeError(f"{label}: Gemm needs a 2-D input, got shape {A.batch + A.features}")
    result = _linear(A, Bm * alpha, label)
    if C is not None:
        Cm = _need_const(C, label, "C")
        result = _add_const(result, Cm * beta, label)
    return result


def _const_gemm(A, B, C, alpha, beta, attrs, label) -> np.ndarray:
    A = A.T if attrs.get("transA", 0) else A
    B = B.T if attrs.get("transB", 0) else B
    out = (A @ B) * alpha
    return out if C is None else out + C * beta


def _matmul(onnx: Any, node: Any, args: list, attrs: dict, label: str, dtypes: set[str]) -> Any:
    A, B = args
    if isinstance(A, _Data) and isinstance(B, _Data):
        raise NetworkFormatError(f"{label}: a product of two data tensors is not affine")
    if isinstance(A, _Data):
        return _linear(A, _need_const(B, label, "B"), label)
    if isinstance(B, _Data):
        Am = _need_const(A, label, "A")
        if B.batch or len(B.features) != 1 or Am.ndim != 2:
            raise NetworkFormatError(
                f"{label}: constant @ data is supported only for an unbatched vector input and a 2-D constant"
            )
        return _linear(B, np.ascontiguousarray(Am.T), label)
    return _need_const(A, label, "A") @ _need_const(B, label, "B")


def _add(onnx: Any, node: Any, args: list, attrs: dict, label: str, dtypes: set[str]) -> Any:
    A, B = args
    if isinstance(A, _Data) and isinstance(B, _Data):
        raise NetworkFormatError(f"{label}: adding two data tensors (a skip connection) is not supported")
    if isinstance(A, _Data):
        return _add_const(A, _need_const(B, label, "B"), label)
    if isinstance(B, _Data):
        return _add_const(B, _need_const(A, label, "A"), label)
    return A + B


def _relu(onnx: Any, node: Any, args: list, attrs: dict, label: str, dtypes: set[str]) -> Any:
    (X,) = args
    if isinstance(X, _Data):
        return _Data(X.chain.relu(), X.batch, X.features)
    return np.vectorize(lambda v: v if v > 0 else Fraction(0), otypes=[object])(X)


def _transpose(onnx: Any, node: Any, args: list, attrs: dict, label: str, dtypes: set[str]) -> Any:
    X = _need_const(args[0], label, "the transposed tensor")
    perm = attrs.get("perm")
    return np.transpose(X, None if perm is None else list(perm))


def _identity(onnx: Any, node: Any, args: list, attrs: dict, label: str, dtypes: set[str]) -> Any:
    return args[0]


def _constant(onnx: Any, node: Any, args: list, attrs: dict, label: str, dtypes: set[str]) -> Any:
    if "value" in attrs:
        return _const_array(onnx, attrs["value"], where=label, dtypes=dtypes)
    for key in ("value_float", "value_floats"):
        if key in attrs:
            return exact_array(np.array(attrs[key], dtype=np.float32), where=label, dtypes=dtypes)
    for key in ("value_int", "value_ints"):
        if key in attrs:
            return exact_array(np.array(attrs[key], dtype=np.int64), where=label)
    raise NetworkFormatError(f"{label}: only value / value_float(s) / value_int(s) constants are supported")


def _flatten(onnx: Any, node: Any, args: list, attrs: dict, label: str, dtypes: set[str]) -> Any:
    X = args[0]
    axis = int(attrs.get("axis", 1))
    if not isinstance(X, _Data):
        shape = X.shape
        axis = axis + len(shape) if axis < 0 else axis
        return X.reshape(prod(shape[:axis]), prod(shape[axis:]))
    rank = len(X.batch) + len(X.features)
    axis = axis + rank if axis < 0 else axis
    if axis != len(X.batch):
        raise NetworkFormatError(
            f"{label}: Flatten(axis={axis}) of shape {X.batch + X.features} mixes batch and feature axes"
        )
    batch: tuple[int | None, ...]
    if not X.batch:
        batch = (1,)
    elif any(b is None for b in X.batch):
        batch = (None,)
    else:
        batch = (prod(int(b) for b in X.batch if b is not None),)
    return _Data(X.chain, batch, (prod(X.features),))


def _reshape(onnx: Any, node: Any, args: list, attrs: dict, label: str, dtypes: set[str]) -> Any:
    X = args[0]
    target = [int(v) for v in _need_const(args[1], label, "the target shape").ravel().tolist()]
    if not isinstance(X, _Data):
        shape = [X.shape[i] if v == 0 and not attrs.get("allowzero", 0) else v for i, v in enumerate(target)]
        return X.reshape(shape)
    batch_sizes = [_BATCH_STANDIN if b is None else int(b) for b in X.batch]
    full = batch_sizes + list(X.features)
    resolved = [full[i] if v == 0 and i < len(full) else v for i, v in enumerate(target)]
    total = prod(full)
    if resolved.count(-1) > 1:
        raise ShapeError(f"{label}: target shape {target} has more than one -1")
    if -1 in resolved:
        known = prod(v for v in resolved if v != -1)
        if known == 0 or total % known:
            raise ShapeError(f"{label}: cannot reshape {tuple(full)} to {target}")
        resolved[resolved.index(-1)] = total // known
    if prod(resolved) != total:
        raise ShapeError(f"{label}: cannot reshape {tuple(full)} to {target}")
    n_batch = prod(batch_sizes)
    F = prod(X.features)
    for k in range(len(resolved), -1, -1):  # the longest batch prefix leaving >= 1 feature axis
        if prod(resolved[:k]) == n_batch and prod(resolved[k:]) == F and (k < len(resolved) or not resolved):
            new_batch = tuple(None if v == _BATCH_STANDIN else v for v in resolved[:k])
            return _Data(X.chain, new_batch, tuple(resolved[k:]))
    raise NetworkFormatError(f"{label}: Reshape to {target} mixes batch and feature axes")


_HANDLERS = {
    "Gemm": _gemm,
    "MatMul": _matmul,
    "Add": _add,
    "Relu": _relu,
    "Transpose": _transpose,
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Identity": _identity,
    "Constant": _constant,
}


# ------------------------------------------------------------------- export
def to_onnx(
    net: ReLUNetwork,
    path: str | None = None,
    *,
    dtype: str = "float32",
    round: str | None = None,
    batched: bool = True,
    opset: int = 17,
) -> Any:
    """An ONNX model computing ``net`` in ``dtype`` (and written to ``path`` if given).

    ``batched=True`` takes input ``(N, d)`` and uses Gemm (``transB=1``, weights
    in PyTorch orientation); ``batched=False`` takes ``(d,)`` and uses MatMul +
    Add -- the two graphs ``torch.onnx.export`` writes.  Exact when every weight
    is a ``dtype`` float; otherwise :class:`~exactrelu.io.NotRepresentableError`
    unless ``round="nearest"`` (see :func:`~exactrelu.io.round_network`).
    """
    from ._export import float_layers

    onnx = _onnx()
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    layers = float_layers(net, dtype=dtype, round=round)
    elem = onnx.TensorProto.FLOAT if dtype == "float32" else onnx.TensorProto.DOUBLE
    nodes, inits = [], []
    current = "input"
    for index, (W, b) in enumerate(layers):
        last = index == len(layers) - 1
        out = "output" if last else f"z{index}"
        if batched:
            inits += [numpy_helper.from_array(W, f"{index}.weight"), numpy_helper.from_array(b, f"{index}.bias")]
            nodes.append(helper.make_node("Gemm", [current, f"{index}.weight", f"{index}.bias"], [out], transB=1))
        else:
            inits += [
                numpy_helper.from_array(np.ascontiguousarray(W.T), f"{index}.weight_t"),
                numpy_helper.from_array(b, f"{index}.bias"),
            ]
            nodes.append(helper.make_node("MatMul", [current, f"{index}.weight_t"], [f"m{index}"]))
            nodes.append(helper.make_node("Add", [f"m{index}", f"{index}.bias"], [out]))
        if not last:
            nodes.append(helper.make_node("Relu", [out], [f"h{index}"]))
            current = f"h{index}"
    in_shape: list[Any] = ["N", net.input_dim] if batched else [net.input_dim]
    out_shape: list[Any] = ["N", net.output_dim] if batched else [net.output_dim]
    graph = helper.make_graph(
        nodes, "exactrelu", [helper.make_tensor_value_info("input", elem, in_shape)],
        [helper.make_tensor_value_info("output", elem, out_shape)], initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="exactrelu")
    model.ir_version = 8
    onnx.checker.check_model(model)
    if path is not None:
        onnx.save(model, path)
    return model
