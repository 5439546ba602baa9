"""./pry new NAME: a new harness folder with a property that passes, so the
first `./pry fuzz NAME` works at once and the user only edits the body."""

from __future__ import annotations

from .common import EXIT_OK, NAME_RE, SELFTEST, Project, PryError

HARNESS_C = """\
/*
 * {name}: property tests for your code. Build and fuzz with
 *
 *     ./pry fuzz {name}                 (AFL++, until the first failure)
 *     ./pry fuzz {name} --engine random --time 10
 *
 * Each PRY_PROPERTY is one test; generators/pry.h is the manual.
 */
#include "pry.h"

#include <string.h>

/* Replace this with your own code under test: #include its header and
 * name its library in harnesses/{name}/harness.mk, a library of this kit
 * under targets/<t>/ with {name}_TARGETS := <t>, a system library with
 * {name}_LDLIBS := -l<lib> (docs/building.md). */
static size_t run_length_encode(const uint8_t *in, size_t n, uint8_t *out)
{{
    size_t o = 0;
    for (size_t i = 0; i < n;) {{
        size_t run = 1;
        while (i + run < n && run < 255 && in[i + run] == in[i])
            run++;
        out[o++] = (uint8_t)run;
        out[o++] = in[i];
        i += run;
    }}
    return o;
}}

static size_t run_length_decode(const uint8_t *in, size_t n, uint8_t *out)
{{
    size_t o = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        for (uint8_t k = 0; k < in[i]; k++)
            out[o++] = in[i + 1];
    return o;
}}

/* The property: decoding what was encoded gives back the input. */
PRY_PROPERTY(roundtrip)
{{
    pry_bytes_t s = pry_bytes(p, "s", 64);          /* draw typed values ... */
    uint8_t *enc = pry_alloc(p, 2 * s.len + 1);     /* (freed after the run) */
    uint8_t *dec = pry_alloc(p, s.len + 1);
    size_t n = run_length_decode(enc, run_length_encode(s.data, s.len, enc), dec);
    pry_check_eq_mem(p, dec, n, s.data, s.len);     /* ... and check */
}}
"""

README = """\
# {name}

Property tests for ... (say what code this harness checks).

    ./pry fuzz {name}                      # AFL++ until the first failure
    ./pry fuzz {name}/roundtrip --time 60  # one property, one minute

Seeds live in `corpora/{name}/seeds/`. Counterexamples that pry finds are
saved under `pry-out/{name}/<property>/findings/`; `./pry keep FILE` makes
one a regression in `corpora/{name}/<property>/regressions/`, which
`make test` replays once committed.
"""


def scaffold(project: Project, name: str) -> int:
    if not NAME_RE.match(name):
        raise PryError(f"'{name}' is not a harness name: use [a-z][a-z0-9_]*")
    if name == SELFTEST or project.harness_dir(name) is not None:
        raise PryError(f"harness '{name}' already exists")
    hdir = project.root / "harnesses" / name
    seeds = project.root / "corpora" / name / "seeds"
    hdir.mkdir(parents=True)
    (hdir / f"{name}.c").write_text(HARNESS_C.format(name=name))
    (hdir / "README.md").write_text(README.format(name=name))
    seeds.mkdir(parents=True, exist_ok=True)
    # A two-byte string "a": more? = 1, byte 'a', more? = 0.
    (seeds / "short-string").write_bytes(b"\x01a\x00")
    rel = project.rel
    print(f"created {rel(hdir / (name + '.c'))}, {rel(hdir / 'README.md')}, "
          f"{rel(seeds / 'short-string')}")
    print(f"next: edit {rel(hdir / (name + '.c'))}, then ./pry fuzz {name}")
    return EXIT_OK
