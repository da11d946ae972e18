"""Shared pieces of the importers: the report, exact array conversion, the affine chain.

Every importer turns its source into a sequence of *affine maps* and *ReLUs*
and feeds them to :class:`_Chain`, which merges consecutive affine maps exactly
(``W2 (W1 x + b1) + b2``), drops a ReLU that follows a ReLU (ReLU is idempotent)
and ends with an affine output layer, as :class:`~exactrelu.network.ReLUNetwork`
requires (an identity output layer when the source ends with a ReLU).

A binary float is a dyadic rational ``m * 2^e``; :class:`fractions.Fraction`
of a float is that rational exactly, so importing float32 or float64 weights
loses nothing: the imported network computes what the float network would
compute if its arithmetic had no rounding.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Mapping, NamedTuple

import numpy as np

from .._validate import check_int
from ..errors import ExactReluError, NetworkFormatError, ShapeError
from ..network import ReLUNetwork

__all__ = [
    "ImportReport",
    "ImportResult",
    "NotRepresentableError",
    "select_output",
    "split_outputs",
]

_ZERO = Fraction(0)
_ONE = Fraction(1)

#: What the report says about float weights (they are converted exactly).
EXACT_NOTE = (
    "exact dyadic conversion of {dtypes} weights: every float is the rational m*2^e "
    "it encodes (Fraction(float) is exact); nothing was rounded"
)


class NotRepresentableError(ExactReluError, ValueError):
    """An exact weight has no exact value in the requested float dtype.

    Raised by the exporters unless the caller asks for rounding
    (``round="nearest"``).

    Attributes
    ----------
    value : Fraction
        The weight.
    where : str
        Which weight (``"W[1][0][2]"``, ``"b[0][3]"``).
    dtype : str
        The dtype asked for (``"float32"``, ``"float64"``).
    """

    def __init__(self, message: str, *, value: Fraction, where: str, dtype: str):
        super().__init__(message)
        self.value = value
        self.where = where
        self.dtype = dtype


@dataclass(frozen=True)
class ImportReport:
    """What an importer read and how it converted it.

    Attributes
    ----------
    source_format : str
        ``"torch.nn.Sequential"``, ``"torch state_dict"``, ``"torch .pt"``,
        ``"onnx"``, ``"npz"``, ``"safetensors"`` or ``"exactrelu json"``.
    source : str or None
        The file read, if any.
    dtypes : tuple of str
        The dtypes of the weights read (``("float32",)``).
    conversion : str
        How numbers became rationals (always exact; the sentence says so).
    input_dim, output_dim : int
        Of the network in the source (before choosing an output).
    output : int or None
        The output chosen with ``output=``; None keeps every output.
    widths : tuple of int
        Hidden widths of the imported network.
    notes : tuple of str
        What the importer did besides reading weights (merged affine layers,
        skipped Dropout, added an identity output layer, ...).
    """

    source_format: str
    source: str | None
    dtypes: tuple[str, ...]
    conversion: str
    input_dim: int
    output_dim: int
    output: int | None
    widths: tuple[int, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def exact(self) -> bool:
        """Always True: importers never round (kept so reports can be checked)."""
        return True

    def to_dict(self) -> dict:
        """JSON-ready form (``"format": "exactrelu-import-report"``)."""
        return {
            "format": "exactrelu-import-report",
            "version": 1,
            "source_format": self.source_format,
            "source": self.source,
            "dtypes": list(self.dtypes),
            "conversion": self.conversion,
            "exact": self.exact,
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "output": self.output,
            "widths": list(self.widths),
            "notes": list(self.notes),
        }


class ImportResult(NamedTuple):
    """``(network, report)`` as returned by :func:`exactrelu.io.read_network`."""

    network: ReLUNetwork
    report: ImportReport


# --------------------------------------------------------------- conversion
_FLOAT_NAMES = {"float16", "float32", "float64", "bfloat16"}


def exact_array(array: Any, *, where: str, dtypes: set[str] | None = None) -> np.ndarray:
    """A numpy array of float or integer numbers as an object array of exact Fractions.

    Floats (float16, bfloat16, float32, float64) are converted exactly; integers
    are exact already.  NaN and infinities, and every other dtype (bool, complex,
    strings that are not rationals, objects) raise :class:`NetworkFormatError`
    naming ``where``.  Unicode arrays of rationals (``"-3/8"``) are read exactly.
    ``dtypes`` collects the dtype names seen, for the report.
    """
    arr = np.asarray(array)
    name = arr.dtype.name
    kind = arr.dtype.kind
    if kind == "U":
        flat = [_rational_string(s, where) for s in arr.ravel().tolist()]
        if dtypes is not None:
            dtypes.add("rational strings")
        return _object(flat, arr.shape)
    if kind in "iu":
        if dtypes is not None:
            dtypes.add(name)
        return _object([Fraction(int(v)) for v in arr.ravel().tolist()], arr.shape)
    if name not in _FLOAT_NAMES or kind not in "fV":
        raise NetworkFormatError(
            f"{where} has dtype {name}: weights must be floats (float16, bfloat16, float32, "
            "float64), integers, or rational strings"
        )
    wide = arr.astype(np.float64)  # exact: every narrower binary float is a float64
    if not np.isfinite(wide).all():
        bad = np.argwhere(~np.isfinite(wide))[0]
        value = wide[tuple(bad)]
        raise NetworkFormatError(
            f"{where}[{']['.join(str(int(i)) for i in bad)}]={value}: NaN and infinities are not rationals"
        )
    if dtypes is not None:
        dtypes.add(name)
    return _object([Fraction(v) for v in wide.ravel().tolist()], arr.shape)


def _rational_string(text: str, where: str) -> Fraction:
    try:
        return Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise NetworkFormatError(f"{where} holds {text!r}, which is not a rational") from None


def _object(values: list, shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out.reshape(shape)


def conversion_note(dtypes: Iterable[str]) -> str:
    """The report's sentence on how numbers became rationals."""
    names = sorted(dtypes)
    floats = [n for n in names if n in _FLOAT_NAMES]
    if not floats:
        return "exact: the weights are integers or rationals; nothing was converted or rounded"
    return EXACT_NOTE.format(dtypes="/".join(floats))


