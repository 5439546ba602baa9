/*
 * registry.c: the properties of this binary, registered by PRY_PROPERTY
 * before main(). Fixed capacity: registration runs in constructors, where
 * there is no one to report an allocation failure to.
 */
#include "pry_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRY_MAX_PROPERTIES 256

static pry_property_t registry[PRY_MAX_PROPERTIES];
static size_t registry_count;

void pry_register(const char *name, pry_property_fn fn, const char *file,
                  int line)
{
    if (registry_count >= PRY_MAX_PROPERTIES) {
        fprintf(stderr, "pry: more than %d properties in one binary; %s ignored\n",
                PRY_MAX_PROPERTIES, name);
        return;
    }
    registry[registry_count++] = (pry_property_t){name, fn, file, line};
}

size_t pry_property_count(void)
{
    return registry_count;
}

const pry_property_t *pry_property_at(size_t i)
{
    return i < registry_count ? &registry[i] : NULL;
}

int pry_property_find(const char *name)
{
    /* Accept "harness/property" as well as "property". */
    const char *slash = strrchr(name, '/');
    if (slash != NULL)
        name = slash + 1;
    for (size_t i = 0; i < registry_count; i++)
        if (strcmp(registry[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const pry_property_t *)a)->name,
                  ((const pry_property_t *)b)->name);
}

void pry_registry_sort(void)
{
    qsort(registry, registry_count, sizeof registry[0], by_name);
}

/* What this binary is: generators/build_id.c, compiled by mk/build.mk
 * into each build folder, says which build (variant and plants) found a
 * record. These weak defaults serve programs linked elsewhere. */
__attribute__((weak)) const char *pry_build_variant(void)
{
    return "unknown";
}

__attribute__((weak)) const char *pry_build_plants(void)
{
    return "";
}

/* Explicit examples (PRY_EXAMPLE): inputs every random-mode run tries
 * first, like Hypothesis's @example. */
#define PRY_MAX_EXAMPLES 1024

static pry_example_t examples[PRY_MAX_EXAMPLES];
static size_t example_count;

void pry_register_example(const char *property, const char *bytes, size_t len)
{
    if (example_count >= PRY_MAX_EXAMPLES) {
        fprintf(stderr, "pry: more than %d examples; one for %s ignored\n",
                PRY_MAX_EXAMPLES, property);
        return;
    }
    examples[example_count++] = (pry_example_t){property, (const uint8_t *)bytes, len};
}

size_t pry_example_count(void)
{
    return example_count;
}

const pry_example_t *pry_example_at(size_t i)
{
    return i < example_count ? &examples[i] : NULL;
}
