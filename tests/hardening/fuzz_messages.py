"""Hypothesis strategies that build hostile protobuf messages of any type from its descriptor.

Random values alone rarely get past the first lookup ("no such pod"), so strings and numbers are
drawn partly from a vocabulary of names the test world knows (pods, symbols, accounts, timeframes)
and partly from hostile values: NaN and infinities, huge and negative numbers, control characters,
unicode and very long strings, unknown enum numbers, out-of-range Timestamps and Durations.
"""

from __future__ import annotations

import math
from typing import Any

from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor
from google.protobuf.message import Message
from hypothesis import strategies as st

# Names that exist in the fuzzed world, so random requests also reach the checks behind the lookups.
KNOWN_STRINGS = (
    "alpha",
    "beta",
    "BTC/USDT",
    "BTC/USD",
    "ETH/USD",
    "main",
    "paper",
    "1d",
    "1m",
    "fuzz",
)
HOSTILE_STRINGS = (
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e\u0645\u0631\u062d\u0628\u0627",
    "\U0001f4a5\U0001f680",
    "\ud7ff\ufffd\uffff",
    "../../etc/passwd",
    "'; DROP TABLE pods; --",
    "%s%n{0}",
    "x" * 70_000,
    "NaN",
    "-NaN",
    "Infinity",
    "-inf",
    "1e999999999",
    "-1",
    "0",
    "-0",
    "1e-400",
    "0x10",
    "9" * 400,
    "1_000",
    " 1 ",
    "0.5",
    "50000",
)
HUGE_INTS = (0, -1, 1, 2**31 - 1, -(2**31), 2**53 + 1, 2**63 - 1, -(2**63))
HOSTILE_FLOATS = (math.nan, -math.nan, math.inf, -math.inf, 0.0, -0.0, 1e308, -1e308, 5e-324, 2.0**63, -1.0)

_INT_RANGES = {
    FieldDescriptor.TYPE_INT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SINT32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
    FieldDescriptor.TYPE_INT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SINT64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
    FieldDescriptor.TYPE_UINT32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_FIXED32: (0, 2**32 - 1),
    FieldDescriptor.TYPE_UINT64: (0, 2**64 - 1),
    FieldDescriptor.TYPE_FIXED64: (0, 2**64 - 1),
}
_TIME_TYPES = ("google.protobuf.Timestamp", "google.protobuf.Duration")


def message_class(descriptor: Descriptor) -> type[Message]:
    return message_factory.GetMessageClass(descriptor)  # type: ignore[no-any-return]


def strings() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(KNOWN_STRINGS), st.sampled_from(HOSTILE_STRINGS), st.text(max_size=40))


def integers(low: int, high: int) -> st.SearchStrategy[int]:
    edges = [value for value in (*HUGE_INTS, low, high) if low <= value <= high]
    small = st.integers(max(low, -5), min(high, 100))
    return st.one_of(st.sampled_from(edges), small, st.integers(low, high))


def floats() -> st.SearchStrategy[float]:
    return st.one_of(st.sampled_from(HOSTILE_FLOATS), st.floats(allow_nan=True, allow_infinity=True))


def enums(descriptor: EnumDescriptor) -> st.SearchStrategy[int]:
    """Defined numbers (the zero UNSPECIFIED one included) and unknown ones: proto3 enums are open."""
    defined = [value.number for value in descriptor.values]
    return st.one_of(st.sampled_from(defined), st.sampled_from([-1, max(defined) + 1, 99, 2**31 - 1]))


def time_values() -> st.SearchStrategy[dict[str, int]]:
    """Timestamp/Duration fields, inside and far outside their valid ranges (nanos too)."""
    seconds = st.one_of(
        st.sampled_from([0, 1_767_225_600, -62_135_596_801, 253_402_300_800, 2**63 - 1, -(2**63), -1]),
        st.integers(-(2**40), 2**40),
    )
    nanos = st.one_of(st.sampled_from([0, 999_999_999, 1_000_000_000, -1, -(2**31), 2**31 - 1]), st.integers(0, 10**9))
    return st.fixed_dictionaries({}, optional={"seconds": seconds, "nanos": nanos})