def eye(n: int) -> np.ndarray:
    """The n x n identity as an object array of Fractions."""
    out = _object([_ZERO] * (n * n), (n, n))
    for i in range(n):
        out[i, i] = _ONE
    return out


def zeros(n: int) -> np.ndarray:
    return _object([_ZERO] * n, (n,))


def as_fractions(array: np.ndarray) -> np.ndarray:
    """Entries as Fractions (object-array sums of Fractions can yield plain ints)."""
    return _object([v if isinstance(v, Fraction) else Fraction(v) for v in array.ravel().tolist()], array.shape)


# -------------------------------------------------------------------- chain
@dataclass(frozen=True)
class _Chain:
    """An immutable prefix of a network: hidden layers done, then a pending affine map.

    ``W`` (shape ``(width, base)``) and ``b`` map the current base vector (the
    input, or the last hidden layer's output) to the current features;
    ``W is None`` means the identity (kept symbolic so wide inputs cost nothing).
    """

    input_dim: int
    hidden: tuple[tuple[np.ndarray, np.ndarray], ...] = ()
    W: np.ndarray | None = None
    b: np.ndarray | None = None
    width: int = 0
    merged: int = 0  # affine maps merged into a predecessor
    notes: tuple[str, ...] = ()

    @classmethod
    def start(cls, input_dim: int) -> "_Chain":
        return cls(input_dim=input_dim, width=input_dim)

    def _pending(self) -> tuple[np.ndarray, np.ndarray]:
        W = eye(self.width) if self.W is None else self.W
        b = zeros(self.width) if self.b is None else self.b
        return W, b

    def affine(self, A: np.ndarray, c: np.ndarray | None, *, where: str) -> "_Chain":
        """Apply ``x -> A x + c`` (A of shape (n, width)) to the current features."""
        if A.ndim != 2 or A.shape[1] != self.width:
            raise ShapeError(
                f"{where}: weight of shape {tuple(A.shape)} does not take the {self.width} "
                "features it is applied to"
            )
        n = A.shape[0]
        if n == 0:
            raise ShapeError(f"{where} has zero outputs: layers must have positive width")
        if c is not None and c.shape != (n,):
            raise ShapeError(f"{where}: bias of shape {tuple(c.shape)} does not fit {n} outputs")
        merged = self.merged
        if self.W is None:
            W_new = A
            b_new = A @ self.b if self.b is not None else None
        else:
            W_new = A @ self.W
            b_new = A @ self.b
            merged += 1
        if c is not None:
            b_new = c if b_new is None else b_new + c
        return _replace(self, W=W_new, b=b_new, width=n, merged=merged)

    def add_bias(self, c: np.ndarray) -> "_Chain":
        b = c if self.b is None else self.b + c
        return _replace(self, b=b)

    def gather(self, index: np.ndarray) -> "_Chain":
        """New features ``f[index]`` (broadcasting copies features)."""
        W, b = self._pending()
        if self.W is None and len(index) == self.width and (index == np.arange(self.width)).all():
            return self
        return _replace(self, W=W[index], b=b[index], width=len(index))

    def relu(self) -> "_Chain":
        if self.W is None and self.b is None and self.hidden:
            return self  # ReLU after ReLU: idempotent
        W, b = self._pending()
        return _replace(self, hidden=self.hidden + ((W, b),), W=None, b=None)

    def note(self, text: str) -> "_Chain":
        return _replace(self, notes=self.notes + (text,))

    def network(self) -> ReLUNetwork:
        W, b = self._pending()
        layers = [(w.tolist(), as_fractions(v).tolist()) for w, v in (*self.hidden, (as_fractions(W), b))]
        try:
            net = ReLUNetwork(layers)
        except ExactReluError as exc:  # shapes were checked on the way; this is a safety net
            raise NetworkFormatError(f"the imported layers do not form a network: {exc}") from exc
        return net

    def all_notes(self) -> tuple[str, ...]:
        extra: tuple[str, ...] = ()
        if self.merged:
            extra += (f"{self.merged} affine map(s) without a ReLU between were merged exactly",)
        if self.W is None and self.b is None and self.hidden:
            extra += ("the source ends with ReLU: an identity output layer was added",)
        return self.notes + extra


