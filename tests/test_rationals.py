"""exactrelu.rationals: the one door every number goes through."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exactrelu import ExactReluError, InvalidRationalError, to_rational
from exactrelu.rationals import format_rational

ACCEPTED = [
    (0, Fraction(0)),
    (7, Fraction(7)),
    (-3, Fraction(-3)),
    (10**40, Fraction(10**40)),
    (Fraction(2, 6), Fraction(1, 3)),
    ("3", Fraction(3)),
    ("-2/7", Fraction(-2, 7)),
    ("4/6", Fraction(2, 3)),
    (" 3/4 ", Fraction(3, 4)),
    ("0.25", Fraction(1, 4)),
    ("-0.125", Fraction(-1, 8)),
    ("1e-3", Fraction(1, 1000)),
    ("2.5E2", Fraction(250)),
    ("0.1", Fraction(1, 10)),
    (np.int64(5), Fraction(5)),
    (np.int8(-2), Fraction(-2)),
]


@pytest.mark.parametrize("value, expected", ACCEPTED, ids=[repr(v) for v, _ in ACCEPTED])
def test_accepted_values_are_exact_fractions(value, expected):
    result = to_rational(value)
    assert type(result) is Fraction
    assert result == expected


FLOATS = [
    (0.5, Fraction(1, 2)),
    (0.1, Fraction(3602879701896397, 36028797018963968)),
    (-2.0, Fraction(-2)),
    (1e-300, Fraction(1e-300)),
    (np.float64(0.75), Fraction(3, 4)),
    (np.float32(0.1), Fraction(13421773, 134217728)),
]


@pytest.mark.parametrize("value, expected", FLOATS, ids=[repr(v) for v, _ in FLOATS])
def test_floats_convert_exactly_only_with_allow_float(value, expected):
    result = to_rational(value, allow_float=True)
    assert type(result) is Fraction
    assert result == expected
    assert float(result) == float(value)  # the exact dyadic rational, not a nice neighbour
    with pytest.raises(InvalidRationalError) as info:
        to_rational(value, where="W[0][1][2]")
    assert info.value.where == "W[0][1][2]"
    assert info.value.value is value
    assert "W[0][1][2]=" in str(info.value)
    assert "allow_float" in str(info.value)


def test_point_one_is_not_one_tenth():
    assert to_rational(0.1, allow_float=True) != Fraction(1, 10)
    assert to_rational("0.1") == Fraction(1, 10)


REJECTED = [
    float("nan"),
    float("inf"),
    float("-inf"),
    np.float64("nan"),
    True,
    False,
    np.bool_(True),
    None,
    "",
    "abc",
    "1/0",
    "1/2/3",
    "nan",
    "inf",
    "0x10",
    b"1/2",
    1 + 2j,
    [1],
    (1, 2),
    {"a": 1},
    object(),
]


@pytest.mark.parametrize("value", REJECTED, ids=[repr(v) for v in REJECTED])
@pytest.mark.parametrize("allow_float", [False, True])
def test_junk_raises_typed_error_naming_where(value, allow_float):
    with pytest.raises(InvalidRationalError) as info:
        to_rational(value, where="domain lower end", allow_float=allow_float)
    err = info.value
    assert isinstance(err, ExactReluError)
    assert isinstance(err, ValueError) and isinstance(err, TypeError)
    assert err.where == "domain lower end"
    assert str(err).startswith("domain lower end=")


def test_default_where_is_value():
    with pytest.raises(InvalidRationalError) as info:
        to_rational("junk")
    assert info.value.where == "value"
    assert str(info.value).startswith("value='junk'")


def test_nan_and_inf_are_rejected_even_with_allow_float():
    for v in (float("nan"), float("inf")):
        with pytest.raises(InvalidRationalError, match="NaN and infinities"):
            to_rational(v, allow_float=True)


def test_fraction_passes_through_unchanged():
    f = Fraction(-5, 3)
    assert to_rational(f) is f


@pytest.mark.parametrize(
    "value, text", [(Fraction(3), "3"), (Fraction(-4, 14), "-2/7"), (Fraction(1, 10**20), "1/" + "1" + "0" * 20)]
)
def test_format_rational(value, text):
    assert format_rational(value) == text
    assert to_rational(format_rational(value)) == value


@given(st.fractions())
def test_format_round_trip(value):
    text = format_rational(value)
    assert type(text) is str
    back = to_rational(text)
    assert type(back) is Fraction and back == value


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_finite_float_is_its_exact_dyadic_rational(value):
    r = to_rational(value, allow_float=True)
    assert type(r) is Fraction
    assert r == Fraction(value)
    d = r.denominator
    assert d & (d - 1) == 0  # a power of two


def test_float_error_says_what_works():
    """Every remedy the message names works (issue 8: it used to suggest 'np.float64(0.5)')."""
    import numpy as np

    from exactrelu import ReLUNetwork

    for value in (0.5, np.float64(0.5), np.float32(0.5)):
        with pytest.raises(InvalidRationalError) as info:
            to_rational(value)
        message = str(info.value)
        assert "'0.5'" in message and "Fraction(0.5)" in message and "np.float" not in message.split(":", 1)[1]
        assert to_rational("0.5") == to_rational(Fraction(0.5)) == Fraction(1, 2)
    net = ReLUNetwork([([[0.5]], [0])], allow_float=True)
    assert net == ReLUNetwork.from_numpy([(np.array([[0.5]]), np.array([0.0]))])
