"""From the files an engine saved to typed, shrunk, saved counterexamples.

Each crash file is first copied (raw, by content hash) so that nothing is
lost if pry is interrupted; then replayed with the plain build of the same
planted bugs (which reports it typed, as JSON), and with the ASan build when
it crashed (for the sanitizer's report) or when the plain build passes it
(a memory error only a sanitizer sees). An input from a whole-harness
campaign starts with the byte that picked the property (generators/run.c);
once the replay has named the property, the raw file pry keeps is the
property's own input, without that byte. Duplicates (same property and
failure site) are grouped; one of each is shrunk with the runner's --shrink
and saved as a .cbor record under pry-out/<h>/<p>/findings/. Nothing here
writes outside pry-out/: the report prints the one command (`./pry keep`)
that makes a record a committed regression."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, TextIO

from . import build
from .common import (Project, PryError, StopFlag, run_quiet, sha256_bytes, sha256_file,
                     store_by_hash)
from .engines import Crash

SHRINK_BUDGET = 10.0
QUICK_SHRINK_BUDGET = 2.0
SANITIZER_LINES = 12
# Runner report lines about its own temporary files: pry prints its own.
DROP_PREFIXES = ("  saved:", "  raw:", "  replay:")


@dataclass
class Finding:
    prop: str
    status: str                 # failed | crashed | unreproduced
    kind: str
    site: str
    message: str
    expr: str = ""
    drawn: str = ""
    raw: Optional[Path] = None  # the saved raw input (as the engine found it)
    cbor: Optional[Path] = None  # the shrunk record
    shrunk_bytes: Optional[int] = None
    time_to_find_s: Optional[float] = None
    execs_to_find: Optional[int] = None
    report: str = ""            # the typed counterexample, as printed
    sanitizer: str = ""
    duplicates: int = 0
    binary: Optional[Path] = None  # the build that reproduces it

    def key(self) -> tuple[str, str, str]:
        return (self.prop, self.kind, self.site)

    def summary(self) -> str:
        """One line: what failed where."""
        where = f" at {self.site}" if self.site else ""
        return f"{self.prop}: {self.kind}{where}: {self.message}".rstrip(": ")


@dataclass
class Replay:
    code: int
    data: dict = field(default_factory=dict)
    stderr: str = ""


def _replay(project: Project, binary: Path, path: Path, prop: Optional[str],
            scratch: Path, env: Optional[dict[str, str]] = None) -> Replay:
    js = scratch / "replay.json"
    js.unlink(missing_ok=True)
    argv = [str(binary), "--repro", str(path), "--quiet", "--json", str(js)]
    if prop:
        argv += ["--test", prop]
    r = run_quiet(argv, project.root, env=env, timeout=60)
    try:
        data = json.loads(js.read_text())
    except (OSError, ValueError):
        data = {}
    return Replay(r.returncode, data, r.stderr.decode(errors="replace"))


def sanitizer_excerpt(stderr: str) -> str:
    """The sanitizer's headline and the top of its stack."""
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if "ERROR: AddressSanitizer" in line or "runtime error:" in line \
                or "ERROR: LeakSanitizer" in line:
            return "\n".join(lines[i:i + SANITIZER_LINES])
    return ""