def _replace(chain: _Chain, **changes: Any) -> _Chain:
    return dataclasses.replace(chain, **changes)


# ------------------------------------------------------------- (W, b) pairs
_TORCH_KEY = re.compile(r"^(?P<prefix>.+)\.(?P<kind>weight|bias)$")
_PLAIN_KEY = re.compile(r"^(?P<kind>[Wb])_?(?P<index>\d+)$")


def _natural_key(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def pairs_from_mapping(
    tensors: Mapping[str, Any], *, where: str, sort: bool
) -> list[tuple[str, Any, str | None, Any]]:
    """Group ``{key: array}`` into ordered ``(weight_key, W, bias_key, b)`` layers.

    Accepted key names (one style per file):

    * PyTorch's ``"<prefix>.weight"`` / ``"<prefix>.bias"`` (``"0.weight"``,
      ``"layers.2.bias"``, ``"fc1.weight"``); a missing bias is zero.  Layers are
      in the mapping's order, or in natural order of the prefixes (``"2" < "10"``)
      when ``sort`` is true (safetensors does not keep an order).
    * ``"W0"``, ``"b0"``, ``"W1"``, ... (or ``"W_0"``, ``"b_0"``): layer ``i`` is
      ``(W<i>, b<i>)``, indices ``0 .. L-1`` without gaps.

    Raises
    ------
    NetworkFormatError
        Unexpected keys, mixed styles, gaps, a bias without a weight, an empty mapping.
    """
    keys = list(tensors)
    if not keys:
        raise NetworkFormatError(f"{where} holds no weights")
    if all(_PLAIN_KEY.match(k) for k in keys):
        found: dict[int, dict[str, str]] = {}
        for k in keys:
            m = _PLAIN_KEY.match(k)
            assert m is not None
            found.setdefault(int(m["index"]), {})[m["kind"]] = k
        order = sorted(found)
        if order != list(range(len(order))):
            raise NetworkFormatError(f"{where}: layer indices {order} must be 0, 1, ..., {len(order) - 1}")
        result = []
        for i in order:
            if "W" not in found[i]:
                raise NetworkFormatError(f"{where}: {found[i]['b']!r} has no matching W{i}")
            bk = found[i].get("b")
            result.append((found[i]["W"], tensors[found[i]["W"]], bk, None if bk is None else tensors[bk]))
        return result
    groups: dict[str, dict[str, str]] = {}
    for k in keys:
        m = _TORCH_KEY.match(k)
        if m is None:
            raise NetworkFormatError(
                f"{where}: unexpected key {k!r}; expected Linear weight/bias pairs named "
                "'<prefix>.weight'/'<prefix>.bias' (e.g. '0.weight') or 'W0'/'b0'"
            )
        groups.setdefault(m["prefix"], {})[m["kind"]] = k
    prefixes = sorted(groups, key=_natural_key) if sort else list(groups)
    result = []
    for p in prefixes:
        if "weight" not in groups[p]:
            raise NetworkFormatError(f"{where}: {p + '.bias'!r} has no matching {p + '.weight'!r}")
        wk, bk = groups[p]["weight"], groups[p].get("bias")
        result.append((wk, tensors[wk], bk, None if bk is None else tensors[bk]))
    return result


def network_from_pairs(
    pairs: list[tuple[str, Any, str | None, Any]], *, where: str, dtypes: set[str]
) -> tuple[ReLUNetwork, tuple[str, ...]]:
    """The network with ReLU between consecutive ``(W, b)`` pairs (W of shape (out, in))."""
    chain: _Chain | None = None
    notes: list[str] = []
    for index, (wk, weight, bk, bias) in enumerate(pairs):
        W = exact_array(weight, where=f"{where}[{wk!r}]", dtypes=dtypes)
        if W.ndim != 2:
            raise ShapeError(f"{where}[{wk!r}] has shape {tuple(W.shape)}: a weight must be 2-D (out, in)")
        if bias is None:
            b = zeros(W.shape[0])
            notes.append(f"{wk!r} has no bias: zero bias")
        else:
            b = exact_array(bias, where=f"{where}[{bk!r}]", dtypes=dtypes)
            if b.ndim != 1:
                raise ShapeError(f"{where}[{bk!r}] has shape {tuple(b.shape)}: a bias must be 1-D")
        if chain is None:
            if W.shape[1] == 0:
                raise ShapeError(f"{where}[{wk!r}] takes zero inputs")
            chain = _Chain.start(W.shape[1])
        else:
            chain = chain.relu()
        chain = chain.affine(W, b, where=f"{where}[{wk!r}]")
    assert chain is not None
    return chain.network(), tuple(notes) + chain.all_notes()


# ------------------------------------------------------------------ outputs
def select_output(net: ReLUNetwork, output: int | None) -> ReLUNetwork:
    """The network computing output coordinate ``output`` of ``net`` (None: ``net`` itself).

    Raises
    ------
    ShapeError
        ``output`` is not an int in ``0 .. net.output_dim - 1``.

    Examples
    --------
    >>> net = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1], [1, 0]], [0, 5])])
    >>> select_output(net, 1)(-2)
    Fraction(5, 1)
    """
    if output is None:
        return net
    check_int("output", output, 0)
    if not output < net.output_dim:
        raise ShapeError(f"output={output} is out of range: the network has {net.output_dim} outputs")
    *hidden, (weight, bias) = net.layers
    return ReLUNetwork.from_exact((*hidden, ((weight[output],), (bias[output],))))


def split_outputs(net: ReLUNetwork) -> tuple[ReLUNetwork, ...]:
    """One single-output network per output coordinate (to analyse each).

    >>> net = ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1], [1, 0]], [0, 5])])
    >>> [f(-2) for f in split_outputs(net)]
    [Fraction(2, 1), Fraction(5, 1)]
    """
    return tuple(select_output(net, i) for i in range(net.output_dim))


def finish(
    net: ReLUNetwork,
    *,
    output: int | None,
    source_format: str,
    source: str | None,
    dtypes: Iterable[str],
    notes: Iterable[str] = (),
) -> ImportResult:
    """Choose the output and write the report."""
    chosen = select_output(net, output)
    report = ImportReport(
        source_format=source_format,
        source=source,
        dtypes=tuple(sorted(dtypes)),
        conversion=conversion_note(dtypes),
        input_dim=net.input_dim,
        output_dim=net.output_dim,
        output=output,
        widths=chosen.widths,
        notes=tuple(notes),
    )
    return ImportResult(chosen, report)
