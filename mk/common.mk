# mk/common.mk: what every part of the build agrees on.

CC ?= cc
CLANG ?= clang
AFL_CC ?= afl-clang-fast
AR ?= ar

STD_FLAGS := -std=c11 -D_GNU_SOURCE
WARN := -Wall -Wextra -Wshadow -Wconversion -Wmissing-prototypes -Wstrict-prototypes
# CI builds with warnings as errors (STYLE: -Werror in CI).
ifneq ($(CI),)
  WARN += -Werror
endif

# The library: the core goes into every build; the runner (main, fork
# isolation, shrinking, CBOR records) only into builds with our own main.
PRY_RUNNER_SRC := $(addprefix generators/,exec.c exec_server.c runner_main.c runner_random.c \
                  runner_repro.c runner_replay.c runner_report.c runner_util.c shrink.c \
                  shrink_passes.c shrink_values.c shrink_alternatives.c record.c)
# generators/build_id.c is compiled per build folder, not into the library.
PRY_CORE_SRC := $(filter-out $(PRY_RUNNER_SRC) generators/build_id.c,$(wildcard generators/*.c))

TARGETS := $(notdir $(patsubst %/,%,$(wildcard targets/*/)))
HARNESS_DIRS := $(patsubst %/,%,$(wildcard harnesses/*/) $(wildcard tests/harnesses/*/) $(wildcard bench/harnesses/*/))
SHIPPED_HARNESSES := $(notdir $(patsubst %/,%,$(wildcard harnesses/*/)))

# Planted bugs: the first column of targets/*/plants.tsv.
ALL_PLANTS := $(shell cat targets/*/plants.tsv 2>/dev/null | grep -v '^\#' | cut -f1)

-include $(wildcard targets/*/target.mk) $(wildcard harnesses/*/harness.mk) $(wildcard tests/harnesses/*/harness.mk) $(wildcard bench/harnesses/*/harness.mk)
