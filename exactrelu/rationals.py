"""Exact rationals at the boundary of the library.

Every number that enters exactrelu passes through :func:`to_rational`.
Integers, :class:`fractions.Fraction` and strings (``"3"``, ``"-2/7"``,
``"0.25"``, ``"1e-3"``) are accepted as they are.  Binary floats are accepted
only with ``allow_float=True``: a finite float is an exact dyadic rational and
is converted to exactly that rational (``0.1`` becomes
``3602879701896397/36028797018963968``), never rounded to a "nice" one.
``bool``, NaN, infinities and anything else raise
:class:`~exactrelu.errors.InvalidRationalError` naming the value and where it was.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from typing import TypeAlias, Union

from .errors import InvalidRationalError

__all__ = ["RationalLike", "to_rational", "format_rational", "rational_repr"]

#: What the library accepts as an exact number.
RationalLike: TypeAlias = Union[int, Fraction, str]


def to_rational(value: object, *, where: str = "value", allow_float: bool = False) -> Fraction:
    """Convert ``value`` to an exact :class:`~fractions.Fraction`.

    Parameters
    ----------
    value : int, Fraction, str, or float (with ``allow_float``)
        The number.  Strings may be integers, ``"p/q"`` or decimals.
    where : str
        Where the value came from, quoted in the error message.
    allow_float : bool
        Accept binary floats (and numpy floating scalars), converted exactly.

    Returns
    -------
    Fraction

    Raises
    ------
    InvalidRationalError
        For bool, NaN, infinities, floats without ``allow_float``, malformed
        strings and any other type.

    Examples
    --------
    >>> to_rational("3/6")
    Fraction(1, 2)
    >>> to_rational("0.25")
    Fraction(1, 4)
    >>> to_rational(0.1, allow_float=True)
    Fraction(3602879701896397, 36028797018963968)
    >>> to_rational(0.5)
    Traceback (most recent call last):
    ...
    exactrelu.errors.InvalidRationalError: value=0.5: floats are not exact; write the number as a string ('0.5') or a Fraction, or convert the binary float itself exactly with Fraction(0.5) (= 1/2; for whole networks ReLUNetwork(layers, allow_float=True) or ReLUNetwork.from_numpy)
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise InvalidRationalError(
            f"{where}={value!r}: bool is not a number here", value=value, where=where
        )
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, str):
        text = value.strip()
        try:
            result = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise InvalidRationalError(
                f"{where}={value!r}: not a rational (expected an integer, 'p/q' or a decimal)",
                value=value,
                where=where,
            ) from None
        return result
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, numbers.Real):
        as_float = float(value)
        if as_float != as_float or as_float in (float("inf"), float("-inf")):
            raise InvalidRationalError(
                f"{where}={value!r}: NaN and infinities are not rationals",
                value=value,
                where=where,
            )
        if not allow_float:
            raise InvalidRationalError(
                f"{where}={value!r}: floats are not exact; write the number as a string "
                f"('{as_float!r}') or a Fraction, or convert the binary float itself exactly with "
                f"Fraction({as_float!r}) (= {Fraction(as_float)}; for whole networks "
                f"ReLUNetwork(layers, allow_float=True) or ReLUNetwork.from_numpy)",
                value=value,
                where=where,
            )
        return Fraction(as_float)
    raise InvalidRationalError(
        f"{where}={value!r}: expected int, Fraction or str, got {type(value).__name__}",
        value=value,
        where=where,
    )


def rational_repr(value: Fraction) -> str:
    """A rational as it pastes back into Python code: ``3`` for integers, ``'-2/7'`` otherwise.

    The form every repr of the library uses (``ReLUNetwork([([[1], ['1/2']], ...``).

    >>> rational_repr(Fraction(3)), rational_repr(Fraction(-2, 7))
    ('3', "'-2/7'")
    """
    return str(value.numerator) if value.denominator == 1 else repr(str(value))


def format_rational(value: Fraction) -> str:
    """The canonical string of a rational: ``"3"``, ``"-2/7"`` (the JSON form).

    Examples
    --------
    >>> format_rational(Fraction(-4, 14))
    '-2/7'
    """
    return str(value)
