/*
 * Prints what the C compiler makes of the installed ehm.h: the size,
 * alignment and field offsets of every public struct, and the value of every
 * constant the bindings must agree on (of the version, only the major), one
 * `KIND NAME VALUE` line each. tests/layout.rs compares these lines with the
 * Rust declarations of ehm-sys.
 */
#include <ehm/ehm.h>

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>

#define STRUCT(T) printf("size %s %zu\nalign %s %zu\n", #T, sizeof(T), #T, alignof(T))
#define FIELD(T, f)                                                                                \
    printf("offset %s.%s %zu\nsize %s.%s %zu\n", #T, #f, offsetof(T, f), #T, #f,                   \
           sizeof(((T *)0)->f))
#define CONST(c) printf("const %s %lld\n", #c, (long long)(c))

int main(void) {
    STRUCT(ehm_allocator);
    FIELD(ehm_allocator, alloc);
    FIELD(ehm_allocator, free);
    FIELD(ehm_allocator, ctx);

    STRUCT(ehm_config);
    FIELD(ehm_config, struct_size);
    FIELD(ehm_config, flags);
    FIELD(ehm_config, capacity);
    FIELD(ehm_config, delta);
    FIELD(ehm_config, seed);
    FIELD(ehm_config, key_size);
    FIELD(ehm_config, value_size);
    FIELD(ehm_config, allocator);

    STRUCT(ehm_stats);
    FIELD(ehm_stats, struct_size);
    FIELD(ehm_stats, levels);
    FIELD(ehm_stats, size);
    FIELD(ehm_stats, capacity);
    FIELD(ehm_stats, tombstones);
    FIELD(ehm_stats, memory_bytes);
    FIELD(ehm_stats, probe_width);
    FIELD(ehm_stats, insert_probes_total);
    FIELD(ehm_stats, insert_probes_max);
    FIELD(ehm_stats, inserts);
    FIELD(ehm_stats, rebuilds);

    CONST(EHM_VERSION_MAJOR);
    CONST(EHM_OK);
    CONST(EHM_NOTFOUND);
    CONST(EHM_EINVAL);
    CONST(EHM_ENOMEM);
    CONST(EHM_ERANGE);
    CONST(EHM_ETOOBIG);
    CONST(EHM_EVERSION);
    CONST(EHM_ITEROVER);
    CONST(EHM_EXISTS);
    CONST(EHM_FLAG_FIXED_SEED);
    CONST(EHM_FLAG_NO_HUGE_PAGES);
    printf("double EHM_DEFAULT_DELTA %.17g\n", EHM_DEFAULT_DELTA);
    return 0;
}
