"""The grid of a sweep: architectures, initialisations, seeds, slices, and its work units.

A :class:`SweepConfig` is a frozen description of a sweep made of plain values,
so it round-trips through JSON (the header line of a records file) and pickles
to any worker.  :func:`plan_units` cuts it into :class:`WorkUnit` batches of
networks that depend only on the configuration, never on the number of
workers; every network's seed is derived from the sweep seed and the
network's coordinates (:func:`derive_seed`), so a record is the same whether
it was computed in-process, on a process pool or on a Dask cluster.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from typing import Any

from .._validate import check_int
from ..errors import ShapeError

__all__ = [
    "SweepConfig",
    "WorkUnit",
    "NetSpec",
    "INITS",
    "SLICES",
    "derive_seed",
    "plan_units",
    "network_specs",
    "config_from_dict",
]

#: Initialisations a sweep can draw (see :mod:`exactrelu.experiments.init`).
INITS = ("he_normal", "he_uniform", "torch_default", "he_normal_numpy", "he_uniform_numpy", "grid_uniform")
#: How a network is restricted before counting: ``line`` (1-D input: an interval of R;
#: n-D input: the segment between two data-like points) or ``plane`` (2-D: a box
#: for input dim 2, else the triangle-spanned square through three data-like points).
SLICES = ("line", "plane")


def derive_seed(seed: int, *parts: object) -> int:
    """A 63-bit seed from the sweep seed and a network's coordinates (stable across runs and platforms).

    >>> derive_seed(0, "a", 1) == derive_seed(0, "a", 1) != derive_seed(0, "a", 2)
    True
    """
    text = ":".join(str(p) for p in (seed, *parts))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") >> 1


def _positive_ints(name: str, values: Any, *, minimum: int = 1) -> tuple[int, ...]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ShapeError(f"{name}={values!r} must be a sequence of ints >= {minimum}")
    result = tuple(check_int(f"{name}[{i}]", v, minimum) for i, v in enumerate(values))
    if not result:
        raise ShapeError(f"{name}=() must not be empty")
    return result


def _rational_text(name: str, value: Any, *, positive: bool = False) -> str:
    from ..rationals import to_rational

    q = to_rational(value, where=name)
    if q < 0 or (positive and q == 0):
        raise ShapeError(f"{name}={value!r} must be {'positive' if positive else 'non-negative'}")
    return str(q)


@dataclass(frozen=True)
class SweepConfig:
    """What a sweep measures; plain values only (JSON and pickle friendly).

    Parameters
    ----------
    widths, depths : sequences of int
        Every hidden layer of an architecture has the same width; the grid is
        their product (depth = number of hidden layers).
    input_dims : sequence of int
        1 (the line is an interval of R), 2 or more (the network is restricted
        to a line or plane through data-like points, exactly).
    inits : sequence of str
        Names from :data:`INITS`.
    networks : int
        Networks per (architecture, input dimension, initialisation).
    seed : int
        The sweep seed; every network's seed derives from it.
    bias_std : rational
        Standard deviation of the normal biases of ``he_normal``/``he_uniform``
        (Hanin and Rolnick (2019a), Section 3: biases N(0, 10^-6), i.e. std 1/1000).
    half_width : rational
        For input dimension 1 the line is ``[-half_width, half_width]``.
    slice : str
        ``"line"`` or ``"plane"`` (:data:`SLICES`).
    distance_points : int
        Random points per network at which the distance to the nearest boundary is measured.
    grid_denominator : int
        ``q`` of the exact ``grid_uniform`` distribution (entries k/q).
    unit_size : int
        Networks per work unit (one task of an executor).
    max_pieces : int
        Propagation budget per network (``propagate``'s ``max_pieces``).
    """

    widths: tuple[int, ...] = (8, 16, 32)
    depths: tuple[int, ...] = (1, 2, 4, 8)
    input_dims: tuple[int, ...] = (1,)
    inits: tuple[str, ...] = ("he_normal",)
    networks: int = 100
    seed: int = 0
    bias_std: str = "1/1000"
    half_width: str = "1"
    slice: str = "line"
    distance_points: int = 8
    grid_denominator: int = 16
    unit_size: int = 25
    max_pieces: int = 1 << 20

    def __post_init__(self) -> None:
        object.__setattr__(self, "widths", _positive_ints("widths", self.widths))
        object.__setattr__(self, "depths", _positive_ints("depths", self.depths))
        object.__setattr__(self, "input_dims", _positive_ints("input_dims", self.input_dims))
        inits = tuple(self.inits) if not isinstance(self.inits, str) else (self.inits,)
        for name in inits:
            if name not in INITS:
                raise ShapeError(f"inits: {name!r} is not one of {', '.join(INITS)}")
        if not inits:
            raise ShapeError("inits=() must not be empty")
        object.__setattr__(self, "inits", inits)
        for name in ("networks", "unit_size", "grid_denominator", "max_pieces"):
            check_int(name, getattr(self, name), 1)
        for name in ("seed", "distance_points"):
            check_int(name, getattr(self, name), 0)
        object.__setattr__(self, "bias_std", _rational_text("bias_std", self.bias_std))
        object.__setattr__(self, "half_width", _rational_text("half_width", self.half_width, positive=True))
        if self.slice not in SLICES:
            raise ShapeError(f"slice={self.slice!r} must be one of {', '.join(SLICES)}")

    def to_dict(self) -> dict:
        """JSON-ready dict (the records file's header)."""
        data = asdict(self)
        for key in ("widths", "depths", "input_dims", "inits"):
            data[key] = list(data[key])
        return data

    @property
    def total(self) -> int:
        """Number of networks (records) of the sweep."""
        return len(self.widths) * len(self.depths) * len(self.input_dims) * len(self.inits) * self.networks


def config_from_dict(data: dict) -> SweepConfig:
    """Inverse of :meth:`SweepConfig.to_dict` (raises ShapeError on unknown keys)."""
    known = set(SweepConfig.__dataclass_fields__)
    unknown = set(data) - known
    if unknown:
        raise ShapeError(f"unknown sweep configuration keys: {sorted(unknown)}")
    values = dict(data)
    for key in ("widths", "depths", "input_dims", "inits"):
        if key in values:
            values[key] = tuple(values[key])
    return SweepConfig(**values)


@dataclass(frozen=True)
class NetSpec:
    """One network of a sweep: its coordinates and seed (the record's key)."""

    input_dim: int
    width: int
    depth: int
    init: str
    index: int
    seed: int

    @property
    def widths(self) -> tuple[int, ...]:
        return (self.width,) * self.depth

    @property
    def key(self) -> str:
        return f"n{self.input_dim}/w{self.width}/d{self.depth}/{self.init}/{self.index}"

    @property
    def sort_key(self) -> tuple:
        return (self.input_dim, self.width, self.depth, self.init, self.index)


@dataclass(frozen=True)
class WorkUnit:
    """A batch of networks of one architecture, run as one task."""

    index: int
    config: SweepConfig
    specs: tuple[NetSpec, ...]

    @property
    def name(self) -> str:
        s = self.specs[0]
        return f"sweep-unit-{self.index}-n{s.input_dim}-w{s.width}-d{s.depth}-{s.init}"


def network_specs(config: SweepConfig) -> list[NetSpec]:
    """Every network of the sweep, in the canonical (record file) order."""
    specs = []
    for n0 in config.input_dims:
        for width in config.widths:
            for depth in config.depths:
                for init in config.inits:
                    for i in range(config.networks):
                        seed = derive_seed(config.seed, n0, width, depth, init, i)
                        specs.append(NetSpec(n0, width, depth, init, i, seed))
    return specs


def plan_units(config: SweepConfig, done: frozenset[str] | set[str] = frozenset()) -> list[WorkUnit]:
    """Cut the networks not in ``done`` (record keys) into units of one architecture each.

    Units never mix architectures, so one task's arrays have one shape (the
    batched propagator's requirement), and hold at most ``config.unit_size`` nets.

    >>> cfg = SweepConfig(widths=(8,), depths=(1, 2), networks=5, unit_size=2)
    >>> [len(u.specs) for u in plan_units(cfg)]
    [2, 2, 1, 2, 2, 1]
    """
    units: list[WorkUnit] = []
    batch: list[NetSpec] = []

    def flush() -> None:
        if batch:
            units.append(WorkUnit(len(units), config, tuple(batch)))
            batch.clear()

    previous = None
    for spec in network_specs(config):
        if spec.key in done:
            continue
        arch = (spec.input_dim, spec.width, spec.depth, spec.init)
        if arch != previous or len(batch) >= config.unit_size:
            flush()
            previous = arch
        batch.append(spec)
    flush()
    return units
