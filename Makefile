# pry: build, test and demo. See README.md; docs/building.md for the layout.
#
#   make            plain and sanitizer builds of every harness, the tools
#   make demo       find a planted bug live and show it shrunk and typed
#   make test       the kit's tests (what CI runs)
#   make bench      benchmarks -> bench/RESULTS.md
#   make install PREFIX=/usr/local

include mk/common.mk

PREFIX ?= /usr/local
BUILD := $(MAKE) --no-print-directory -f mk/build.mk
# The goals here run one at a time (several of them build into the same
# build/<variant>/ folders); each build (mk/build.mk) runs its compiles in
# parallel. `make test` builds with JOBS jobs: every core.
.NOTPARALLEL:
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all plain asan fuzz-builds plant-builds tools unit-tests test build/bin/pryrecord demo bench bench-quick bench-deep \
        install clean deps doctor

all: plain asan tools

plain:
	+@$(BUILD) VARIANT=plain
asan:
	+@$(BUILD) VARIANT=asan
# The fuzzing builds: compiled by `make test` so they never rot, and on
# demand by ./pry fuzz.
# - AFL++ (./pry fuzz's default engine): every harness.
# - libFuzzer: the harnesses the suites run under it. Every shipped
#   harness is also compiled and linked under libFuzzer by
#   tests/test_clusterfuzzlite.sh (the OSS-Fuzz build), so a second full
#   build here would only cost time.
# - AFL++'s cmplog kit: ./pry fuzz --engine afl builds each harness's
#   cmplog twin on it, and the suites that do (test_pry's copy, the
#   workflow's ./pry ci, test_extlib) then compile only the harness.
# - The kits of the typed mutator (AFL++'s default: ./pry fuzz builds the
#   mutator variant of each harness), of libFuzzer typed and of coverage:
#   built once here, before the suites that use them start (test_pry
#   copies them, the workflow's ./pry ci and make install in test_install
#   find them made), rather than by each, or by two suites at once.
LIBFUZZER_TESTED := selftest targettest jansson
fuzz-builds:
	+@$(BUILD) VARIANT=libfuzzer HARNESS="$(LIBFUZZER_TESTED)"
	+@$(BUILD) VARIANT=afl
	+@$(BUILD) VARIANT=afl-cmplog build/afl-cmplog/libpry.a
	+@$(foreach v,mutator libfuzzer-typed cov,$(BUILD) VARIANT=$(v) build/$(v)/libpry-install.a &&) true

# ---- tools: targets/<t>/tools/<name>.c -> build/bin/<name> ----
TOOL_SRC := $(wildcard targets/*/tools/*.c)
TOOL_BIN := $(addprefix build/bin/,$(notdir $(TOOL_SRC:.c=)))
tools: $(TOOL_BIN) build/bin/pryrecord

# The kit's own tool: reads a record with libcbor (for the wrapper).
build/bin/pryrecord: generators/tools/pryrecord.c
	+@$(BUILD) VARIANT=plain build/plain/libpry.a
	@mkdir -p build/bin
	$(CC) $(STD_FLAGS) $(WARN) -O2 -g -Igenerators $< build/plain/libpry.a -lcbor -lm -o $@

define tool_rule
build/bin/$(notdir $(1:.c=)): $(1) plain
	@mkdir -p build/bin
	$(CC) $(STD_FLAGS) $(WARN) -O2 -g -Itargets/$(2) $(1) build/plain/targets/lib$(2).a $($(2)_LDLIBS) -lm -o $$@
endef
$(foreach s,$(TOOL_SRC),$(eval $(call tool_rule,$(s),$(word 2,$(subst /, ,$(s))))))

# ---- unit tests: tests/test_*.c and targets/<t>/tests/test_*.c ----
# Each is one program printing "N passed, N failed". Target tests are
# built plain and with sanitizers; tests/test_plants.c once per plant too.
KIT_TEST_SRC := $(wildcard tests/test_*.c)
TARGET_TEST_SRC := $(wildcard targets/*/tests/test_*.c)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

KIT_TESTS := $(patsubst tests/%.c,build/tests/kit/%,$(KIT_TEST_SRC))
build/tests/kit/%: tests/%.c plain asan
	@mkdir -p $(@D)
	$(CLANG) $(STD_FLAGS) $(WARN) -O1 -g $(SAN) -Igenerators -Itests $< build/asan/libpry.a -lcbor -lm -o $@

define target_test_rule
# $(1) = targets/<t>/tests/test_x.c, $(2) = <t>
build/tests/$(2)/$(notdir $(1:.c=)): $(1) plain
	@mkdir -p $$(@D)
	$(CC) $(STD_FLAGS) $(WARN) -O2 -g -Itargets/$(2) -Itests $(1) build/plain/targets/lib$(2).a $($(2)_LDLIBS) -lm -o $$@
