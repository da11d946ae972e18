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
import re
from fractions import Fraction
from typing import TypeAlias, Union

from .errors import InvalidRationalError

__all__ = ["RationalLike", "to_rational", "format_rational", "rational_repr", "int_to_str", "str_to_int",
           "quote", "MAX_RATIONAL_CHARS"]

#: What the library accepts as an exact number.
RationalLike: TypeAlias = Union[int, Fraction, str]

#: Longest string read as a rational (digits, sign, slash, point, exponent).  Longer text is
#: refused before any conversion (a 50 MB digit string costs minutes of int parsing); the
#: bound is far above any weight a network file needs (10**5000 has 5001 digits).
MAX_RATIONAL_CHARS = 100_000
#: Largest decimal exponent accepted (``"1e1000000000"`` would build a billion-digit integer).
MAX_EXPONENT = MAX_RATIONAL_CHARS

# ASCII only: str.isdigit and Fraction() also take Arabic-Indic, full-width, ... digits ("١", "１/２").
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_RATIONAL = re.compile(
    r"(?P<sign>[+-]?)(?:(?P<num>[0-9]+)/(?P<den>[0-9]+)"
    r"|(?P<int>[0-9]*)(?:\.(?P<frac>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?)",
    re.ASCII,
)
#: Python's default limit on int <-> str conversions is 4300 digits; work in chunks below it.
_CHUNK = 4000


def quote(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to about ``limit`` characters, saying how long it was (for error messages).

    >>> quote("9" * 10**6, 12)
    "'99999999999'... (1000000 characters)"
    """
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit - 1]!r}... ({len(value)} characters)"
    try:
        text = repr(value)
    except ValueError:  # e.g. an int beyond Python's str-conversion limit
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def str_to_int(digits: str) -> int:
    """An int from ASCII digit text of any length (Python's 4300-digit conversion limit avoided).

    >>> str_to_int("-" + "1" * 5000) == -int("1" * 2500) * 10**2500 - int("1" * 2500)
    True
    """
    sign = -1 if digits[:1] == "-" else 1
    digits = digits.lstrip("+-")
    if len(digits) <= _CHUNK:
        return sign * int(digits)
    half = len(digits) // 2
    return sign * (str_to_int(digits[:-half]) * 10**half + str_to_int(digits[-half:]))


def int_to_str(n: int) -> str:
    """Decimal text of an int of any size (``str()`` refuses more than 4300 digits by default).

    >>> int_to_str(-10**5000) == "-1" + "0" * 5000
    True
    """
    if -(10**_CHUNK) < n < 10**_CHUNK:
        return str(n)
    if n < 0:
        return "-" + int_to_str(-n)
    half = (n.bit_length() * 3 // 10) // 2  # about half of the decimal digits
    high, low = divmod(n, 10**half)
    return int_to_str(high) + int_to_str(low).zfill(half)


def _parse(text: str) -> Fraction | None:
    """The rational an ASCII numeral denotes, or None if it is not one."""
    match = _RATIONAL.fullmatch(text)
    if match is None:
        return None
    negative = match["sign"] == "-"
    if match["num"] is not None:
        den = str_to_int(match["den"])
        if den == 0:
            return None
        value = Fraction(str_to_int(match["num"]), den)
    else:
        whole, frac = match["int"] or "", match["frac"] or ""
        if not whole and not frac:
            return None
        exponent = int(match["exp"]) if match["exp"] is not None else 0
        if abs(exponent) > MAX_EXPONENT:
            return None
        mantissa = str_to_int(whole + frac) if whole + frac else 0
        exponent -= len(frac)
        value = Fraction(mantissa * 10**exponent) if exponent >= 0 else Fraction(mantissa, 10**-exponent)
    return -value if negative else value


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
    >>> to_rational("\u0661")   # an Arabic-Indic one: ASCII digits only
    Traceback (most recent call last):
    ...
    exactrelu.errors.InvalidRationalError: value='\u0661': not a rational (expected ASCII digits: an integer, 'p/q' with q != 0, or a decimal such as '0.25' or '1e-3' with |exponent| <= 100000)
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        raise InvalidRationalError(
            f"{where}={quote(value)}: bool is not a number here", value=value, where=where
        )
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, str):
        if len(value) > MAX_RATIONAL_CHARS:
            raise InvalidRationalError(
                f"{where}={quote(value)}: longer than the {MAX_RATIONAL_CHARS} characters read as a rational",
                value=value[:100],
                where=where,
            )
        result = _parse(value.strip(" \t\n\r"))
        if result is None:
            raise InvalidRationalError(
                f"{where}={quote(value)}: not a rational (expected ASCII digits: an integer, 'p/q' with q != 0, "
                f"or a decimal such as '0.25' or '1e-3' with |exponent| <= {MAX_EXPONENT})",
                value=value,
                where=where,
            )
        return result
    if isinstance(value, numbers.Rational):
        return Fraction(int(value.numerator), int(value.denominator))
    if isinstance(value, numbers.Real):
        as_float = float(value)
        if as_float != as_float or as_float in (float("inf"), float("-inf")):
            raise InvalidRationalError(
                f"{where}={quote(value)}: NaN and infinities are not rationals",
                value=value,
                where=where,
            )
        if not allow_float:
            raise InvalidRationalError(
                f"{where}={quote(value)}: floats are not exact; write the number as a string "
                f"('{as_float!r}') or a Fraction, or convert the binary float itself exactly with "
                f"Fraction({as_float!r}) (= {Fraction(as_float)}; for whole networks "
                f"ReLUNetwork(layers, allow_float=True) or ReLUNetwork.from_numpy)",
                value=value,
                where=where,
            )
        return Fraction(as_float)
    raise InvalidRationalError(
        f"{where}={quote(value)}: expected int, Fraction or str, got {type(value).__name__}",
        value=value,
        where=where,
    )


def rational_repr(value: Fraction | int) -> str:
    """A rational as it pastes back into Python code: ``3`` for integers, ``'-2/7'`` otherwise.

    The form every repr of the library uses (``ReLUNetwork([([[1], ['1/2']], ...``).

    >>> rational_repr(Fraction(3)), rational_repr(Fraction(-2, 7))
    ('3', "'-2/7'")
    """
    text = format_rational(value)
    # an integer literal of more than 4300 digits does not parse back in Python; a string does
    return text if value.denominator == 1 and len(text) <= _CHUNK else repr(text)


def format_rational(value: Fraction | int) -> str:
    """The canonical string of a rational: ``"3"``, ``"-2/7"`` (the JSON form).

    Examples
    --------
    >>> format_rational(Fraction(-4, 14))
    '-2/7'
    """
    if value.denominator == 1:
        return int_to_str(value.numerator)
    return f"{int_to_str(value.numerator)}/{int_to_str(value.denominator)}"
