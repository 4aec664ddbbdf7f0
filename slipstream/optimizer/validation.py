"""Input checks shared by the optimizer: fail fast on NaN, negative or misshapen inputs, naming the field."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from slipstream.core.errors import InvalidArgument

Vector = NDArray[np.float64]
Matrix = NDArray[np.float64]


def finite_number(value: float, field: str, *, minimum: float | None = None, allow_infinite: bool = False) -> float:
    """Return `value` as a float, or raise InvalidArgument if it is NaN, infinite or below `minimum`."""
    number = float(value)
    if math.isnan(number) or (math.isinf(number) and not (allow_infinite and number > 0)):
        raise InvalidArgument(field, f"must be finite, got {value}")
    if minimum is not None and number < minimum:
        raise InvalidArgument(field, f"must be >= {minimum}, got {value}")
    return number


def vector(
    values: ArrayLike,
    field: str,
    *,
    length: int | None = None,
    non_negative: bool = False,
    allow_nan: bool = False,
) -> Vector:
    """Return `values` as a 1-d float array after checking its shape and contents."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise InvalidArgument(field, f"must be one-dimensional, got shape {array.shape}")
    if length is not None and array.shape[0] != length:
        raise InvalidArgument(field, f"must have {length} values, got {array.shape[0]}")
    _check_values(array, field, non_negative=non_negative, allow_nan=allow_nan)
    return array


def matrix(
    values: ArrayLike,
    field: str,
    *,
    shape: tuple[int | None, int | None] = (None, None),
    allow_nan: bool = False,
    non_negative: bool = False,
) -> Matrix:
    """Return `values` as a 2-d float array after checking its shape and contents."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2:
        raise InvalidArgument(field, f"must be two-dimensional, got shape {array.shape}")
    for axis, expected in enumerate(shape):
        if expected is not None and array.shape[axis] != expected:
            raise InvalidArgument(field, f"must have {expected} entries along axis {axis}, got shape {array.shape}")
    _check_values(array, field, non_negative=non_negative, allow_nan=allow_nan)
    return array


def covariance(values: ArrayLike, field: str, *, size: int | None = None) -> Matrix:
    """Return a square, finite, symmetric matrix with a non-negative diagonal."""
    array = matrix(values, field, shape=(size, size))
    if array.shape[0] != array.shape[1]:
        raise InvalidArgument(field, f"must be square, got shape {array.shape}")
    if array.shape[0] == 0:
        raise InvalidArgument(field, "must not be empty")
    scale = max(float(np.max(np.abs(array))), np.finfo(np.float64).tiny)
    if float(np.max(np.abs(array - array.T))) > 1e-12 * scale:
        raise InvalidArgument(field, "must be symmetric")
    diagonal = np.diag(array)
    if np.any(diagonal < 0):
        raise InvalidArgument(field, f"variance {int(np.argmax(diagonal < 0))} is negative")
    return array


def _check_values(array: NDArray[np.float64], field: str, *, non_negative: bool, allow_nan: bool) -> None:
    bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
    if bad.any():
        where = np.unravel_index(int(np.argmax(bad)), array.shape)
        raise InvalidArgument(field, f"entry {_index(where)} is {array[where]}: values must be finite")
    if non_negative:
        negative = array < 0
        if negative.any():
            where = np.unravel_index(int(np.argmax(negative)), array.shape)
            raise InvalidArgument(field, f"entry {_index(where)} is {array[where]}: values must be >= 0")


def _index(where: tuple[np.intp, ...]) -> str:
    return ", ".join(str(int(i)) for i in where)