build/tests/$(2)/$(notdir $(1:.c=))-asan: $(1) asan
	@mkdir -p $$(@D)
	$(CLANG) $(STD_FLAGS) $(WARN) -O1 -g $(SAN) -Itargets/$(2) -Itests $(1) build/asan/targets/lib$(2).a $($(2)_LDLIBS) -lm -o $$@
TARGET_TESTS += build/tests/$(2)/$(notdir $(1:.c=)) build/tests/$(2)/$(notdir $(1:.c=))-asan
endef
$(foreach s,$(TARGET_TEST_SRC),$(eval $(call target_test_rule,$(s),$(word 2,$(subst /, ,$(s))))))

# test_plants.c, built against each planted library (plain variant).
define plant_test_rule
build/tests/plants/$(1): $(wildcard targets/$(2)/tests/test_plants.c) plain
	+@$(BUILD) VARIANT=plain PLANT=$(1) build/plain+$(1)/targets/lib$(2).a
	@mkdir -p $$(@D)
	$(CC) $(STD_FLAGS) $(WARN) -O2 -g -DPRY_PLANT_$(subst -,_,$(shell echo $(1) | tr a-z A-Z)) -Itargets/$(2) -Itests targets/$(2)/tests/test_plants.c build/plain+$(1)/targets/lib$(2).a $($(2)_LDLIBS) -lm -o $$@
PLANT_TESTS += build/tests/plants/$(1)
endef
PLANT_OF = $(strip $(foreach t,$(TARGETS),$(if $(shell grep -s -q "^$(1)	" targets/$(t)/plants.tsv && echo y),$(t))))
$(foreach pl,$(ALL_PLANTS),$(if $(wildcard targets/$(call PLANT_OF,$(pl))/tests/test_plants.c),$(eval $(call plant_test_rule,$(pl),$(call PLANT_OF,$(pl))))))

unit-tests: $(KIT_TESTS) $(TARGET_TESTS) $(PLANT_TESTS)

