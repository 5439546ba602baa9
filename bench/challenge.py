#!/usr/bin/env python3
"""bench/challenge.py: the Shrinking Challenge table (bench/harnesses/challenge).

Runs every challenge property in random mode for seeds 1..N, reads the
shrunk counterexample (`value = ...`) and the shrink time from the report,
and prints a Markdown table: seeds that reached the stated minimum, the
worst (largest) result, the median and worst shrink time, beside what the
challenge repository publishes for the other libraries.

    python3 bench/challenge.py [--binary build/plain/challenge] [--seeds 5]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

# property, stated minimum in pry's order (see challenge.c), and the
# published results (github.com/jlink/shrinking-challenge, the reports under
# pbt-libraries/*: "always" = one normal form over all runs, otherwise the
# most common result and how often).
CHALLENGES = [
    ("bound5", "([], [], [], [-1], [-32768])",
     "Hypothesis always `([], [], [], [-1], [-32768])`; jqwik 45 distinct results; "
     "fast-check 100 distinct in 100; rapid 81 distinct in 100"),
    ("large_union_list", "[[0, 1, -1, 2, -2]]",
     "Hypothesis, elm-test always `[[0, 1, -1, 2, -2]]`; jqwik 3 results (48%); "
     "fast-check 52 distinct; rapid 12 distinct"),
    ("reverse", "[0, 1]",
     "Hypothesis, jqwik, elm-test always `[0, 1]`; rapid 98%; fast-check 49%"),
    ("calculator", "('/', 0, ('+', 0, 0))",
     "Hypothesis, CsCheck (1 min) always; jqwik `(/, 0, (/, 0, 1))` 98%; fast-check 53 distinct"),
    ("lengthlist", "[900]",
     "Hypothesis, jqwik, elm-test always `[900]`; fast-check 24%; PropEr mostly"),
    ("difference_must_not_be_zero", "[10, 10]",
     "jqwik, elm-test, Americium always `[10, 10]`; rapid 27 distinct"),
    ("difference_must_not_be_small", "[10, 6]",
     "jqwik, elm-test, Americium always `[10, 6]`"),
    ("difference_must_not_be_one", "[10, 9]",
     "elm-test, Americium always `[10, 9]`; jqwik 69%"),
    ("binheap", "(0, None, (0, (0, None, None), (1, None, None)))",
     "Americium once; jqwik 8% (85 distinct in 100); CsCheck, elm-test never"),
    ("coupling", "[1, 0]",
     "jqwik, Americium, CsCheck (1 min) always `[1, 0]`; rapid 48%; fast-check 35%"),
    ("deletion", "([0, 0], 0)",
     "jqwik, elm-test, Americium always `([0, 0], 0)`; rapid 73%; fast-check 67%"),
    ("distinct", "[0, 1, -1]",
     "elm-test always `[0, 1, -1]`; jqwik `[0, 1, -1]` or `[0, 1, 2]`; fast-check 6 results"),
    ("nestedlists", "[[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]",
     "jqwik, elm-test, Americium always; rapid 37%; fast-check 36 distinct"),
]


def run_one(binary, prop, seed, tmp, fork_each=False):
    cmd = [binary, "--test", prop, "--seed", str(seed), "--budget", "10",
           "--save-dir", tmp, "--runs", "100000"]
    env = dict(os.environ, PRY_SHRINK_FORK="1" if fork_each else "0")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env).stdout
    m = re.search(r"^    value = (.*)$", out, re.M)
    t = re.search(r"shrunk from \d+ in ([0-9.]+) s", out)
    tries = re.search(r"(\d+) tries\)", out)
    if m is None:
        return None, None, None
    return m.group(1), float(t.group(1)) if t else 0.0, int(tries.group(1)) if tries else 0


def size_key(text):
    """Worst result: the longest printed value (more elements, bigger numbers)."""
    return (len(text), text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/plain/challenge")
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    rows = []
    all_ok = True
    medians, fork_medians = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for prop, minimum, published in CHALLENGES:
            results, times, tries = [], [], []
            for seed in range(1, args.seeds + 1):
                value, secs, n = run_one(args.binary, prop, seed, tmp)
                if value is None:
                    value, secs, n = "(not found)", 0.0, 0
                results.append(value)
                times.append(secs)
                tries.append(n)
                print(f"{prop} seed {seed}: {value} in {secs:.2f} s ({n} tries)",
                      file=sys.stderr)
            # The baseline, same seeds, same run: a fork per try.
            forked = [run_one(args.binary, prop, seed, tmp, fork_each=True)[1] or 0.0
                      for seed in range(1, args.seeds + 1)]
            hits = sum(r == minimum for r in results)
            all_ok &= hits == len(results)
            worst = max(results, key=size_key)
            med = statistics.median(times)
            fmed = statistics.median(forked)
            medians.append(med)
            fork_medians.append(fmed)
            rows.append(f"| {prop} | `{minimum}` | {hits}/{len(results)} | "
                        f"`{worst}` | {med:.2f} s | {max(times):.2f} s | {fmed:.2f} s | "
                        f"{int(statistics.median(tries))} | {published} |")
    print("| challenge | minimum (pry's order) | seeds at minimum | worst result | "
          "median shrink | slowest | median, a fork per try | median tries | "
          "published (other libraries) |")
    print("| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(rows))
    print()
    m, fm = statistics.median(medians), statistics.median(fork_medians)
    print(f"Median of the per-challenge median shrink times: {m:.2f} s with the "
          f"long-lived child, {fm:.2f} s with a fork per try (`PRY_SHRINK_FORK=1`, "
          f"same seeds, same run): {fm / m if m > 0 else float('inf'):.1f} times faster.")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
