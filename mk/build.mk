# mk/build.mk: one build of the kit: every harness, one variant, one set of
# planted bugs. Invoked by the top Makefile and by ./pry as
#
#     make -f mk/build.mk VARIANT=afl PLANT=all [HARNESS=patch]
#
# into build/<variant>[+<plant>]/ (see docs/building.md).

VARIANT ?= plain
PLANT ?=
HARNESS ?=

include mk/common.mk

BUILDDIR := build/$(VARIANT)$(if $(PLANT),+$(PLANT))$(if $(filter system,$(EXTLIB)),+system-libs)
# The kit does not depend on planted bugs: it is built once per variant,
# in build/<variant>/, and every planted build of that variant links it.
KITDIR := build/$(VARIANT)

# ---- the variant's compiler and flags (DESIGN: builds of one harness) ----
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ifeq ($(VARIANT),plain)
  VCC := $(CC)
  VFLAGS := -O2 -g
  VLINK :=
  RUNNER := yes
else ifeq ($(VARIANT),asan)
  VCC := $(CLANG)
  VFLAGS := -O1 -g $(SAN)
  VLINK := $(SAN)
  RUNNER := yes
else ifeq ($(VARIANT),afl)
  VCC := $(AFL_CC)
  VFLAGS := -O2 -g
  VLINK := -fsanitize=fuzzer
  RUNNER := no
  export AFL_LLVM_DICT2FILE := $(abspath $(BUILDDIR))/autodict.dict
  # the plant builds compile the variant's shared objects (build/afl/) first:
  # the dictionary's folder must exist before any object is compiled
  $(shell mkdir -p $(abspath $(BUILDDIR)))
else ifeq ($(VARIANT),afl-cmplog)
  VCC := $(AFL_CC)
  VFLAGS := -O2 -g
  VLINK := -fsanitize=fuzzer
  RUNNER := no
  export AFL_LLVM_CMPLOG := 1
else ifeq ($(VARIANT),libfuzzer)
  VCC := $(CLANG)
  VFLAGS := -O1 -g -fsanitize=fuzzer-no-link $(SAN)
  VLINK := -fsanitize=fuzzer $(SAN)
  RUNNER := no
else ifeq ($(VARIANT),cov)
  # Source-based coverage (./pry cov): the plain runner, whose --replay
  # runs a corpus through clang's profile runtime.
  VCC := $(CLANG)
  VFLAGS := -O1 -g -fprofile-instr-generate -fcoverage-mapping
  VLINK := -fprofile-instr-generate
  RUNNER := yes
else ifeq ($(VARIANT),libfuzzer-typed)
  # libfuzzer with pry's typed mutator linked in (engines/libfuzzer_mutator.c)
  VCC := $(CLANG)
  VFLAGS := -O1 -g -fsanitize=fuzzer-no-link $(SAN)
  VLINK := -fsanitize=fuzzer $(SAN)
  RUNNER := no
else ifeq ($(VARIANT),mutator)
  # AFL++'s custom mutator library: the harness's properties in a shared
  # object afl-fuzz loads (engines/afl_mutator.c); no instrumentation
  VCC := $(CLANG)
  VFLAGS := -O2 -g -fPIC
  VLINK := -shared
  RUNNER := no
else
  $(error unknown VARIANT '$(VARIANT)': plain, asan, afl, afl-cmplog, libfuzzer, libfuzzer-typed, mutator, cov)
endif
export AFL_QUIET := 1

# The kit's own code is not what is being fuzzed: in the fuzz builds it is
# compiled without coverage or comparison instrumentation, so the engines
# see only the harness's and the target's edges (less noise, and the
# bench/floor.sh overhead halves under libFuzzer). Sanitizers stay where
# the variant has them: the arena poisons its redzones through ASan.
ifneq ($(filter afl afl-cmplog,$(VARIANT)),)
  PRY_CC := $(CLANG)
  PRY_VFLAGS := -O2 -g -fno-plt
else ifneq ($(filter libfuzzer libfuzzer-typed,$(VARIANT)),)
  PRY_CC := $(CLANG)
  PRY_VFLAGS := -O2 -g $(SAN)
else ifeq ($(VARIANT),cov)
  # no coverage mapping: the report counts only the code under test
  PRY_CC := $(CLANG)
  PRY_VFLAGS := -O1 -g
else
  PRY_CC := $(VCC)
  PRY_VFLAGS := $(VFLAGS)
endif

