"""Exact ReLU networks with rational weights.

A :class:`ReLUNetwork` is a sequence of affine layers ``(W, b)`` in PyTorch
orientation (``W`` has shape ``(out, in)``); every layer but the last is
followed by ReLU, the last is affine (docs/theory.md, section 0).  Weights
are exact :class:`~fractions.Fraction` values, validated on construction.
The JSON form is the ``exactrelu.network`` envelope of :mod:`exactrelu.formats`.
"""

from __future__ import annotations

from fractions import Fraction
from math import isfinite, lcm
from typing import Any, Iterable, Sequence, TypeAlias

from . import formats
from ._validate import check_int
from .errors import BudgetExceededError, ExactReluError, NetworkFormatError, ShapeError
from .rationals import RationalLike, format_rational, rational_repr, to_rational

__all__ = [
    "ReLUNetwork",
    "Layer",
    "Widths",
    "FORMAT_VERSION",
    "compose",
    "identity_network",
    "MAX_WEIGHTS",
    "check_weights",
    "dims_weights",
]

#: One layer as accepted by :class:`ReLUNetwork`: ``(W, b)`` with W of shape (out, in).
Layer: TypeAlias = tuple[Sequence[Sequence[RationalLike]], Sequence[RationalLike]]
#: Hidden widths ``(m_1, ..., m_L)``.
Widths: TypeAlias = tuple[int, ...]

#: Default budget on the weights and biases of a network (``max_weights``): each is an exact
#: Fraction of about 100 bytes, and converting 2^22 of them takes seconds; a 5000-wide layer
#: (25 million weights) is refused before any memory is spent.
MAX_WEIGHTS = 1 << 22

#: Version of the JSON network format written by :meth:`ReLUNetwork.to_json`.
FORMAT_VERSION = formats.VERSIONS["network"]

_Matrix = tuple[tuple[Fraction, ...], ...]
_Vector = tuple[Fraction, ...]


def _as_rows(obj: Any, *, where: str) -> list:
    """Turn a nested sequence or numpy array into a list (no conversion of entries)."""
    if hasattr(obj, "tolist") and hasattr(obj, "shape"):
        rows = obj.tolist()
        if not isinstance(rows, list):  # a 0-d array: one number where a row or matrix belongs
            raise ShapeError(f"{where} must be a sequence, got a 0-d array of shape {tuple(obj.shape)}")
        return rows
    if isinstance(obj, (str, bytes, dict)) or not isinstance(obj, Iterable):
        raise ShapeError(f"{where} must be a sequence, got {type(obj).__name__}")
    return list(obj)


def _count_entries(layer: Any) -> int:
    """Weights and biases of a layer, from its shape alone (0 when the layer is malformed: checked later)."""
    try:
        weight, bias = layer
    except (TypeError, ValueError):
        return 0
    count = 0
    for part in (weight, bias):
        size = getattr(part, "size", None)
        if isinstance(size, int) and hasattr(part, "shape"):
            count += size
        elif isinstance(part, Sequence) and not isinstance(part, (str, bytes)):
            count += sum(len(row) if isinstance(row, Sequence) and not isinstance(row, (str, bytes)) else 1
                         for row in part)
    return count


#: Shared Fractions of the small integers (weights are mostly small ints: no allocation for them).
_SMALL_INTS = {v: Fraction(v) for v in range(-256, 257)}


def _entries(values: list, allow_float: bool, where: Any) -> tuple[Fraction, ...]:
    """Exact entries; ``where(i)`` names entry i in an error (built only then: it is the slow part)."""
    out = []
    small = _SMALL_INTS
    for i, v in enumerate(values):
        if type(v) is int:
            f = small.get(v)
            out.append(Fraction(v) if f is None else f)
        elif type(v) is Fraction:
            out.append(v)
        elif type(v) is float and allow_float and isfinite(v):
            out.append(Fraction(v))  # a binary float is exactly this dyadic rational
        else:
            out.append(to_rational(v, where=where(i), allow_float=allow_float))
    return tuple(out)


