"""./pry demo --deep: a planted bug that random testing misses and a
coverage-guided fuzzer finds. Random mode runs first, for a short while,
and misses it; then AFL++ finds it.

The bug is plus-anchor (targets/patch/plants.tsv, after oven-sh/bun
#38879): a later hunk of a multi-hunk diff is first tried at its header's
line plus the lines earlier hunks added. The search around that wrong line
hides the bug unless the hunk's old lines also occur nearer to it, so it
takes two or more hunks, earlier ones changing the line count, and a
repeat of six or seven lines: random draws over 64 words almost never
repeat six lines (random mode: not found in 300 s, about 10 million runs,
on each seed measured), while AFL++ copies and fills byte runs and keeps
what reaches new code (median a few seconds; bench/RESULTS-deep.md,
bench/deep.sh)."""

from __future__ import annotations

import sys

from .campaign import FuzzOptions, run_campaign
from .common import EXIT_FOUND, EXIT_OK, Project, StopFlag, Target
from .demo import BAR

DEEP = Target("patch", "multi_hunk")
DEEP_PLANT = "plus-anchor"
RANDOM_SECS = 30.0
ENGINE = "afl"
ENGINE_NAME = {"libfuzzer": "libFuzzer", "afl": "AFL++"}


def run_deep_demo(project: Project, stop: StopFlag, random_secs: float = RANDOM_SECS) -> int:
    out = sys.stdout
    desc = next((d, p) for _, bug, d, p in project.plants(DEEP.harness) if bug == DEEP_PLANT)
    out.write(f"\n{BAR}\n  pry demo --deep: a bug random testing misses\n{BAR}\n"
              f"  * {DEEP_PLANT}: {desc[0]}\n    modelled on: {desc[1]}\n{BAR}\n"
              f"\n  1. random mode (QuickCheck-style, no coverage guidance), {random_secs:g} s:\n\n")
    out.flush()
    rnd = run_campaign(project, FuzzOptions(target=DEEP, engine="random", plant=DEEP_PLANT,
                                            time_limit=random_secs, stop_on_find=True), stop)
    if stop.is_set():
        return EXIT_OK
    if rnd.findings:  # it can happen (bench/deep.sh counts how often): say so
        out.write(f"\n  random mode found it this time, after {rnd.seconds:.1f} s.\n")
    else:
        out.write(f"\n  random mode: nothing in {rnd.seconds:.0f} s, {rnd.stats.execs} runs.\n")
    out.write(f"\n  2. {ENGINE_NAME[ENGINE]}, coverage-guided (./pry fuzz "
              f"{DEEP.harness}/{DEEP.prop} --plant {DEEP_PLANT} --engine {ENGINE} "
              f"--mutator bytes), "
              f"until it finds it:\n\n")
    out.flush()
    # bytes: plain AFL++ against random mode is the story here (and
    # plus-anchor falls about as fast to either mutator: RESULTS-deep.md)
    result = run_campaign(project, FuzzOptions(target=DEEP, engine=ENGINE, plant=DEEP_PLANT,
                                               stop_on_find=True, mutator="bytes"), stop)
    if result.findings:
        f = result.findings[0]
        t = f.time_to_find_s
        when = f" in {t:.1f} s" if t is not None else ""
        out.write(f"\n{BAR}\n  FOUND{when}: {DEEP.harness}/{f.summary().splitlines()[0]}\n{BAR}\n")
        return EXIT_FOUND
    out.write("\n  nothing found (interrupted?)\n")
    return EXIT_OK
