"""Typed errors of exactrelu.

Every error raised on purpose derives from :class:`ExactReluError`, and also
from the built-in exception a caller would expect (``ValueError``,
``TypeError``, ``RuntimeError``), so ``except ValueError`` keeps working.
Errors carry the data that explains them as attributes.
"""

from __future__ import annotations

__all__ = [
    "ExactReluError",
    "InvalidRationalError",
    "ShapeError",
    "DomainError",
    "BudgetExceededError",
    "NetworkFormatError",
    "ClusterError",
]


class ExactReluError(Exception):
    """Base class of every error exactrelu raises on purpose."""


class InvalidRationalError(ExactReluError, ValueError, TypeError):
    """A value could not be read as an exact rational.

    Attributes
    ----------
    value : object
        The offending value.
    where : str
        Where it was found (``"W[1][0][2]"``, ``"domain lower end"``, ...).
    """

    def __init__(self, message: str, *, value: object = None, where: str = "value"):
        super().__init__(message)
        self.value = value
        self.where = where


class ShapeError(ExactReluError, ValueError):
    """Layer shapes do not fit together, or a layer has zero width."""


class DomainError(ExactReluError, ValueError):
    """An empty, reversed or otherwise unusable domain or interval."""


class BudgetExceededError(ExactReluError, RuntimeError):
    """Work would exceed its budget (``max_pieces``); raised before memory runs out.

    Attributes
    ----------
    budget : int
        The value of ``max_pieces`` in force.
    layer : int
        The 1-based hidden layer at which the budget would be exceeded.
    required : int
        How many pieces (activation segments) that layer would have needed.
    name : str
        Which budget: ``"max_pieces"`` (segments) or ``"max_cells"`` (segments
        times layer width, the memory the layer's integer columns take).
    """

    def __init__(self, *, budget: int, layer: int, required: int, name: str = "max_pieces", unit: str = "activation segments"):
        super().__init__(
            f"{name}={budget} exceeded at hidden layer {layer}: "
            f"it needs {required} {unit}; pass a larger {name} to continue"
        )
        self.budget = budget
        self.layer = layer
        self.required = required
        self.name = name


class NetworkFormatError(ExactReluError, ValueError):
    """A network or witness file is malformed (bad JSON, wrong version, missing keys)."""


class ClusterError(ExactReluError, RuntimeError):
    """A Dask cluster cannot be reached, or cannot run the work (search, sweep, chunked count)."""