# The builds that the planted bugs' known failing inputs run on:
# harnesses/<h>/plants/P.cbor on plain+P, P.asan.cbor on asan+P.
PLANT_INPUTS := $(wildcard harnesses/*/plants/*.cbor)
plant-builds:
	+@for f in $(PLANT_INPUTS); do \
	    h=$$(echo $$f | cut -d/ -f2); b=$$(basename $$f); p=$${b%%.*}; \
	    case $$b in *.asan.cbor) v=asan ;; *) v=plain ;; esac; \
	    $(BUILD) VARIANT=$$v PLANT=$$p HARNESS=$$h || exit 1; \
	done

# ---- the commands people run ----
deps:
	@sh mk/deps.sh

# The unit tests, plant and fuzz builds are built by tests/run.sh beside
# its first suite, which needs only `all` (tests/run.sh says why).
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@TEST_JOBS=$(JOBS) TEST_BUILD_GOALS="unit-tests plant-builds fuzz-builds" bash tests/run.sh

demo: deps
	@sh mk/demo.sh

bench: deps
	@$(MAKE) --no-print-directory all fuzz-builds
	@bash bench/run.sh

bench-quick: deps
	@$(MAKE) --no-print-directory all fuzz-builds
	@BENCH_QUICK=1 bash bench/run.sh

# The typed mutator against byte mutation, deep plants included (hours of
# CPU at the defaults: see bench/deep.sh for the knobs).
bench-deep: deps
	@$(MAKE) --no-print-directory all fuzz-builds
	@bash bench/deep.sh

doctor:
	@./pry doctor

# ---- make install: everything a project of its own needs ----
# Per variant a library and a pkg-config module (docs/building.md, "Using
# pry from another project"); pry.h; the record reader; share/pry/pry.mk,
# the variants for a project's Makefile to include (mk/pry.mk); the wrapper
# (share/pry, with bin/pry calling it: out of a checkout it reads the
# project's pry.toml, see docs/wrapper.md).
INSTALL_VARIANTS := plain asan libfuzzer afl cov mutator libfuzzer-typed
PRY_VERSION := $(shell sed -n 's/^\#define PRY_VERSION "\(.*\)"/\1/p' generators/pry.h)
SAN_CFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# AFL++'s driver refers to LLVMFuzzerTestOneInput weakly, and a weak
# reference does not pull a member out of an archive (the entry would be
# NULL and the first input a segfault): --undefined makes the linker take
# fuzz_entry.o out of libpry-<variant>.a, once, here rather than in every
# user's Makefile.
ENTRY_U := -Wl,--undefined=LLVMFuzzerTestOneInput
pc_name_plain := pry
pc_what_plain := the plain build with the runner (random mode, replay, shrinking), cc
pc_libs_plain := -lpry -lcbor -lm
pc_name_asan := pry-asan
pc_what_asan := the runner under ASan and UBSan, clang
pc_cflags_asan := $(SAN_CFLAGS)
pc_link_asan := -fsanitize=address,undefined
pc_libs_asan := -lpry-asan -lcbor -lm
pc_name_libfuzzer := pry-libfuzzer
pc_what_libfuzzer := the libFuzzer build with ASan and UBSan, clang
pc_cflags_libfuzzer := -fsanitize=fuzzer-no-link $(SAN_CFLAGS)
pc_link_libfuzzer := -fsanitize=fuzzer,address,undefined
pc_libs_libfuzzer := $(ENTRY_U) -lpry-libfuzzer -lm
pc_name_afl := pry-afl
pc_what_afl := the AFL++ build (persistent mode, shared-memory inputs), afl-clang-fast
pc_link_afl := -fsanitize=fuzzer
pc_libs_afl := $(ENTRY_U) -lpry-afl -lm
pc_name_cov := pry-cov
pc_what_cov := the runner for source-based coverage (pry cov), clang
pc_cflags_cov := -fprofile-instr-generate -fcoverage-mapping
pc_link_cov := -fprofile-instr-generate
pc_libs_cov := -lpry-cov -lcbor -lm
# pry fuzz --mutator typed (docs/mutator.md). AFL++'s custom mutator
# library: the harness's properties in a shared object that afl-fuzz
# dlopen()s and looks its afl_custom_* functions up in, so the objects are
# compiled position-independent (the archive's are too) and nothing in the
# link refers to those functions: --undefined takes engines/afl_mutator.o
# out of the archive and into the library's exported symbols.
AFL_CUSTOM_U := $(foreach f,init queue_get fuzz_count fuzz describe deinit,-Wl,--undefined=afl_custom_$(f))
pc_name_mutator := pry-mutator
pc_what_mutator := the typed mutator as the custom mutator library AFL++ loads, clang
pc_cflags_mutator := -fPIC
pc_link_mutator := -shared
pc_libs_mutator := $(AFL_CUSTOM_U) -lpry-mutator -lm
# The libFuzzer build with the typed mutator: libFuzzer refers to its
# custom mutator and crossover weakly, as AFL++'s driver does to the entry.
pc_name_libfuzzer-typed := pry-libfuzzer-typed
pc_what_libfuzzer-typed := the libFuzzer build with the typed mutator, ASan and UBSan, clang
pc_cflags_libfuzzer-typed := $(pc_cflags_libfuzzer)
pc_link_libfuzzer-typed := $(pc_link_libfuzzer)
pc_libs_libfuzzer-typed := $(ENTRY_U) -Wl,--undefined=LLVMFuzzerCustomMutator \
    -Wl,--undefined=LLVMFuzzerCustomCrossOver -lpry-libfuzzer-typed -lm

define install_variant
	+@$(BUILD) VARIANT=$(1) build/$(1)/libpry-install.a
	install -m 644 build/$(1)/libpry-install.a $(DESTDIR)$(PREFIX)/lib/lib$(pc_name_$(1)).a
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@NAME@|$(pc_name_$(1))|' -e 's|@WHAT@|$(pc_what_$(1))|' \
	    -e 's|@VERSION@|$(PRY_VERSION)|' -e 's|@CFLAGS@|$(pc_cflags_$(1))|' \
	    -e 's|@LINK@|$(pc_link_$(1))|' -e 's|@LIBS@|$(pc_libs_$(1))|' -e 's|  *$$$$||' -e 's|:  *|: |' \
	    mk/pry.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/$(pc_name_$(1)).pc

endef

install: build/bin/pryrecord
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/lib/pry $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin
	$(foreach v,$(INSTALL_VARIANTS),$(call install_variant,$(v)))
	install -m 644 generators/pry.h $(DESTDIR)$(PREFIX)/include/pry.h
	install -D -m 644 mk/pry.mk $(DESTDIR)$(PREFIX)/share/pry/pry.mk
	install -m 755 build/bin/pryrecord $(DESTDIR)$(PREFIX)/lib/pry/pryrecord
	cd wrapper && find . -name '*.py' -type f | while read -r f; do \
	    install -D -m 644 "$$f" "$(DESTDIR)$(PREFIX)/share/pry/wrapper/$$f" || exit 1; done
	install -m 755 pry $(DESTDIR)$(PREFIX)/share/pry/pry
	printf '#!/bin/sh\nexec "%s/share/pry/pry" "$$@"\n' '$(PREFIX)' > $(DESTDIR)$(PREFIX)/bin/pry
	chmod 755 $(DESTDIR)$(PREFIX)/bin/pry

clean:
	rm -rf build
