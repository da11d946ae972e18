"""Exact big-integer kernels of the n-D region complex (private): integers as digit arrays.

:class:`Digits` holds arrays of exact integers as base-2^16 digits, so that
products of integer matrices of any size run as float64 BLAS products of
digit matrices, exact because every partial sum stays below 2^53
(:func:`matmul_partial`, :func:`binary_matmul`, :func:`exact_matmul`).
:func:`reduce_columns` divides integer columns by their gcd.  The vertex and
map store of the complex that uses them is :mod:`exactrelu._kernels.mapstore`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .lines import max_abs

__all__ = ["reduce_columns", "exact_matmul", "Digits", "matmul_partial", "binary_matmul", "extend_digits",
           "trim_digits", "digit_words"]


def reduce_columns(cols: np.ndarray) -> np.ndarray:
    """Divide every column by the gcd of its entries (columns are never all zero)."""
    if cols.shape[1] == 0:
        return cols
    g = np.gcd.reduce(cols, axis=0)
    if cols.dtype == object:
        if all(v == 1 for v in g):
            return cols
    elif (g == 1).all():
        return cols
    return cols // g[None, :]


class Digits:
    """Exact integers as base-2^16 digit arrays in two's complement (vectorised big integers).

    ``value = sum_{s < S-1} d[s] 2^(16 s) + d[S-1] 2^(16 (S-1))`` with
    ``0 <= d[s] < 2^16`` below the top and a signed top digit
    ``-2^15 <= d[S-1] < 2^15``.  Products of two digits are below 2^32 in
    magnitude, so a float64 BLAS product of digit matrices with inner
    dimension below 2^20 is exact; this is how integer maps of thousands of
    regions are multiplied without one Python operation per term.  Entries
    become Python ints only where needed (:meth:`ints`).
    """

    __slots__ = ("d",)

    def __init__(self, d: np.ndarray):
        self.d = d

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.d.shape[1:])

    @property
    def S(self) -> int:
        return int(self.d.shape[0])

    @classmethod
    def of(cls, A: np.ndarray) -> "Digits":
        """Digits of an integer array (int64 or object)."""
        shape = A.shape
        flat = A.ravel()
        if flat.dtype == object:
            try:  # small Python ints: the int64 path (OverflowError if any entry needs more than 64 bits)
                small = flat.astype(np.int64)
                if small.size == 0 or max_abs(small) < (1 << 62):
                    flat = small
            except OverflowError:
                pass
        if flat.dtype != object and (flat.size == 0 or max_abs(flat) < (1 << 62)):
            a = flat.astype(np.int64)
            bits = max(max_abs(a).bit_length(), 1)
            S = -(-(bits + 1) // 16)
            rows = [(a >> (16 * i)) & 0xFFFF for i in range(S - 1)] + [a >> (16 * (S - 1))]
            return cls(np.stack(rows).reshape((S,) + shape))
        vals = flat.astype(object).tolist()
        n = len(vals)
        bits = max((int(v).bit_length() for v in vals), default=0)
        S = max(1, -(-(bits + 1) // 16))
        buf = b"".join([int(v).to_bytes(2 * S, "little", signed=True) for v in vals])
        d = np.frombuffer(buf, dtype="<u2").reshape(n, S).T.astype(np.int64)
        d[S - 1] = np.where(d[S - 1] >= 1 << 15, d[S - 1] - (1 << 16), d[S - 1])
        return cls(np.ascontiguousarray(d).reshape((S,) + shape))

    def signed(self) -> np.ndarray:
        """Digits as float64 (|digit| <= 2^16), shape (S, *shape)."""
        return self.d.astype(np.float64)

    def to_float(self) -> np.ndarray:
        """float64 values, relative error below (S + 1) 2^-53 (inf if too large).

        Horner's rule from the top digit: partial values are exact below 2^53
        and grow by 2^16 per step beyond, so each rounding is relative to the
        final magnitude.
        """
        if self.S * 16 > 1000:
            return np.full(self.shape, np.inf)
        v = self.d[self.S - 1].astype(np.float64)
        for s in range(self.S - 2, -1, -1):
            v = v * 65536.0 + self.d[s]
        return v

    def ints(self, index: Any) -> np.ndarray:
        """The entries ``self[index]`` as an object array of Python ints.

        Digits are packed into base-2^48 int64 words, converted to Python ints
        by numpy, and combined with one shift-add per extra word.
        """
        d = self.d[(slice(None),) + (index if isinstance(index, tuple) else (index,))]
        S = d.shape[0]
        shape = d.shape[1:]
        words = digit_words(d.reshape(S, -1))
        out = words[-1].astype(object)
        for wd in words[-2::-1]:
            out = (out << 48) + wd.astype(object)
        return out.reshape(shape)

    @classmethod
    def normalize(cls, R: np.ndarray) -> "Digits":
        """Digits of ``sum_s R[s] 2^(16 s)`` (R: int64 partial sums, |R| < 2^62; R is overwritten).

        With three zero rows on top (as :func:`matmul_partial` leaves) the
        carries end inside R, and no copy is made.
        """
        S = R.shape[0]
        shape = R.shape[1:]
        R = R.reshape(S, -1)
        carry = np.zeros(R.shape[1], dtype=np.int64)
        for s in range(S - 1):
            R[s] += carry
            np.right_shift(R[s], 16, out=carry)
            R[s] &= 0xFFFF
        R[S - 1] += carry
        d = R
        last = d[S - 1]
        if ((last < -(1 << 15)) | (last >= (1 << 15))).any():  # callers leave spare rows; rarely needed
            carry = last.copy()
            d[S - 1] = carry & 0xFFFF
            carry >>= 16
            rows = [d]
            while ((carry < -(1 << 15)) | (carry >= (1 << 15))).any():
                rows.append((carry & 0xFFFF)[None])
                carry = carry >> 16
            rows.append(carry[None])
            d = np.concatenate(rows)
        d = trim_digits(d)
        top = d.shape[0]
        return cls(d.reshape((top,) + shape))


def extend_digits(d: np.ndarray, S: int) -> np.ndarray:
    """Two's complement digits ``d`` (S_c rows, signed top) widened to S rows."""
    Sc = d.shape[0]
    if Sc == S:
        return d
    top = d[Sc - 1].astype(np.int64)
    out = np.empty((S,) + d.shape[1:], dtype=d.dtype)
    out[: Sc - 1] = d[: Sc - 1]
    out[Sc - 1] = top & 0xFFFF
    neg = top < 0
    for s in range(Sc, S - 1):
        out[s] = np.where(neg, 0xFFFF, 0)
    out[S - 1] = np.where(neg, -1, 0)
    return out