# ---- planted bugs: PLANT=all or PLANT=name[,name...] ----
comma := ,
PLANT_NAMES := $(if $(filter all,$(PLANT)),$(ALL_PLANTS),$(subst $(comma), ,$(PLANT)))
UNKNOWN_PLANTS := $(filter-out $(ALL_PLANTS),$(PLANT_NAMES))
ifneq ($(UNKNOWN_PLANTS),)
  $(error unknown planted bug(s): $(UNKNOWN_PLANTS); known: $(ALL_PLANTS))
endif
PLANT_DEFS := $(foreach p,$(PLANT_NAMES),-DPRY_PLANT_$(subst -,_,$(shell echo $(p) | tr a-z A-Z)))

# The build records what it is (variant and plants) in the binary, so a
# saved counterexample can say which build found it.
# Only generators/build_id.c sees it: one small object per build folder.
BUILD_ID_DEFS := -DPRY_BUILD_VARIANT='"$(VARIANT)"' -DPRY_BUILD_PLANTS='"$(PLANT)"'
CFLAGS_ALL := $(STD_FLAGS) $(WARN) $(VFLAGS) $(PLANT_DEFS) -Igenerators
# Harness code has no planted bugs (only targets/ has PRY_PLANT_ #ifs;
# tests/test_harnesses.sh checks), so a plant build shares the harness
# objects of the variant's correct build, build/<variant>[+system-libs]/h/,
# and compiles only its target library.
HOBJDIR := build/$(VARIANT)$(if $(filter system,$(EXTLIB)),+system-libs)
HARNESS_CFLAGS := $(STD_FLAGS) $(WARN) $(VFLAGS) -Igenerators
KIT_CFLAGS := $(STD_FLAGS) $(WARN) $(PRY_VFLAGS) -Igenerators

# ---- the library ----
CORE_OBJ := $(patsubst generators/%.c,$(KITDIR)/pry/%.o,$(PRY_CORE_SRC))
RUNNER_OBJ := $(patsubst generators/%.c,$(KITDIR)/pry/%.o,$(PRY_RUNNER_SRC))
LIBPRY := $(KITDIR)/libpry.a
ifeq ($(RUNNER),yes)
  LIBPRY_OBJ := $(CORE_OBJ) $(RUNNER_OBJ)
  RUNNER_LIBS := -lcbor
else
  LIBPRY_OBJ := $(CORE_OBJ)
  RUNNER_LIBS :=
endif

$(KITDIR)/pry/%.o: generators/%.c
	@mkdir -p $(@D)
	$(PRY_CC) $(KIT_CFLAGS) -MMD -MP -c $< -o $@

# Except pry_target's blocks (generators/target_edges.c): they are there
# to be coverage, so the fuzzing builds instrument them as the code under
# test is instrumented. The other builds compile them as the rest of the
# kit (no coverage mapping in the cov build: its reports count the code
# under test only).
ifneq ($(filter afl afl-cmplog libfuzzer libfuzzer-typed,$(VARIANT)),)
$(KITDIR)/pry/target_edges.o: generators/target_edges.c
	@mkdir -p $(@D)
	$(VCC) $(STD_FLAGS) $(WARN) $(VFLAGS) -Igenerators -MMD -MP -c $< -o $@
endif

# What this build is (variant, plants), linked into every harness of it;
# libpry.a's weak defaults say "unknown" for programs built elsewhere.
BUILD_ID_OBJ := $(BUILDDIR)/build_id.o
$(BUILD_ID_OBJ): generators/build_id.c
	@mkdir -p $(@D)
	$(PRY_CC) $(KIT_CFLAGS) $(BUILD_ID_DEFS) -c $< -o $@

# The fuzz entry point is linked as an object, not from the archive:
# AFL++'s driver refers to LLVMFuzzerTestOneInput weakly, and a weak
# reference does not pull a member out of an archive (it would be NULL).
ENTRY_OBJ := $(KITDIR)/pry/fuzz_entry.o
ifeq ($(VARIANT),libfuzzer-typed)
  ENTRY_OBJ += $(KITDIR)/pry/engines/libfuzzer_mutator.o
else ifeq ($(VARIANT),mutator)
  ENTRY_OBJ := $(KITDIR)/pry/engines/afl_mutator.o
endif

