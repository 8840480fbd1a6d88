"""Just enough of the protobuf wire format to read the few messages an Anki package holds
(its format version, its media list, a note type's kind and templates)."""

from __future__ import annotations

Value = int | bytes


class ProtobufError(ValueError):
    """The bytes are not a well-formed protobuf message."""


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise ProtobufError("a number runs past the end of the message")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def message_fields(data: bytes) -> dict[int, list[Value]]:
    """Field number -> its values in order: numbers for varints and fixed-width fields,
    bytes for length-delimited ones (strings, bytes, nested messages)."""
    found: dict[int, list[Value]] = {}
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        value: Value
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            length, at = _varint(data, at)
            if at + length > len(data):
                raise ProtobufError("a field runs past the end of the message")
            value, at = data[at : at + length], at + length
        elif wire in (1, 5):
            width = 8 if wire == 1 else 4
            if at + width > len(data):
                raise ProtobufError("a field runs past the end of the message")
            value, at = int.from_bytes(data[at : at + width], "little"), at + width
        else:
            raise ProtobufError(f"unknown wire type {wire}")
        found.setdefault(number, []).append(value)
    return found


def first_int(fields: dict[int, list[Value]], number: int, default: int = 0) -> int:
    for value in fields.get(number, []):
        if isinstance(value, int):
            return value
    return default


def first_text(fields: dict[int, list[Value]], number: int) -> str:
    for value in fields.get(number, []):
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
    return ""
