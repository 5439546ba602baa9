"""Is a property healthy under the engine that fuzzed it: do most of its
inputs get past pry_assume? The rule is the runner's (generators/health.c),
so every engine reports the same UNHEALTHY line and exit status 2.

Random mode checks as it runs and prints the line itself. Under AFL++ and
libFuzzer every execution is counted where it happens: the fuzz build adds
one to a counter per property (passed, discarded, too large) in a file that
all the campaign's processes map shared (PRY_HEALTH, set by the campaign).
At the end the plain build of the same harness reads that file
(`HARNESS --health FILE`) and gives its verdict. So the verdict is on the
executions the fuzzer really made, not on a replay of the corpus it kept,
which holds mostly valid inputs by construction."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from . import build
from .common import Project, PryError, Target, run_quiet


def fuzzer_verdict(project: Project, target: Target, plant: Optional[str],
                   counters: Optional[Path]) -> list[str]:
    """The runner's UNHEALTHY lines for a campaign's counters (none when
    healthy, or when the engine never ran)."""
    if counters is None or not counters.is_file() or counters.stat().st_size == 0:
        return []
    binary = build.build(project, "plain", target.harness, plant)
    argv = [str(binary), "--health", str(counters), "--quiet"]
    if target.prop:
        argv += ["--test", target.prop]
    r = run_quiet(argv, project.root, timeout=60)
    if r.returncode not in (0, 2):
        return []
    lines = [ln for ln in r.stdout.decode(errors="replace").splitlines()
             if ln.startswith("UNHEALTHY")]
    if r.returncode == 2 and not lines:
        last = (r.stderr.decode(errors="replace").strip().splitlines() or ["no reason"])[-1]
        raise PryError(f"reading {project.rel(counters)} failed: {last}")
    return lines


def unhealthy_error(lines: list[str]) -> str:
    """The one stderr line for exit status 2."""
    more = f" (and {len(lines) - 1} more, above)" if len(lines) > 1 else ""
    return lines[0] + more