def _scalar(field: FieldDescriptor, depth: int) -> st.SearchStrategy[Any]:
    kind = field.type
    if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return floats()
    if kind in _INT_RANGES:
        return integers(*_INT_RANGES[kind])
    if kind == FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if kind == FieldDescriptor.TYPE_STRING:
        return strings()
    if kind == FieldDescriptor.TYPE_BYTES:
        return st.one_of(st.binary(max_size=64), st.just(b"\xff" * 70_000))
    if kind == FieldDescriptor.TYPE_ENUM:
        return enums(field.enum_type)
    return messages(field.message_type, depth + 1)


def _field(field: FieldDescriptor, depth: int) -> st.SearchStrategy[Any]:
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        key, value = field.message_type.fields_by_name["key"], field.message_type.fields_by_name["value"]
        return st.dictionaries(_scalar(key, depth), _scalar(value, depth), max_size=3)
    if field.is_repeated:
        return st.lists(_scalar(field, depth), max_size=3 if depth < 2 else 1)
    return _scalar(field, depth)


def messages(descriptor: Descriptor, depth: int = 0) -> st.SearchStrategy[Message]:
    """Any message of `descriptor`'s type, each field present or not, nested messages down to depth 3."""
    cls = message_class(descriptor)
    if descriptor.full_name in _TIME_TYPES:
        return time_values().map(lambda values: cls(**values))
    if depth > 3:
        return st.just(cls())
    optional = {field.name: _field(field, depth) for field in descriptor.fields}
    return st.fixed_dictionaries({}, optional=optional).map(lambda values: cls(**values))


@st.composite
def mutated(draw: st.DrawFn, descriptor: Descriptor) -> bytes:
    """A valid encoding of a random message with bytes flipped, cut or spliced: malformed wire data."""
    encoded = draw(messages(descriptor)).SerializeToString()
    edit = draw(st.sampled_from(["flip", "truncate", "insert", "duplicate"]))
    if not encoded or edit == "insert":
        at = draw(st.integers(0, len(encoded)))
        return encoded[:at] + draw(st.binary(min_size=1, max_size=16)) + encoded[at:]
    at = draw(st.integers(0, len(encoded) - 1))
    if edit == "flip":
        return encoded[:at] + bytes([encoded[at] ^ draw(st.integers(1, 255))]) + encoded[at + 1 :]
    if edit == "truncate":
        return encoded[:at]
    return encoded + encoded[at:]


def _paths(descriptor: Descriptor, prefix: tuple[FieldDescriptor, ...] = ()) -> list[tuple[FieldDescriptor, ...]]:
    """Every field reachable through singular nested messages, as a path from the top."""
    found = []
    for field in descriptor.fields:
        found.append((*prefix, field))
        nested = field.message_type
        if nested is not None and not field.is_repeated and nested.full_name not in _TIME_TYPES and len(prefix) < 2:
            found.extend(_paths(nested, (*prefix, field)))
    return found


def _assign(target: Message, field: FieldDescriptor, value: Any) -> None:
    container = getattr(target, field.name)
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        container.clear()
        for key, item in value.items():
            if isinstance(item, Message):
                container[key].CopyFrom(item)
            else:
                container[key] = item
    elif field.is_repeated:
        del container[:]
        container.extend(value)
    elif field.message_type is not None:
        container.CopyFrom(value)
    else:
        setattr(target, field.name, value)


@st.composite
def mutations(draw: st.DrawFn, seed: Message) -> Message:
    """`seed` (a valid request) with one field, at any depth, replaced by a hostile value: it gets
    past every check but one, so each field's own validation is what answers."""
    message = type(seed)()
    message.CopyFrom(seed)
    path = draw(st.sampled_from(_paths(seed.DESCRIPTOR)))
    target = message
    for step in path[:-1]:
        target = getattr(target, step.name)
    _assign(target, path[-1], draw(_field(path[-1], len(path))))
    return message


def wire_requests(descriptor: Descriptor, seed: Message | None = None) -> st.SearchStrategy[bytes]:
    """What a hostile client puts on the wire: random messages, a valid seed with one field made
    hostile, mutated encodings and raw random bytes."""
    structured = [messages(descriptor)] * 2
    if seed is not None:
        structured = [messages(descriptor), mutations(seed), mutations(seed)]
    return st.one_of(
        *(strategy.map(lambda m: m.SerializeToString()) for strategy in structured),
        mutated(descriptor),
        st.binary(max_size=64),
    )