def trim_digits(d: np.ndarray) -> np.ndarray:
    """Drop top digit rows that only carry the sign."""
    top = d.shape[0]
    while top > 1:
        t, nx = d[top - 1], d[top - 2]
        if not (((t == 0) & (nx < (1 << 15))) | ((t == -1) & (nx >= (1 << 15)))).all():
            break
        d[top - 2] = np.where(t == -1, nx - (1 << 16), nx)
        top -= 1
    return d[:top]


def matmul_partial(dw: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """Partial sums ``R[t] = sum_{a+b=t} dw[a] @ dh[b]`` (int64) of signed float digit matrices.

    All digit pairs go through ONE float64 BLAS product ``(kw m x k) @ (k x kh c)``;
    each entry is a sum of k products below 2^32, exact while k < 2^20.
    """
    kw, m, inner = dw.shape
    kh, _, c = dh.shape
    if inner >= (1 << 20):  # pragma: no cover - far beyond any layer here
        raise ValueError("inner dimension too large for exact float64 digit products")
    P = dw.reshape(kw * m, inner) @ dh.transpose(1, 0, 2).reshape(inner, kh * c)
    P = P.astype(np.int64).reshape(kw, m, kh, c)
    R = np.zeros((kw + kh - 1 + 3, m, c), dtype=np.int64)  # 3 spare rows: the carries fit (see normalize)
    for a in range(kw):
        for b in range(kh):
            R[a + b] += P[a, :, b, :]
    return R


def binary_matmul(P: np.ndarray, dT: np.ndarray) -> np.ndarray:
    """Partial sums ``R[t] = P @ dT[t]`` (int64, 3 spare rows) for a 0/1 matrix P.

    Entries are sums of at most k digits below 2^16 in magnitude: exact in
    float32 while k < 2^7, in float64 otherwise.
    """
    S, k, c = dT.shape
    dtype = np.float32 if k < (1 << 7) else np.float64
    prod = P.astype(dtype) @ dT.transpose(1, 0, 2).reshape(k, S * c).astype(dtype)
    R = np.zeros((S + 3, P.shape[0], c), dtype=np.int64)
    R[:S] = prod.reshape(P.shape[0], S, c).transpose(1, 0, 2)
    return R


def exact_matmul(W: np.ndarray, H: np.ndarray) -> np.ndarray:
    """``W @ H`` exactly for integer arrays of any size, as an object array (via :class:`Digits`).

    >>> import numpy as np
    >>> W = np.array([[2**70, -3], [1, 1]], dtype=object)
    >>> bool((exact_matmul(W, W) == W @ W).all())
    True
    """
    R = matmul_partial(Digits.of(W).signed(), Digits.of(H).signed())
    D = Digits.normalize(R)
    return D.ints(tuple(slice(None) for _ in D.shape))


def digit_words(d: np.ndarray) -> list[np.ndarray]:
    """Base-2^48 words (int64) of two's complement base-2^16 digits ``d`` (S x n), low word first."""
    S = d.shape[0]
    words = []
    for g in range(0, S, 3):
        top = min(S, g + 3)
        w = d[top - 1].astype(np.int64)
        for s in range(top - 2, g - 1, -1):
            w = (w << 16) | d[s]
        words.append(w)
    return words
