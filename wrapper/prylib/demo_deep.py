"""./pry demo --deep: a planted bug that needs state built over many steps.
Random mode runs first, for a short while, and misses it; then a
coverage-guided fuzzer with pry's typed mutator (--mutator typed) finds it:
libFuzzer, because in bench/deep.sh's runs so far libFuzzer typed found it
in about a minute, AFL++ (bytes or typed) only in about 290 s or not
within 300 s (ENGINE below; bench/RESULTS-deep.md). The bug is hpack-wrap-lookup
(targets/h2/plants.tsv): a dynamic-table lookup that goes wrong only once
more than 16 header fields have been inserted with evictions in between,
so that the live entries straddle the end of the ring. bench/deep.sh
measures how often each engine finds it."""

from __future__ import annotations

import sys

from .campaign import FuzzOptions, run_campaign
from .common import EXIT_FOUND, EXIT_OK, Project, StopFlag, Target
from .demo import BAR

DEEP = Target("h2", "hpack_vs_nghttp2")
DEEP_PLANT = "hpack-wrap-lookup"
RANDOM_SECS = 30.0
ENGINE = "libfuzzer"
ENGINE_NAME = {"libfuzzer": "libFuzzer", "afl": "AFL++"}


def run_deep_demo(project: Project, stop: StopFlag, random_secs: float = RANDOM_SECS) -> int:
    out = sys.stdout
    desc = next((d, p) for _, bug, d, p in project.plants("h2") if bug == DEEP_PLANT)
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
    out.write(f"\n  2. {ENGINE_NAME[ENGINE]} with pry's typed mutator (./pry fuzz "
              f"{DEEP.harness}/{DEEP.prop} --plant {DEEP_PLANT} --engine {ENGINE} "
              f"--mutator typed), until it finds it:\n\n")
    out.flush()
    result = run_campaign(project, FuzzOptions(target=DEEP, engine=ENGINE, plant=DEEP_PLANT,
                                               stop_on_find=True, mutator="typed"), stop)
    if result.findings:
        f = result.findings[0]
        t = f.time_to_find_s
        when = f" in {t:.1f} s" if t is not None else ""
        out.write(f"\n{BAR}\n  FOUND{when}: h2/{f.summary().splitlines()[0]}\n{BAR}\n")
        return EXIT_FOUND
    out.write("\n  nothing found (interrupted?)\n")
    return EXIT_OK