$(LIBPRY): $(LIBPRY_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# What `make install` puts in lib/libpry-<variant>.a: the library with the
# variant's entry objects in it (the typed variants' engines/ objects are
# not in libpry.a). The pkg-config module's --undefined flags take them out
# of the archive in a user's link, as ENTRY_OBJ is linked in here.
$(KITDIR)/libpry-install.a: $(sort $(LIBPRY_OBJ) $(ENTRY_OBJ))
	@rm -f $@
	$(AR) rcs $@ $^

# ---- targets: targets/<t>/*.c -> lib<t>.a ----
# A target's variables are target_<t>_*: a harness of the same name has
# <h>_SRC and <h>_OBJ, and DEPS is expanded only where it is included, so
# shared names made it read the harness's objects twice and never the
# target's .d files (a target header changed, its objects were not rebuilt).
define target_rules
target_$(1)_SRC := $$(wildcard targets/$(1)/*.c)
target_$(1)_OBJ := $$(patsubst targets/$(1)/%.c,$(BUILDDIR)/targets/$(1)/%.o,$$(target_$(1)_SRC))
$(BUILDDIR)/targets/$(1)/%.o: targets/$(1)/%.c
	@mkdir -p $$(@D)
	$(VCC) $(CFLAGS_ALL) -Itargets/$(1) -MMD -MP -c $$< -o $$@
$(BUILDDIR)/targets/lib$(1).a: $$(target_$(1)_OBJ)
	@rm -f $$@
	$(AR) rcs $$@ $$^
DEPS += $$(target_$(1)_OBJ:.o=.d)
endef
$(foreach t,$(TARGETS),$(eval $(call target_rules,$(t))))

# ---- libraries built from source (<h>_EXTLIBS): mk/extlib.mk ----
include mk/extlib.mk

# ---- harnesses: harnesses/<h>/*.c -> build/<variant>/<h> ----
# A harness links the target of the same name, unless harness.mk says
# otherwise (<h>_TARGETS, <h>_LDLIBS, <h>_EXTLIBS). <h>_SHARED names source files of
# another harness to compile in as well (generators, oracles), with their
# folder on the include path: the bench's raw-bytes twins check exactly
# what the typed harnesses check, from the same code.
define shared_rule
$(HOBJDIR)/h/$(1)/shared/$(notdir $(2:.c=.o)): $(2) $$($(1)_EXTDEPS)
	@mkdir -p $$(@D)
	$(VCC) $(HARNESS_CFLAGS) $$($(1)_EXTCFLAGS) $$(foreach t,$$($(1)_USES),-Itargets/$$(t)) -I$(dir $(2)) -MMD -MP -c $$< -o $$@
endef
define harness_rules
$(2)_SRC := $$(wildcard $(1)/*.c)
$(2)_OBJ := $$(patsubst $(1)/%.c,$(HOBJDIR)/h/$(2)/%.o,$$($(2)_SRC)) \
            $$(foreach s,$$($(2)_SHARED),$(HOBJDIR)/h/$(2)/shared/$$(notdir $$(s:.c=.o)))
$(2)_USES := $$(if $$(filter undefined,$$(origin $(2)_TARGETS)),$$(filter $(2),$(TARGETS)),$$($(2)_TARGETS))
$(2)_LIBS := $$(foreach t,$$($(2)_USES),$(BUILDDIR)/targets/lib$$(t).a)
$(HOBJDIR)/h/$(2)/%.o: $(1)/%.c $$($(2)_EXTDEPS)
	@mkdir -p $$(@D)
	$(VCC) $(HARNESS_CFLAGS) $$($(2)_EXTCFLAGS) $$(foreach t,$$($(2)_USES),-Itargets/$$(t)) -I$(1) $$(addprefix -I,$$(sort $$(dir $$($(2)_SHARED)))) -MMD -MP -c $$< -o $$@
$$(foreach s,$$($(2)_SHARED),$$(eval $$(call shared_rule,$(2),$$(s))))
$(BUILDDIR)/$(2): $$($(2)_OBJ) $(ENTRY_OBJ) $(BUILD_ID_OBJ) $$($(2)_LIBS) $$($(2)_EXTDEPS) $(LIBPRY)
	$(VCC) $(VLINK) $$($(2)_OBJ) $(ENTRY_OBJ) $(BUILD_ID_OBJ) $$($(2)_LIBS) $$($(2)_EXTLINK) $(LIBPRY) $(RUNNER_LIBS) $$($(2)_LDLIBS) $$(foreach t,$$($(2)_USES),$$($$(t)_LDLIBS)) -lm -o $$@
DEPS += $$($(2)_OBJ:.o=.d)
endef
$(foreach d,$(HARNESS_DIRS),$(eval $(call harness_rules,$(d),$(notdir $(d)))))

WANTED := $(if $(HARNESS),$(HARNESS),$(notdir $(HARNESS_DIRS)))
all: $(LIBPRY) $(addprefix $(BUILDDIR)/,$(WANTED)) $(if $(HARNESS),,$(foreach t,$(TARGETS),$(BUILDDIR)/targets/lib$(t).a))
.PHONY: all
.DEFAULT_GOAL := all

DEPS += $(sort $(LIBPRY_OBJ:.o=.d) $(ENTRY_OBJ:.o=.d))
-include $(DEPS)
