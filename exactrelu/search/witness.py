"""Search outcomes, and witness files that any exactrelu can re-check.

A :class:`Counterexample` is saved as an ``exactrelu.witness`` file
(:mod:`exactrelu.formats`, docs/formats.md): the claim's name, and for a
claim outside the catalogue the importable ``"module:function"`` that
measures it (``claim_ref``), its statement and source, the search space, the
witness itself (a network or PWL envelope), what was measured and how it was
found.  :func:`load_witness` reads it back, finding the claim in the
catalogue, from ``claim_ref``, or from a ``claim=`` given by the caller.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .. import formats
from .._version import __version__
from .._validate import check_int
from ..errors import NetworkFormatError
from ..rationals import quote, to_rational
from .catalogue import CATALOGUE, get_claim
from .claim import Claim, Evaluation
from .spaces import space_from_dict

__all__ = ["SearchReport", "Counterexample", "load_witness", "resolve_claim", "import_claim", "WITNESS_FORMAT_VERSION"]

#: Version of the witness JSON format written by :meth:`Counterexample.to_json`.
WITNESS_FORMAT_VERSION = formats.VERSIONS["witness"]


@dataclass(frozen=True)
class SearchReport:
    """What a search did when it found no counterexample (or on the way to one).

    ``best_violation`` is the largest violation seen (<= 0 when nothing was
    found: how close the search came) and ``best_witness`` the witness with it.
    """

    claim: str
    space: dict
    seed: int
    budget: int
    evaluations: int
    by_strategy: dict
    units: int
    best_violation: Fraction | None
    best_witness: Any
    errors: int
    seconds: float

    found = False

    def to_dict(self) -> dict:
        return {
            "claim": self.claim, "space": self.space, "seed": self.seed, "budget": self.budget,
            "evaluations": self.evaluations, "by_strategy": self.by_strategy, "units": self.units,
            "best_violation": None if self.best_violation is None else str(self.best_violation),
            "best_witness": self.best_witness, "errors": self.errors, "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class Counterexample:
    """An exact witness that violates a claim, with what was measured and how it was found."""

    claim: Claim
    space: Any
    witness: Any
    evaluation: Evaluation
    strategy: str
    unit_seed: int
    report: SearchReport | None = None

    found = True

    @property
    def measured(self) -> dict:
        return self.evaluation.measured

    @property
    def violation(self) -> Fraction:
        return self.evaluation.violation

    def recheck(self) -> Evaluation:
        """Recompute every measured quantity from scratch (from the witness's JSON form)."""
        fresh = self.space.decode(json.loads(json.dumps(self.space.encode(self.witness))))
        return self.claim.evaluate(fresh)

    def to_dict(self) -> dict:
        """The ``exactrelu.witness`` envelope (docs/formats.md)."""
        body: dict[str, Any] = {"claim": self.claim.name}
        if CATALOGUE.get(self.claim.name) is not self.claim:
            body["claim_ref"] = self.claim.ref
        body.update({
            "statement": self.claim.statement,
            "source": self.claim.source,
            "space": self.space.describe(),
            "witness": self.space.encode(self.witness),
            **self.evaluation.to_dict(),
            "found_by": {"strategy": self.strategy, "unit_seed": self.unit_seed},
        })
        if self.report is not None:
            body["found_by"].update(seed=self.report.seed, budget=self.report.budget,
                                    evaluations=self.report.evaluations)
        body["exactrelu_version"] = __version__
        return formats.envelope("witness", body)

    def to_json(self, *, indent: int | None = 1) -> str:
        return formats.dumps(self.to_dict(), indent=indent)

    def save(self, path: str) -> None:
        """Write the witness file (JSON, rationals as strings)."""
        formats.write_json(path, self.to_dict())

    def __repr__(self) -> str:
        return (f"<Counterexample to {self.claim.name!r}: violation {self.violation}, "
                f"measured {{{', '.join(f'{k}: {v}' for k, v in self.measured.items())}}}, "
                f"witness {self.witness!r}>")


def import_claim(ref: str, *, name: str = "", statement: str = "", space: Any = None, source: str = "") -> Claim:
    """The claim named by ``"module:attribute"``: a :class:`Claim` object, or a measuring function.

    A function is wrapped in a :class:`Claim` with the given name, statement,
    space and source (as stored in a witness file).  The current directory is
    searched as well, so a module next to the witness file is found.

    Raises
    ------
    NetworkFormatError
        Malformed reference, module not importable, or no such attribute.
    """
    module_name, sep, attribute = ref.partition(":")
    if not sep or not module_name or not attribute:
        raise NetworkFormatError(f"claim reference {quote(ref)} must look like 'module:function'")
    import importlib

    added = os.getcwd() not in sys.path
    if added:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise NetworkFormatError(f"claim reference {ref!r}: cannot import {module_name!r} ({exc})") from None
    finally:
        if added:
            sys.path.remove(os.getcwd())
    obj: Any = module
    for part in attribute.split("."):
        if not hasattr(obj, part):
            raise NetworkFormatError(f"claim reference {ref!r}: {module_name!r} has no attribute {attribute!r}")
        obj = getattr(obj, part)
    if isinstance(obj, Claim):
        return obj
    if not callable(obj):
        raise NetworkFormatError(f"claim reference {ref!r} is neither a Claim nor a function")
    return Claim(name or attribute, statement, obj, space, source)


def resolve_claim(claim: Claim | str) -> Claim:
    """A :class:`Claim`, a catalogue name, or an importable ``"module:function"``."""
    if isinstance(claim, Claim):
        return claim
    if isinstance(claim, str):
        if ":" in claim:
            return import_claim(claim)
        return get_claim(claim)
    raise TypeError(f"claim={claim!r} must be a Claim, a catalogue name or 'module:function'")


def _claim_for(data: dict, space: Any, claim: Claim | str | None) -> Claim:
    name = data["claim"]
    if isinstance(claim, str):
        if ":" in claim:
            claim = import_claim(claim, name=name, statement=str(data.get("statement", "")), space=space,
                                 source=str(data.get("source", "")))
        else:
            try:
                claim = get_claim(claim)
            except KeyError as exc:
                raise NetworkFormatError(str(exc.args[0])) from None
    if claim is not None:
        if claim.name != name:
            raise NetworkFormatError(f"the file is a witness for {quote(name)}, not for {claim.name!r}")
        return claim
    ref = data.get("claim_ref")
    if ref:
        found = import_claim(str(ref), name=name, statement=str(data.get("statement", "")), space=space,
                             source=str(data.get("source", "")))
        if found.name != name:
            raise NetworkFormatError(f"claim_ref {quote(ref)} names the claim {found.name!r}, the file {quote(name)}")
        return found
    if name in CATALOGUE:
        return CATALOGUE[name]
    raise NetworkFormatError(
        f"unknown claim {quote(name)}: it is not in the catalogue ({', '.join(CATALOGUE)}) and the file has no "
        "importable claim_ref; define the claim's function at module level in an importable module, "
        "or name it with --claim MODULE:FUNCTION")


def load_witness(path_or_data: Any, *, claim: Claim | str | None = None) -> Counterexample:
    """Read a witness file (or its parsed dict) back into a :class:`Counterexample`.

    The claim is, in this order: ``claim`` if given (a :class:`Claim`, a
    catalogue name or ``"module:function"``), the file's ``claim_ref``, or the
    catalogue entry of the file's claim name.  The stored measurements are
    kept in :attr:`Counterexample.evaluation`; call
    :meth:`~Counterexample.recheck` to recompute them.

    Raises
    ------
    NetworkFormatError
        Unreadable or malformed file, wrong format or version, unknown claim.
    """
    data = path_or_data if isinstance(path_or_data, dict) else formats.read_json(path_or_data)
    if not isinstance(data, dict) or data.get("format") != formats.format_name("witness"):
        raise NetworkFormatError("not an exactrelu witness file (format must be 'exactrelu.witness')")
    formats.open_envelope(data, "witness")
    for key in ("claim", "space", "witness", "violation", "measured"):
        if key not in data:
            raise NetworkFormatError(f"witness file lacks the key {key!r}")
    if not isinstance(data["claim"], str):
        raise NetworkFormatError(f"claim={quote(data['claim'])} must be a string (the claim's name)")
    space = space_from_dict(data["space"])
    resolved = _claim_for(data, space, claim)
    claim_kind = getattr(resolved.space, "kind", None)
    if claim_kind is not None and claim_kind != space.kind:
        raise NetworkFormatError(f"claim {resolved.name!r} is about {claim_kind} witnesses, but the file's "
                                 f"space is of kind {space.kind!r}")
    formats.reject_floats(data["measured"], "measured")
    formats.reject_floats(data["violation"], "violation")
    if not isinstance(data["measured"], dict):
        raise NetworkFormatError(f"measured={quote(data['measured'])} must be an object of exact numbers")
    try:
        witness = space.decode(data["witness"])
        measured = {str(k): to_rational(v, where=f"measured.{k}") for k, v in data["measured"].items()}
        violation = to_rational(data["violation"], where="violation")
    except (ValueError, TypeError, ZeroDivisionError) as exc:
        raise NetworkFormatError(f"malformed witness: {exc}") from None
    if not violation > 0:
        raise NetworkFormatError(f"violation={violation}: a witness file records a counterexample, whose "
                                 "violation is positive")
    _check_fits(space, witness)
    found_by = data.get("found_by", {})
    if not isinstance(found_by, dict):
        raise NetworkFormatError(f"found_by={quote(found_by)} must be an object")
    unit_seed = found_by.get("unit_seed", 0)
    if not isinstance(unit_seed, int):
        raise NetworkFormatError(f"found_by.unit_seed={quote(unit_seed)} must be an int")
    check_int("found_by.unit_seed", unit_seed, error=NetworkFormatError)  # not a bool
    strategy = found_by.get("strategy", "?")
    if not isinstance(strategy, str):
        raise NetworkFormatError(f"found_by.strategy={quote(strategy)} must be a string")
    return Counterexample(resolved, space, witness, Evaluation(violation, measured), strategy, unit_seed)


def _check_fits(space: Any, witness: Any) -> None:
    """A network witness must have the space's widths (one input, one output)."""
    widths = getattr(space, "widths", None)
    if widths is None:
        return
    if tuple(witness.widths) != tuple(widths) or witness.input_dim != 1 or witness.output_dim != 1:
        raise NetworkFormatError(
            f"the witness network is {witness.input_dim} -> {witness.widths} -> {witness.output_dim}, but the "
            f"file's space holds networks 1 -> {tuple(widths)} -> 1")
