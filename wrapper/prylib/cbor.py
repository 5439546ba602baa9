"""What a .cbor counterexample record is for (harness, property, planted
bugs), read with libcbor by the kit's own record reader through
build/bin/pryrecord (generators/tools/pryrecord.c): records are written and
read with libcbor only, never by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import run

SELF_DESCRIBE = b"\xd9\xd9\xf7"  # RFC 8949 §3.4.6: how every record starts


class CborError(ValueError):
    """The file is not a valid pry record (the reader's one-line reason)."""


def is_record(data: bytes) -> bool:
    return data.startswith(SELF_DESCRIBE)


def reader(root: Path) -> Path:
    """The record reader: in a checkout of pry, build/bin/pryrecord (built
    if needed); out of one, the installed $PREFIX/lib/pry/pryrecord, found
    beside this file ($PREFIX/share/pry/wrapper/prylib/cbor.py)."""
    if not (root / "mk" / "build.mk").is_file():
        installed = Path(__file__).resolve().parents[4] / "lib" / "pry" / "pryrecord"
        if installed.is_file():
            return installed
        raise CborError(f"the record reader {installed} is missing: reinstall pry (make install)")
    tool = root / "build" / "bin" / "pryrecord"
    made = run(["make", "-s", "--no-print-directory", "build/bin/pryrecord"],
               cwd=str(root), capture_output=True)
    if made.returncode != 0 or not tool.exists():
        raise CborError("cannot build build/bin/pryrecord: "
                        + made.stderr.decode(errors="replace").strip()[-300:])
    return tool


def read_record_header(root: Path, path: Path) -> dict[str, Any]:
    """{"harness", "property", "plants"} of the record at |path|; raises
    CborError with the reader's reason."""
    tool = reader(root)
    r = run([str(tool), str(path.resolve())], cwd=str(root), capture_output=True)
    if r.returncode != 0:
        reason = r.stderr.decode(errors="replace").strip().splitlines()
        # "pry: FILE: not a valid pry record: WHY" -> WHY
        raise CborError(reason[-1].split(": ", 3)[-1] if reason else "unreadable record")
    lines = r.stdout.decode(errors="replace").split("\n")
    return {"harness": lines[0], "property": lines[1],
            "plants": lines[2] if len(lines) > 2 else ""}
