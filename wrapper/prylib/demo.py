"""./pry demo: the live demonstration. Planted bugs on, AFL++, stop at the
first finding, and show it big: a banner, the target and its planted bugs,
the live line, then the shrunk typed counterexample.

By default one bug is switched on: the first line of the target's
plants.tsv, the target's story (for patch, the 2019 missing-newline bug).
With every plant on, the smallest inputs already fail and the audience sees
no fuzzing at all; one plant takes AFL++ a few thousand executions, well
under a second, every time (bench/RESULTS.md). `--plant all` is there."""

from __future__ import annotations

import sys
from typing import Optional

from .campaign import FuzzOptions, run_campaign
from .common import EXIT_FOUND, EXIT_OK, Project, PryError, StopFlag, Target

DEFAULT_HARNESS = "patch"
BAR = "=" * 72


def pick_harness(project: Project, wanted: Optional[str]) -> str:
    shipped = project.shipped_harnesses()
    if wanted is not None:
        if project.harness_dir(wanted) is None:
            raise PryError(f"unknown harness '{wanted}'; known: {' '.join(shipped) or '(none yet)'}")
        if not project.plants(wanted):
            raise PryError(f"harness '{wanted}' has no planted bugs (targets/{wanted}/plants.tsv)")
        return wanted
    if DEFAULT_HARNESS in shipped and project.plants(DEFAULT_HARNESS):
        return DEFAULT_HARNESS
    for h in shipped:
        if project.plants(h):
            return h
    raise PryError("no harness with planted bugs yet: a demo needs harnesses/<h>/ and "
                   "targets/<h>/plants.tsv")


def run_demo(project: Project, wanted: Optional[str], plant: Optional[str],
             stop: StopFlag) -> int:
    harness = pick_harness(project, wanted)
    plants = project.plants(harness)
    if plant is None:
        plant = plants[0][1]
    elif plant != "all" and plant not in [bug for _, bug, _, _ in plants]:
        raise PryError(f"harness '{harness}' has no planted bug '{plant}'; it has: "
                       f"{' '.join(bug for _, bug, _, _ in plants)} (or all)")
    out = sys.stdout
    out.write(f"\n{BAR}\n  pry demo: fuzzing '{harness}' with AFL++, planted bug"
              f"{'s' if plant == 'all' else ''} switched on\n{BAR}\n")
    for _, bug, desc, precedent in plants:
        if plant in ("all", bug):
            out.write(f"  * {bug}: {desc}\n")
            if precedent:
                out.write(f"    modelled on: {precedent}\n")
    others = [bug for _, bug, _, _ in plants if plant not in ("all", bug)]
    if others:
        out.write(f"  (also planted, off: {' '.join(others)}; try ./pry demo {harness} --plant all)\n")
    out.write(f"{BAR}\n")
    out.flush()
    # AFL++'s own byte mutation: the story bugs fall within seconds either
    # way, and the typed mutator's build would add about 10 s to a fresh
    # clone's demo.
    result = run_campaign(project, FuzzOptions(target=Target(harness, None), engine="afl",
                                               plant=plant, stop_on_find=True,
                                               mutator="bytes"), stop)
    if result.findings:
        f = result.findings[0]
        summary = f.summary().splitlines()[0]
        t = f.time_to_find_s
        out.write(f"\n{BAR}\n  FOUND in {t:.1f} s: {harness}/{summary}\n{BAR}\n"
                  if t is not None else f"\n{BAR}\n  FOUND: {harness}/{summary}\n{BAR}\n")
        return EXIT_FOUND
    out.write("\n  nothing found (interrupted?)\n")
    return EXIT_OK