def _convert_layer(index: int, layer: Any, allow_float: bool) -> tuple[_Matrix, _Vector]:
    try:
        weight, bias = layer
    except (TypeError, ValueError):
        raise ShapeError(f"layer {index} must be a pair (W, b)") from None
    rows = _as_rows(weight, where=f"W[{index}]")
    if not rows:
        raise ShapeError(f"W[{index}] has zero rows: layers must have positive width")
    matrix = []
    width_in = None
    for r, row in enumerate(rows):
        entries = _as_rows(row, where=f"W[{index}][{r}]")
        if width_in is None:
            width_in = len(entries)
            if width_in == 0:
                raise ShapeError(f"W[{index}] has zero columns: layers must have positive width")
        elif len(entries) != width_in:
            raise ShapeError(
                f"W[{index}] is ragged: row 0 has {width_in} entries, row {r} has {len(entries)}"
            )
        matrix.append(_entries(entries, allow_float, lambda c, r=r: f"W[{index}][{r}][{c}]"))
    bias_entries = _as_rows(bias, where=f"b[{index}]")
    if len(bias_entries) != len(matrix):
        raise ShapeError(
            f"b[{index}] has {len(bias_entries)} entries but W[{index}] has {len(matrix)} rows"
        )
    vector = _entries(bias_entries, allow_float, lambda r: f"b[{index}][{r}]")
    return tuple(matrix), vector