class FindingProcessor:
    """Turns crashes into findings for one harness and plant set."""

    def __init__(self, project: Project, harness: str, plant: Optional[str],
                 scratch: Path, stream: TextIO, stop: StopFlag,
                 selector: tuple[bool, Optional[dict[str, str]]] = (False, None)):
        # selector: (does a whole-harness input start with a byte that picks
        # the property, the engine's environment that picked it: PRY_SKIP)
        self.selector, self.env = selector
        self.project = project
        self.harness = harness
        self.plant = plant
        self.scratch = scratch
        self.stream = stream
        self.stop = stop
        scratch.mkdir(parents=True, exist_ok=True)
        self.plain = build.build(project, "plain", harness, plant)
        self._asan: Optional[Path] = None
        self._asan_tried = False

    def asan(self) -> Optional[Path]:
        """The ASan build, built on first need; None if it cannot be built."""
        if not self._asan_tried:
            self._asan_tried = True
            try:
                self._asan = build.build(self.project, "asan", self.harness, self.plant)
            except PryError:
                self._asan = None
        return self._asan

    def keep_raw(self, crashes: list[Crash], slot: str) -> list[Path]:
        """Step one, before anything slow: copy every crash out of the
        engine's folder under a colon-free name."""
        dest = self.project.findings_dir(self.harness, slot)
        return [store_by_hash(c.path, dest, ".bin") for c in crashes]

    def process(self, crashes: list[Crash], slot: str, quick: bool = False) -> list[Finding]:
        raws = self.keep_raw(crashes, slot)
        groups: dict[tuple[str, str, str], Finding] = {}
        unreproduced: list[Finding] = []
        for crash, raw in zip(crashes, raws):
            if self.stop.count > 1:  # a second Ctrl-C: raw files are kept, go
                break
            f = self._classify(crash, raw)
            if f is None:
                continue
            if f.status == "unreproduced":
                unreproduced.append(f)
            elif f.key() in groups:
                groups[f.key()].duplicates += 1
            else:
                groups[f.key()] = f
        out = list(groups.values())
        for f in out:
            if self.stop.count > 1:
                break
            self._shrink_and_save(f, QUICK_SHRINK_BUDGET if quick or self.stop.is_set()
                                  else SHRINK_BUDGET)
        return out + unreproduced

    def _classify(self, crash: Crash, raw: Path) -> Optional[Finding]:
        """Replay one input; None when it passes everywhere and it was only
        a start-up candidate (see engines/afl.py), else a Finding."""
        r = _replay(self.project, self.plain, raw, crash.prop, self.scratch, self.env)
        binary = self.plain
        sanitizer = ""
        if r.code == 0 or (r.code == 1 and r.data.get("status") == "crashed"):
            asan = self.asan()
            if asan is not None:
                ra = _replay(self.project, asan, raw, crash.prop, self.scratch, self.env)
                sanitizer = sanitizer_excerpt(ra.stderr)
                if r.code == 0 and ra.code == 1:
                    r, binary = ra, asan
        if r.code == 2:
            raise PryError(f"replaying {self.project.rel(raw)} failed: "
                           + (r.stderr.strip().splitlines() or ["no reason given"])[-1])
        if r.code == 0:
            if crash.time_s == 0.0 and crash.execs == 0:
                raw.unlink(missing_ok=True)  # a seed that passes: not a finding
                return None
            return Finding(prop=crash.prop or "?", status="unreproduced",
                           kind="not reproduced",
                           site="", message="the engine saved it but replay passes "
                                            "(flaky, or a timeout or out-of-memory)",
                           raw=raw, time_to_find_s=crash.time_s,
                           execs_to_find=crash.execs)
        d = r.data
        prop = d.get("property") or crash.prop or "?"
        if crash.prop is None and self.selector:
            raw = self._without_selector(raw)
        # Keep the raw file with the property it belongs to.
        final_dir = self.project.findings_dir(self.harness, prop)
        if raw.parent != final_dir:
            final_dir.mkdir(parents=True, exist_ok=True)
            moved = final_dir / raw.name
            os.replace(raw, moved)
            raw = moved
        f = Finding(prop=prop, status=d.get("status", "failed"), kind=d.get("kind", ""),
                    site=d.get("site", ""), message=d.get("message", ""),
                    expr=d.get("expr") or "", drawn=d.get("drawn", ""), raw=raw,
                    time_to_find_s=crash.time_s, execs_to_find=crash.execs,
                    sanitizer=sanitizer, binary=binary)
        return f

    def _without_selector(self, raw: Path) -> Path:
        """The property's own input: the raw bytes after the selector byte,
        kept by their hash in place of the engine's file."""
        data = raw.read_bytes()
        if not data:
            return raw
        dest = raw.with_name(sha256_bytes(data[1:]) + ".bin")
        if not dest.exists():
            tmp = dest.with_name(dest.name + ".tmp")
            tmp.write_bytes(data[1:])
            os.replace(tmp, dest)
        raw.unlink()
        return dest

    def _shrink_and_save(self, f: Finding, budget: float) -> None:
        assert f.raw is not None
        binary = f.binary or self.plain
        tmp = self.scratch / "shrunk.cbor"
        js = self.scratch / "shrink.json"
        for p in (tmp, js):
            p.unlink(missing_ok=True)
        argv = [str(binary), "--shrink", str(f.raw), "-o", str(tmp), "--budget",
                f"{budget:g}", "--json", str(js)]
        argv += ["--test", f.prop]  # the raw file is the property's own input
        r = run_quiet(argv, self.project.root, timeout=budget + 60)
        report = [ln for ln in r.stdout.decode(errors="replace").splitlines()
                  if not ln.startswith(DROP_PREFIXES)]
        f.report = "\n".join(report).strip("\n")
        try:
            d = json.loads(js.read_text())
            f.shrunk_bytes = int(d.get("input_bytes", 0))
            f.drawn = d.get("drawn", f.drawn)
            f.message = d.get("message", f.message)
        except (OSError, ValueError):
            pass
        if tmp.is_file() and tmp.stat().st_size > 0:
            dest = self.project.findings_dir(self.harness, f.prop)
            f.cbor = store_by_hash(tmp, dest, ".cbor")
        if not f.report:
            f.report = f"{f.status.upper()}  {self.harness}/{f.summary()}"

    def print_finding(self, f: Finding) -> None:
        w = self.stream.write
        w("\n" + f.report + "\n")
        if f.sanitizer:
            w("  sanitizer (asan build):\n")
            for line in f.sanitizer.splitlines():
                w("    " + line + "\n")
        if f.duplicates:
            w(f"  ({f.duplicates} more input(s) failed the same way)\n")
        rel = self.project.rel
        if f.cbor is not None:
            w(f"  saved:  {rel(f.cbor)}\n")
        if f.raw is not None:
            w(f"  raw:    {rel(f.raw)}\n")
        replay = f.cbor or f.raw
        if replay is not None:
            tail = "" if f.cbor is not None else f" {self.harness}" + (
                f"/{f.prop}" if f.prop != "?" else "")
            w(f"  replay: {self.project.command} repro {rel(replay)}{tail}\n")
        if f.cbor is not None and not self.plant:
            # A planted build's finding is no regression: the correct build
            # passes it (harnesses/<h>/plants/ keeps one input per plant).
            w(f"  keep:   {self.project.command} keep {rel(f.cbor)}   (makes it a regression)\n")
        self.stream.flush()


def copy_artifacts(findings: list[Finding], dest: Path) -> None:
    """CI artifacts: the shrunk records and raw inputs, colon-free names."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in findings:
        for p in (f.cbor, f.raw):
            if p is not None and p.is_file():
                shutil.copyfile(p, dest / p.name)


__all__ = ["Finding", "FindingProcessor", "copy_artifacts", "sha256_file"]
