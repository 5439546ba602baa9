"""Just enough CBOR (RFC 8949) to read the header of a pry record: which
harness, property and planted bugs it belongs to. `./pry repro FILE` needs
that before it can pick a binary (and the right planted build), so asking a
binary is not an option; full decoding stays in the runner (libcbor)."""

from __future__ import annotations

import struct
from typing import Any

SELF_DESCRIBE = b"\xd9\xd9\xf7"
MAX_DEPTH = 64


class CborError(ValueError):
    pass


def _decode(data: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > MAX_DEPTH:
        raise CborError("nested too deeply")
    if pos >= len(data):
        raise CborError("truncated")
    ib = data[pos]
    major, info = ib >> 5, ib & 31
    pos += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        n = 1 << (info - 24)
        if pos + n > len(data):
            raise CborError("truncated")
        arg = int.from_bytes(data[pos:pos + n], "big")
        raw_arg = data[pos:pos + n]
        pos += n
    elif info == 31 and major in (2, 3, 4, 5, 7):
        arg = -1  # indefinite length (or "break" for major 7)
    else:
        raise CborError(f"bad additional information {info}")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        if arg < 0:
            chunks = []
            while pos < len(data) and data[pos] != 0xFF:
                chunk, pos = _decode(data, pos, depth + 1)
                chunks.append(chunk)
            if pos >= len(data):
                raise CborError("truncated")
            joined = b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks)
            return (joined if major == 2 else joined.decode(errors="replace")), pos + 1
        if pos + arg > len(data):
            raise CborError("truncated")
        b = data[pos:pos + arg]
        return (b if major == 2 else b.decode(errors="replace")), pos + arg
    if major in (4, 5):
        items: list[Any] = []
        count = arg if arg >= 0 else None
        while count is None or len(items) < count * (2 if major == 5 else 1):
            if count is None:
                if pos >= len(data):
                    raise CborError("truncated")
                if data[pos] == 0xFF:
                    pos += 1
                    break
            item, pos = _decode(data, pos, depth + 1)
            items.append(item)
        if major == 4:
            return items, pos
        return {items[i]: items[i + 1] for i in range(0, len(items), 2)
                if isinstance(items[i], (str, int))}, pos
    if major == 6:
        return _decode(data, pos, depth + 1)  # tags: the content is what we want
    # major 7: simple values and floats
    if info == 20:
        return False, pos
    if info == 21:
        return True, pos
    if info in (22, 23):
        return None, pos
    if info == 25:
        return struct.unpack(">e", raw_arg)[0], pos
    if info == 26:
        return struct.unpack(">f", raw_arg)[0], pos
    if info == 27:
        return struct.unpack(">d", raw_arg)[0], pos
    return arg, pos


def is_record(data: bytes) -> bool:
    return data.startswith(SELF_DESCRIBE)


def read_record_header(data: bytes) -> dict[str, Any]:
    """The record's top-level map. Raises CborError for anything else."""
    value, _ = _decode(data, 0, 0)
    if not isinstance(value, dict):
        raise CborError("not a CBOR map")
    for key in ("harness", "property"):
        if not isinstance(value.get(key), str):
            raise CborError(f"no '{key}' field: not a pry record")
    return value