class ReLUNetwork:
    """An exact ReLU network ``R^{n0} -> R^{out}``.

    Parameters
    ----------
    layers : sequence of (W, b)
        ``W`` of shape ``(out, in)`` (nested sequences or numpy arrays), ``b`` of
        length ``out``.  Entries are int, Fraction or str (``"p/q"``, ``"0.25"``).
        Every layer but the last is followed by ReLU.
    allow_float : bool
        Accept binary floats, converted exactly (see :func:`~exactrelu.to_rational`).
    max_weights : int
        Budget on the number of weights and biases, checked from the shapes
        before anything is converted (default :data:`MAX_WEIGHTS` = 2^22).

    Raises
    ------
    ShapeError
        No layers, zero-width layers, ragged matrices, or consecutive layers
        whose shapes do not fit.
    InvalidRationalError
        A weight that is not an exact rational (NaN, inf, bool, junk, or a float
        without ``allow_float``); the message names the entry, e.g. ``W[1][0][2]``.
    BudgetExceededError
        More than ``max_weights`` weights and biases.

    Examples
    --------
    >>> net = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])   # |x|
    >>> net("-3/2"), net.widths, net.depth
    (Fraction(3, 2), (2,), 1)
    """

    __slots__ = ("_layers", "_hash", "_int")

    def __init__(self, layers: Sequence[Layer], *, allow_float: bool = False, max_weights: int = MAX_WEIGHTS):
        if isinstance(layers, ReLUNetwork):
            layers = layers.layers
        layer_list = _as_rows(layers, where="layers")
        if not layer_list:
            raise ShapeError("a network needs at least one (output) layer")
        check_int("max_weights", max_weights, 1)
        total = 0
        for i, layer in enumerate(layer_list):  # counted from the shapes, before any entry is converted
            total += _count_entries(layer)
            if total > max_weights:
                raise BudgetExceededError(budget=max_weights, layer=i + 1, required=total, name="max_weights",
                                          unit="weights and biases up to this layer (each an exact Fraction)")
        converted = tuple(
            _convert_layer(i, layer, allow_float) for i, layer in enumerate(layer_list)
        )
        for i in range(1, len(converted)):
            expected = len(converted[i - 1][0])
            got = len(converted[i][0][0])
            if got != expected:
                raise ShapeError(
                    f"W[{i}] takes {got} inputs but layer {i - 1} has {expected} outputs"
                )
        self._layers = converted
        self._hash: int | None = None
        self._int: tuple[tuple[tuple[tuple[int, ...], ...], tuple[int, ...], int], ...] | None = None

    @classmethod
    def from_exact(cls, layers: tuple[tuple[_Matrix, _Vector], ...]) -> "ReLUNetwork":
        """Build from layers that are already tuples of Fractions with fitting shapes (no checks).

        For code that builds networks from networks (``compose``, search moves);
        anything from outside goes through the validating constructor.
        """
        obj = object.__new__(cls)
        obj._layers = layers
        obj._hash = None
        obj._int = None
        return obj

    # ----------------------------------------------------------------- shape
    @property
    def layers(self) -> tuple[tuple[_Matrix, _Vector], ...]:
        """The layers as tuples of Fractions: ``((W_1, b_1), ..., (W_out, b_out))``."""
        return self._layers

    @property
    def input_dim(self) -> int:
        """Input dimension n0."""
        return len(self._layers[0][0][0])

    @property
    def output_dim(self) -> int:
        """Output dimension (1 for the networks R -> R of docs/theory.md §0)."""
        return len(self._layers[-1][0])

    @property
    def widths(self) -> Widths:
        """Hidden widths ``(m_1, ..., m_L)``."""
        return tuple(len(w) for w, _ in self._layers[:-1])

    @property
    def depth(self) -> int:
        """Number of hidden layers L."""
        return len(self._layers) - 1

    @property
    def size(self) -> int:
        """Number of hidden units."""
        return sum(self.widths)

    # ------------------------------------------------------------ evaluation
    def _input_vector(self, x: Any) -> tuple[Fraction, ...]:
        point: tuple[Fraction, ...]
        if isinstance(x, (str, int, Fraction)) or not isinstance(x, Iterable):
            point = (to_rational(x, where="x"),)
        else:
            point = tuple(to_rational(v, where=f"x[{i}]") for i, v in enumerate(x))
        if len(point) != self.input_dim:
            raise ShapeError(f"input has dimension {len(point)}, network takes {self.input_dim}")
        return point

    def activations(self, x: Any) -> list[tuple[Fraction, ...]]:
        """Exact pre-activations of every layer at ``x`` (the last entry is the output)."""
        h = self._input_vector(x)
        result = []
        for index, (weight, bias) in enumerate(self._layers):
            z = tuple(sum((w * v for w, v in zip(row, h)), b) for row, b in zip(weight, bias))
            result.append(z)
            if index < len(self._layers) - 1:
                h = tuple(v if v > 0 else Fraction(0) for v in z)
        return result

    def forward(self, x: Any) -> tuple[Fraction, ...]:
        """Exact output vector at ``x``."""
        return self.activations(x)[-1]

    def __call__(self, x: Any) -> Fraction | tuple[Fraction, ...]:
        """Exact output at ``x`` (a Fraction for scalar output, else a tuple)."""
        out = self.forward(x)
        return out[0] if len(out) == 1 else out

    # ------------------------------------------------------------ combinators
    def compose(self, inner: "ReLUNetwork") -> "ReLUNetwork":
        """``self o inner``: feed ``inner``'s output into ``self`` (depths add).

        ``inner``'s affine output layer is merged into ``self``'s first layer.
        """
        return compose(self, inner)

    def __add__(self, other: "ReLUNetwork") -> "ReLUNetwork":
        if not isinstance(other, ReLUNetwork):
            return NotImplemented
        return _combine(self, other, Fraction(1))

    def __sub__(self, other: "ReLUNetwork") -> "ReLUNetwork":
        if not isinstance(other, ReLUNetwork):
            return NotImplemented
        return _combine(self, other, Fraction(-1))

    def __neg__(self) -> "ReLUNetwork":
        return self.scale(-1)

    def __mul__(self, scalar: RationalLike) -> "ReLUNetwork":
        if isinstance(scalar, ReLUNetwork):
            return NotImplemented
        return self.scale(scalar)

    __rmul__ = __mul__

    def scale(self, scalar: RationalLike) -> "ReLUNetwork":
        """The network computing ``scalar * self`` (only the output layer changes)."""
        c = to_rational(scalar, where="scalar")
        *hidden, (weight, bias) = self._layers
        out = (tuple(tuple(c * w for w in row) for row in weight), tuple(c * v for v in bias))
        return ReLUNetwork.from_exact((*hidden, out))

    def shift(self, constant: RationalLike) -> "ReLUNetwork":
        """The network computing ``self + constant``."""
        c = to_rational(constant, where="constant")
        *hidden, (weight, bias) = self._layers
        return ReLUNetwork.from_exact((*hidden, (weight, tuple(v + c for v in bias))))

    def padded(self, depth: int) -> "ReLUNetwork":
        """The same function with identity layers (``y = relu(y) - relu(-y)``) appended up to ``depth``."""
        if depth < self.depth:
            raise ShapeError(f"depth={depth} is less than the network's depth {self.depth}")
        net = self
        for _ in range(depth - self.depth):
            net = compose(identity_network(net.output_dim), net)
        return net

    # -------------------------------------------------------------- equality
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReLUNetwork):
            return NotImplemented
        return self._layers == other._layers

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = self._hash = hash(self._layers)
        return h

    def __repr__(self) -> str:
        fmt = rational_repr
        parts = []
        for weight, bias in self._layers:
            w = "[" + ", ".join("[" + ", ".join(fmt(v) for v in row) + "]" for row in weight) + "]"
            b = "[" + ", ".join(fmt(v) for v in bias) + "]"
            parts.append(f"({w}, {b})")
        return "ReLUNetwork([" + ", ".join(parts) + "])"

    # ------------------------------------------------------------------- I/O
    def to_dict(self) -> dict:
        """The ``exactrelu.network`` envelope (docs/formats.md): rationals as strings."""
        return formats.envelope("network", {
            "layers": [
                {"W": [[format_rational(v) for v in row] for row in weight], "b": [format_rational(v) for v in bias]}
                for weight, bias in self._layers
            ],
        })

    def to_json(self, *, indent: int | None = None) -> str:
        """Serialise to JSON (rationals as strings)."""
        return formats.dumps(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Any) -> "ReLUNetwork":
        """Inverse of :meth:`to_dict`; raises :class:`NetworkFormatError` on malformed data.

        A missing ``format`` field is accepted (hand-written files); ``version`` is required.
        """
        formats.open_envelope(data, "network", what="exactrelu network", default_format=True)
        layers = data.get("layers")
        if not isinstance(layers, list):
            raise NetworkFormatError("network data needs a list 'layers'")
        converted = []
        for i, layer in enumerate(layers):
            if not isinstance(layer, dict) or "W" not in layer or "b" not in layer:
                raise NetworkFormatError(f"layers[{i}] must be an object with keys 'W' and 'b'")
            for key in ("W", "b"):
                formats.reject_floats(layer[key], f"layers[{i}].{key}")
            converted.append((layer["W"], layer["b"]))
        try:
            return cls(converted)
        except ExactReluError as exc:
            raise NetworkFormatError(f"invalid network: {exc}") from exc

    @classmethod
    def from_json(cls, text: str) -> "ReLUNetwork":
        """Parse JSON written by :meth:`to_json`."""
        return cls.from_dict(formats.loads(text))

    def save(self, path: str) -> None:
        """Write the network as JSON to ``path``."""
        formats.write_json(path, self.to_dict())

    @classmethod
    def load(cls, path: str) -> "ReLUNetwork":
        """Read the network held by an exactrelu JSON file (never a pickle).

        Any exactrelu file holding one network is accepted: a network file, a
        witness of a network claim, a tightness result, or a command's
        ``--json`` output (:func:`exactrelu.formats.find_network`).
        """
        return cls.from_dict(formats.find_network(formats.read_json(path), where=str(path)))

    @classmethod
    def from_numpy(cls, layers: Sequence[tuple[Any, Any]], *, max_weights: int = MAX_WEIGHTS) -> "ReLUNetwork":
        """Build from numpy arrays (e.g. trained float weights), converting every float exactly.

        A binary float is an exact dyadic rational; that rational is used, so
        the network computes exactly what float arithmetic would if it had no
        rounding.  NaN and infinities raise :class:`InvalidRationalError`.
        """
        return cls(layers, allow_float=True, max_weights=max_weights)

    # ------------------------------------------- conversions (optional extras, imported on use)
    def to_sympy(self, symbols: Any = None, *, max_units: int = 200) -> Any:
        """The network as a sympy expression in ``Max(0, .)`` (:func:`exactrelu.formulas.network_to_sympy`)."""
        from .formulas import network_to_sympy

        return network_to_sympy(self, symbols, max_units=max_units)

    def to_latex(self, symbols: Any = None, *, max_units: int = 200) -> str:
        """The network as a LaTeX formula (:func:`exactrelu.formulas.network_to_latex`; needs sympy)."""
        from .formulas import network_to_latex

        return network_to_latex(self, symbols, max_units=max_units)

    def to_networkx(self, *, include_zero: bool = False) -> Any:
        """The network as a weighted ``networkx.DiGraph`` (:func:`exactrelu.netgraph.network_to_networkx`)."""
        from .netgraph import network_to_networkx

        return network_to_networkx(self, include_zero=include_zero)

    @classmethod
    def from_torch(cls, module: Any, *, output: int | None = None) -> "ReLUNetwork":
        """The exact network of a torch ``nn.Sequential`` (:func:`exactrelu.io.from_torch`; needs torch)."""
        from .io import from_torch

        return from_torch(module, output=output)

    @classmethod
    def from_onnx(cls, source: Any, *, output: int | None = None) -> "ReLUNetwork":
        """The exact network of an ONNX file or model (:func:`exactrelu.io.load_onnx`; needs onnx)."""
        from .io import load_onnx

        return load_onnx(source, output=output)

    def to_torch(self, *, dtype: str = "float32", round: str | None = None) -> Any:
        """An ``nn.Sequential`` computing the network (:func:`exactrelu.io.to_torch`; needs torch)."""
        from .io import to_torch

        return to_torch(self, dtype=dtype, round=round)

    def to_onnx(self, path: Any = None, *, dtype: str = "float32", round: str | None = None,
                batched: bool = True) -> Any:
        """An ONNX model computing the network, saved to ``path`` if given (:func:`exactrelu.io.to_onnx`)."""
        from .io import to_onnx

        return to_onnx(self, path, dtype=dtype, round=round, batched=batched)

    # ---------------------------------------------------------- integer form
    def integer_layers(self) -> list[tuple[list[list[int]], list[int], int]]:
        """Each layer as ``(W_int, b_int, D)`` with ``W = W_int / D``, ``b = b_int / D``.

        ``D`` is the least common denominator of the layer's entries.
        """
        if self._int is None:  # computed once (the network is immutable), without Fraction arithmetic
            cached = []
            for weight, bias in self._layers:
                den = lcm(*(v.denominator for row in weight for v in row), *(v.denominator for v in bias))
                cached.append((tuple(tuple(v.numerator * (den // v.denominator) for v in row) for row in weight),
                               tuple(v.numerator * (den // v.denominator) for v in bias), den))
            self._int = tuple(cached)
        return [([list(row) for row in w], list(b), den) for w, b, den in self._int]


def dims_weights(dims: Sequence[int]) -> int:
    """Weights and biases of a network with layer sizes ``dims = (n_0, m_1, ..., n_out)``.

    >>> dims_weights((1, 2, 1))
    7
    """
    return sum((a + 1) * b for a, b in zip(dims[:-1], dims[1:]))


def check_weights(count: int, *, max_weights: int = MAX_WEIGHTS, what: str = "network") -> None:
    """Refuse a network of ``count`` weights and biases above ``max_weights``, before it is built.

    For constructions, which know their size from their arguments
    (``tent_map(10**9)`` is refused at once instead of filling the memory).

    Raises
    ------
    BudgetExceededError
        ``name="max_weights"``.
    """
    check_int("max_weights", max_weights, 1)
    if count > max_weights:
        raise BudgetExceededError(budget=max_weights, layer=0, required=count, name="max_weights",
                                  unit=f"weights and biases for the {what} (counted before building it)")


def identity_network(dim: int = 1) -> "ReLUNetwork":
    """One hidden layer of 2*dim units computing the identity, y = relu(y) - relu(-y).

    >>> identity_network(2)((3, "-1/2"))
    (Fraction(3, 1), Fraction(-1, 2))
    """
    check_int("dim", dim, 1)
    one, zero = Fraction(1), Fraction(0)
    hidden_w = []
    for i in range(dim):
        for sign in (one, -one):
            hidden_w.append(tuple(sign if j == i else zero for j in range(dim)))
    out_w = tuple(
        tuple((one if k % 2 == 0 else -one) if k // 2 == i else zero for k in range(2 * dim))
        for i in range(dim)
    )
    return ReLUNetwork.from_exact(
        ((tuple(hidden_w), (zero,) * (2 * dim)), (out_w, (zero,) * dim))
    )


def _matmul(a: _Matrix, b: _Matrix) -> _Matrix:
    return tuple(
        tuple(sum((a[i][k] * b[k][j] for k in range(len(b))), Fraction(0)) for j in range(len(b[0])))
        for i in range(len(a))
    )


def compose(outer: ReLUNetwork, inner: ReLUNetwork) -> ReLUNetwork:
    """The network computing ``outer(inner(x))``; depth is the sum of depths.

    Raises
    ------
    ShapeError
        If ``inner.output_dim != outer.input_dim``.
    """
    if inner.output_dim != outer.input_dim:
        raise ShapeError(
            f"cannot compose: inner network outputs {inner.output_dim} values, "
            f"outer takes {outer.input_dim}"
        )
    *inner_hidden, (w_out, b_out) = inner.layers
    (w_first, b_first), *outer_rest = outer.layers
    merged_w = _matmul(w_first, w_out)
    merged_b = tuple(
        sum((w * v for w, v in zip(row, b_out)), b) for row, b in zip(w_first, b_first)
    )
    return ReLUNetwork.from_exact((*inner_hidden, (merged_w, merged_b), *outer_rest))


def _combine(f: ReLUNetwork, g: ReLUNetwork, sign: Fraction) -> ReLUNetwork:
    """``f + sign * g`` as one network: hidden layers side by side, the shallower padded."""
    if f.input_dim != g.input_dim or f.output_dim != g.output_dim:
        raise ShapeError(
            f"cannot add networks {f.input_dim}->{f.output_dim} and {g.input_dim}->{g.output_dim}"
        )
    depth = max(f.depth, g.depth)
    f, g = f.padded(depth), g.padded(depth)
    zero = Fraction(0)
    layers = []
    for index, ((wf, bf), (wg, bg)) in enumerate(zip(f.layers, g.layers)):
        last = index == depth
        if index == 0 and not last:
            weight = wf + wg
            bias = bf + bg
        elif not last:
            weight = tuple(row + (zero,) * len(wg[0]) for row in wf) + tuple(
                (zero,) * len(wf[0]) + row for row in wg
            )
            bias = bf + bg
        elif index == 0:
            weight = tuple(
                tuple(a + sign * c for a, c in zip(rf, rg)) for rf, rg in zip(wf, wg)
            )
            bias = tuple(a + sign * c for a, c in zip(bf, bg))
        else:
            weight = tuple(rf + tuple(sign * v for v in rg) for rf, rg in zip(wf, wg))
            bias = tuple(a + sign * c for a, c in zip(bf, bg))
        layers.append((weight, bias))
    return ReLUNetwork.from_exact(tuple(layers))
