"""Claims the counterexample search tests, and the exact measurement of one claim on one witness."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Sequence

from ..report import CheckResult

__all__ = ["Claim", "Evaluation", "function_ref"]


@dataclass(frozen=True, init=False)
class Evaluation(CheckResult):
    """The exact measurement of a claim on one witness (a :class:`~exactrelu.report.CheckResult`).

    Attributes
    ----------
    violation : Fraction
        Positive exactly when the claim fails (e.g. ``measured - bound``).
    measured : dict
        Named exact quantities (int or Fraction), e.g. ``{"pieces": 16, "bound": 13}``.

    ``holds`` is ``violation <= 0``; ``value`` is the violation as text.

    >>> e = Evaluation(Fraction(3), {"pieces": 16, "bound": 13})
    >>> e.violated, e.holds, e.value
    (True, False, '3')
    """

    violation: Fraction = Fraction(0)
    measured: dict = field(default_factory=dict)

    def __init__(self, violation: Fraction, measured: dict | None = None) -> None:
        super().__init__("violation", "", not violation > 0, str(violation), "<= 0")
        object.__setattr__(self, "violation", violation)
        object.__setattr__(self, "measured", {} if measured is None else measured)

    @property
    def violated(self) -> bool:
        return self.violation > 0

    def to_dict(self) -> dict:
        """The witness-file form: the violation and the measured quantities as strings."""
        return {"violation": str(self.violation), "measured": {k: str(v) for k, v in self.measured.items()}}


def function_ref(function: Any) -> str | None:
    """``"module:qualname"`` of a module-level function, or None if it cannot be imported back.

    None for lambdas and nested functions, for functions of a script run as
    ``__main__``, and for code executed under a module name that no import
    finds.

    >>> from exactrelu.search.catalogue import telgarsky_B1
    >>> function_ref(telgarsky_B1)
    'exactrelu.search.catalogue:telgarsky_B1'
    >>> function_ref(lambda net: 0) is None
    True
    """
    module = getattr(function, "__module__", None)
    qualname = getattr(function, "__qualname__", None)
    if not module or not qualname or "<" in qualname:
        return None
    import sys

    if module == "__main__":
        spec = getattr(sys.modules.get("__main__"), "__spec__", None)
        if spec is None or not spec.name or spec.name == "__main__":
            return None  # a script: its functions cannot be imported by name
        module = spec.name
    loaded = sys.modules.get(module)
    if loaded is None or getattr(loaded, "__spec__", None) is None:
        return None  # code run with exec() under a made-up module name
    return f"{module}:{qualname}"


@dataclass(frozen=True)
class Claim:
    """A claim the search can test.

    Parameters
    ----------
    name : str
        Short identifier (the catalogue's key, quoted in witness files).
    statement : str
        The claim in words.
    function : callable
        ``function(witness)`` returns an :class:`Evaluation`, a number (the
        violation) or a bool (True: the claim holds for this witness).  Must be
        a module-level function for process or Dask executors (pickling), and
        for ``exactrelu check`` to find it again from a witness file
        (the file records it as ``module:function``).
    space : NetworkSpace, PiecewiseLinearSpace or PairSpace
        The default search space (what a witness is).
    source : str
        Where the claim comes from.
    expected : bool or None
        True if the claim is a theorem, False if it is known to be false, None if open.
    budget : int
        Default number of evaluations.
    measure_many : callable, optional
        ``measure_many(witnesses)`` returns, for a list of witnesses, the exact
        violation of each (a Fraction, equal to ``evaluate(w).violation``) or
        None where ``evaluate`` would raise an :class:`~exactrelu.errors.ExactReluError`
        (e.g. a propagation budget).  The random search counts blocks of
        witnesses with it in one call (e.g. :func:`exactrelu.batch.propagate_many`)
        and re-runs the exact :meth:`evaluate` only on those it shows violating,
        so reported witnesses and violations are the same as without it
        (``tests/test_search_batch.py`` checks both agree).  Module level, like
        ``function``, for process and Dask executors.
    """

    name: str
    statement: str
    function: Callable[[Any], Any]
    space: Any
    source: str = ""
    expected: bool | None = None
    budget: int = 1500
    measure_many: Callable[[Sequence[Any]], Sequence[Fraction | None]] | None = None

    def evaluate(self, witness: Any) -> Evaluation:
        """Measure the claim on ``witness`` exactly."""
        out = self.function(witness)
        if isinstance(out, Evaluation):
            return out
        if isinstance(out, bool):
            return Evaluation(Fraction(0) if out else Fraction(1), {"holds": int(out)})
        if isinstance(out, (int, Fraction)):
            return Evaluation(Fraction(out), {})
        raise TypeError(
            f"claim {self.name!r}: function returned {type(out).__name__}; "
            "expected an Evaluation, a bool (holds) or an exact number (violation)"
        )

    @property
    def ref(self) -> str | None:
        """``"module:function"`` of the measuring function (None for lambdas and scripts' functions)."""
        return function_ref(self.function)
