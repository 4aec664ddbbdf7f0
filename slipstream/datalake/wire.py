"""Encode and decode bar columns straight between numpy arrays and protobuf wire bytes.

BarColumns has only fixed-width packed fields, so a column's wire form is its little-endian
array behind a tag and a length. Building and parsing that by hand moves a symbol-month of
bars in a few memory copies instead of one Python object per value; the bytes are ordinary
protobuf, identical to what any generated client reads and writes.
"""

from __future__ import annotations

import numpy as np
from slipstream_api.v1 import datalake_pb2 as pb

from slipstream.datalake.frames import BarFrame

_FIELDS = pb.BarColumns.DESCRIPTOR.fields_by_name
_COLUMNS = (
    ("open_times_unix_ms", "open_time_ms", "<i8"),
    ("opens", "open", "<f8"),
    ("highs", "high", "<f8"),
    ("lows", "low", "<f8"),
    ("closes", "close", "<f8"),
    ("volumes", "volume", "<f8"),
    ("knowledge_times_unix_ns", "knowledge_time_ns", "<i8"),
)
_NUMBERS = {_FIELDS[wire].number: (attribute, dtype) for wire, attribute, dtype in _COLUMNS}
_LENGTH_DELIMITED = 2
_FIXED64 = 1


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: memoryview, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | _LENGTH_DELIMITED) + _varint(len(payload)) + payload


def encode_bars(frame: BarFrame) -> bytes:
    """The serialized BarColumns of `frame` (empty columns omitted, as proto3 does)."""
    parts = []
    for wire, attribute, dtype in _COLUMNS:
        column = getattr(frame, attribute)
        if len(column):
            parts.append(_field(_FIELDS[wire].number, np.ascontiguousarray(column, dtype=dtype).tobytes()))
    return b"".join(parts)


def decode_bars(data: bytes) -> BarFrame:
    """Parse serialized BarColumns, packed or not, into numpy arrays (unknown fields skipped)."""
    view = memoryview(data)
    chunks: dict[str, list[np.ndarray]] = {attribute: [] for _, attribute, _ in _COLUMNS}
    position = 0
    while position < len(view):
        key, position = _read_varint(view, position)
        number, wire_type = key >> 3, key & 7
        if wire_type == _LENGTH_DELIMITED:
            length, position = _read_varint(view, position)
            payload = view[position : position + length]
            position += length
        elif wire_type == _FIXED64:
            payload = view[position : position + 8]
            position += 8
        elif wire_type == 0:
            _, position = _read_varint(view, position)
            continue
        elif wire_type == 5:
            position += 4
            continue
        else:
            raise ValueError(f"unsupported wire type {wire_type} in BarColumns")
        if number in _NUMBERS:
            attribute, dtype = _NUMBERS[number]
            chunks[attribute].append(np.frombuffer(payload, dtype=dtype))
    arrays = [
        np.concatenate(chunks[attribute]) if chunks[attribute] else np.empty(0, dtype=dtype)
        for _, attribute, dtype in _COLUMNS
    ]
    return BarFrame.build(*arrays)


def encode_query_bars_response(frame: BarFrame, as_of: bytes) -> bytes:
    """A serialized QueryBarsResponse from a frame and an already serialized Timestamp."""
    fields = pb.QueryBarsResponse.DESCRIPTOR.fields_by_name
    return _field(fields["bars"].number, encode_bars(frame)) + _field(fields["as_of_time"].number, as_of)


def decode_query_bars_response(data: bytes) -> BarFrame:
    """The bars of a serialized QueryBarsResponse (the as-of timestamp is left aside)."""
    view = memoryview(data)
    bars_field = pb.QueryBarsResponse.DESCRIPTOR.fields_by_name["bars"].number
    position, frames = 0, []
    while position < len(view):
        key, position = _read_varint(view, position)
        length, position = _read_varint(view, position)
        if key >> 3 == bars_field:
            frames.append(decode_bars(bytes(view[position : position + length])))
        position += length
    return BarFrame.concat(frames) if frames else BarFrame.empty()
