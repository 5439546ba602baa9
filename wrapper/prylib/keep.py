"""./pry keep FILE: the one explicit step from a finding to a committed
regression. Fuzzing writes only under pry-out/; this copies a .cbor record
into corpora/<h>/<p>/regressions/<sha256>.cbor, where `make test` and
`./pry ci` replay it once it is committed (each must pass, so commit it
with the fix)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from . import build
from .common import EXIT_OK, Project, PryError, Target, sha256_file, store_by_hash


def keep(project: Project, record: Path, target: Target, plants: Optional[str]) -> int:
    if plants:
        raise PryError(f"{record} was found with planted bugs ({plants}): the correct build "
                       f"passes it, so it is no regression (harnesses/{target.harness}/plants/ "
                       f"keeps one input per planted bug)")
    assert target.prop is not None
    build.check_property(project, target.harness, target.prop)
    dest_dir = project.regressions_dir(target.harness, target.prop)
    already = (dest_dir / (sha256_file(record) + ".cbor")).is_file()
    dest = store_by_hash(record, dest_dir, ".cbor")
    rel = project.rel(dest)
    if already:
        print(f"pry: {rel} is already there")
    else:
        print(f"pry: kept {project.rel(record)} as {rel}")
    print(f"next: fix the bug ({project.command} repro {rel} passes then), and commit the record with "
          f"the fix: git add {rel}; "
          + ("make test and ./pry ci replay" if project.command == "./pry" else "pry ci replays")
          + " committed regressions")
    return EXIT_OK
