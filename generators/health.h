/*
 * health.h: is a property healthy, that is, do most of its inputs reach
 * its checks? One rule for every engine, and the counters through which
 * the processes of a fuzzing campaign (AFL++'s forked children, libFuzzer's
 * fork-mode workers) report how their executions ended. Internal to libpry.
 */
#ifndef PRY_HEALTH_H
#define PRY_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Discards allowed per valid run (Hypothesis uses the same ratio). */
#define PRY_MAX_DISCARD_RATIO 10
/* Evidence needed before a verdict: this many discards, or
 * PRY_MAX_DISCARD_RATIO times the valid runs asked for if that is less. */
#define PRY_HEALTH_MIN_DISCARDS 10000

/* The rule: true when |bad| (discarded by pry_assume plus overruns) is at
 * least the evidence floor and more than PRY_MAX_DISCARD_RATIO times
 * |valid|. |wanted| is the number of valid runs asked for (UINT64_MAX:
 * no bound). */
bool pry_health_bad(uint64_t valid, uint64_t bad, uint64_t wanted);

/* ---- counters shared by a campaign's processes ----
 * A file (PRY_HEALTH=FILE in the environment of a fuzz build) holds one
 * slot per property, named, so that the plain build of the same harness
 * can read it (`HARNESS --health FILE`). Counters are updated with atomic
 * adds on a MAP_SHARED mapping: AFL++ forks its children from one parent,
 * and every child's mapping is the same page. */
#define PRY_HEALTH_MAGIC "pryhlth1"
#define PRY_HEALTH_NAME 56

typedef struct {
    char name[PRY_HEALTH_NAME]; /* the property, NUL-terminated */
    uint64_t pass, discard, overrun;
} pry_health_slot_t;

typedef struct {
    char magic[8];
    uint64_t n; /* slots that follow */
} pry_health_header_t;

/* Map |path| (created if missing) with a slot per registered property.
 * 0, or -1 (then nothing is counted; fuzzing goes on). */
int pry_health_attach(const char *path);
/* Count one run of property |prop| that ended with |status|
 * (a pry_run_status). A no-op when nothing is attached. */
void pry_health_count(int prop, int status);

#endif /* PRY_HEALTH_H */
