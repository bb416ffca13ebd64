/*
 * ehm: an elastic-hashing hash map with a stable C ABI.
 *
 * Keys and values are byte blobs (pointer, length). The map copies what it is
 * given; lookups hand back borrowed views that stay valid until the next call
 * that mutates the same map. Every fallible call returns an int status: 0 is
 * success, negative values are the EHM_* codes below. No function aborts,
 * prints or lets an exception escape.
 *
 * Threads: there is no global mutable state. One map must not be mutated from
 * two threads at once; any number of threads may call the functions taking a
 * `const ehm_map *` concurrently while nobody mutates that map.
 *
 * ABI: stable within a major version. Structs grow only at their tail and
 * carry their own size; functions are only ever added.
 *
 * This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at https://mozilla.org/MPL/2.0/.
 */
#ifndef EHM_EHM_H
#define EHM_EHM_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(EHM_BUILDING_LIBRARY)
#define EHM_API __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define EHM_API __attribute__((visibility("default")))
#else
#define EHM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------ */

#define EHM_VERSION_MAJOR 1
#define EHM_VERSION_MINOR 2
#define EHM_VERSION_PATCH 0
#define EHM_VERSION_NUMBER (EHM_VERSION_MAJOR * 10000 + EHM_VERSION_MINOR * 100 + EHM_VERSION_PATCH)

/* The EHM_VERSION_NUMBER the library was built with. */
EHM_API unsigned ehm_version(void);
/* "MAJOR.MINOR.PATCH" of the library; static storage. */
EHM_API const char *ehm_version_string(void);

/* ---- Status codes ------------------------------------------------------- */

#define EHM_OK 0          /* success */
#define EHM_NOTFOUND (-1) /* the key is not in the map (an expected outcome) */
#define EHM_EINVAL (-2)   /* bad argument or invalid config */
#define EHM_ENOMEM (-3)   /* an allocation failed; nothing changed */
#define EHM_ERANGE (-4)   /* caller's buffer too small; needed length reported */
#define EHM_ETOOBIG (-5)  /* a length or capacity beyond what the library supports */
#define EHM_EVERSION (-6) /* struct from a newer layout with a non-zero unknown tail */
#define EHM_ITEROVER (-7) /* the iteration cursor has passed the last entry */
#define EHM_EXISTS (-8)   /* ehm_insert: the key is already present; nothing changed (1.2) */

/* A static, human-readable string for every status; never NULL. */
EHM_API const char *ehm_strerror(int status);

/* Why this thread's most recent ehm_* call failed, naming the argument and
 * the expected and given values, e.g. "ehm_put: key_len is 4 but the map's
 * key_size is 8". "" when that call did not fail; EHM_NOTFOUND, EHM_ITEROVER
 * and EHM_EXISTS are outcomes, not failures, and also leave "". Owned by the
 * library and valid until this thread's next ehm_* call. ehm_strerror,
 * ehm_version, ehm_version_string and ehm_last_error itself leave it as it is,
 * so `ehm_strerror(rc)` and `ehm_last_error()` may be printed together.
 * Since 1.2. */
EHM_API const char *ehm_last_error(void);

/* ---- Allocator ---------------------------------------------------------- */

/* Every byte a map holds comes from its allocator. `alloc` returns NULL on
 * failure (the call then fails with EHM_ENOMEM and changes nothing); `free`
 * receives the size and alignment given to the matching `alloc`. The struct is
 * copied at create time; `ctx` must outlive the map. */
typedef struct ehm_allocator {
    void *(*alloc)(void *ctx, size_t size, size_t align);
    void (*free)(void *ctx, void *ptr, size_t size, size_t align);
    void *ctx;
} ehm_allocator;

/* ---- Configuration ------------------------------------------------------ */

typedef struct ehm_config {
    uint32_t struct_size; /* sizeof(ehm_config) of the caller; set by ehm_config_init */
    uint32_t flags;       /* EHM_FLAG_* bits; 0 by default */
    uint64_t capacity;    /* initial capacity hint in entries; 0 = a small default */
    double delta;         /* the free fraction kept before the table grows, 0 < delta < 1 */
    uint64_t seed;        /* hash seed, used only with EHM_FLAG_FIXED_SEED */
    uint32_t key_size;    /* 0 = variable-length keys; N > 0 = every key is N bytes */
    uint32_t value_size;  /* 0 = variable-length values; N > 0 = every value is N bytes */
    const ehm_allocator *allocator; /* NULL = the C library's malloc/free */
} ehm_config;

/* Use cfg.seed; otherwise each map draws a random seed (HashDoS resistance). */
#define EHM_FLAG_FIXED_SEED 1u
/* Keep the map on ordinary pages. Without this flag, a map on the default
 * allocator (cfg.allocator NULL) asks Linux for transparent huge pages for
 * every block of 4 MiB or more, in practice the table of a map of a few
 * hundred thousand entries: the block is 2 MiB aligned, its size rounded up
 * to whole 2 MiB pages (memory_bytes counts the rounded size), and advised
 * with madvise(MADV_HUGEPAGE), so that lookups in a large table miss the TLB
 * less. Where the advice fails or does not exist the memory is used as it is.
 * A caller's allocator is asked for exactly what the map needs, with or
 * without this flag. Clones and rebuilds keep the map's choice. A library
 * before 1.2 rejects it with EHM_EINVAL. Since 1.2. */
#define EHM_FLAG_NO_HUGE_PAGES 2u

/* The default delta: the table grows when 1 - 1/32 of its slots are in use.
 * delta is the free fraction, not a load factor: the table grows when its load
 * reaches 1 - delta, by 1.5x, so a map that grows by insertion sits between
 * (1 - delta) / 1.5 and 1 - delta (the default: 0.6 to 0.97, near 0.8 on
 * average). Deltas of 1/128 to 1/16 cost about the same memory; large ones
 * cost a lot: 0.5 about twice the bytes per entry of the default, 0.9 about
 * ten times, 0.99 about a hundred (some 2,400 bytes per 16-byte entry). The
 * README's table has the measured figures. */
#define EHM_DEFAULT_DELTA 0.03125

/* Fills defaults and struct_size. NULL is a no-op. */
EHM_API void ehm_config_init(ehm_config *cfg);

/* ---- Lifecycle ---------------------------------------------------------- */

typedef struct ehm_map ehm_map; /* opaque */

/* `cfg` may be NULL (defaults). On failure `*out` is set to NULL. */
EHM_API int ehm_create(ehm_map **out, const ehm_config *cfg);
/* NULL is a no-op. */
EHM_API void ehm_destroy(ehm_map *map);
/* Deep copy with the same config and seed. On failure `*out` is set to NULL. */
EHM_API int ehm_clone(ehm_map **out, const ehm_map *src);

/* ---- Entries ------------------------------------------------------------ */

/* Every call accepts keys and values that point into the map it is given
 * (views from ehm_get, ehm_next, ehm_get_many, ehm_upsert): it reads what it
 * needs from them before it changes or frees anything they may point to. */

/* Insert, or replace the value of an existing key. NULL data is allowed only
 * with length 0 (the empty blob). EHM_ENOMEM leaves the old value in place. */
EHM_API int ehm_put(ehm_map *map, const void *key, size_t key_len, const void *value,
                    size_t value_len);
/* Inserts only when the key is absent (one hash, one lookup): EHM_OK when it
 * inserted; EHM_EXISTS when the key is present, which keeps its value and
 * changes nothing. Since 1.2. */
EHM_API int ehm_insert(ehm_map *map, const void *key, size_t key_len, const void *value,
                       size_t value_len);
/* For maps with a fixed value_size (others: EHM_EINVAL). Finds the key, or
 * inserts it with value_size zero bytes, and sets `*value` to the value's
 * bytes inside the map, writable until the next call that mutates the map;
 * `*inserted` (may be NULL) to 1 when it inserted, else 0. Counting is
 * ehm_upsert and ++*(uint64_t *)value: one call, one hash. On EHM_ENOMEM
 * nothing changed and `*value` is untouched. Since 1.2. */
EHM_API int ehm_upsert(ehm_map *map, const void *key, size_t key_len, void **value, int *inserted);
/* ehm_put that hands back the value it replaces, with one lookup: returns 1
 * when the key was present (its old value copied into `old_buf`, its length
 * in `*old_len`), 0 when it inserted (`old_buf` and `*old_len` untouched).
 * If the old value is longer than `old_buf_len`: EHM_ERANGE, nothing changed,
 * `*old_len` set to the needed length. `old_len` must not be NULL. On
 * EHM_ENOMEM the map keeps the old value, and `old_buf` may hold its copy.
 * Since 1.2. */
EHM_API int ehm_exchange(ehm_map *map, const void *key, size_t key_len, const void *value,
                         size_t value_len, void *old_buf, size_t old_buf_len, size_t *old_len);
/* Borrowed view of the value, valid until the next mutation of this map.
 * `value` and `value_len` may each be NULL. EHM_NOTFOUND leaves them untouched. */
EHM_API int ehm_get(const ehm_map *map, const void *key, size_t key_len, const void **value,
                    size_t *value_len);
/* Copies the value into `buf`. If `buf_len` is too small: EHM_ERANGE, nothing
 * copied, `*value_len` set to the needed length. `value_len` must not be NULL. */
EHM_API int ehm_get_copy(const ehm_map *map, const void *key, size_t key_len, void *buf,
                         size_t buf_len, size_t *value_len);
/* Looks up keys[i] (key_lens[i] bytes) for every i < count, as ehm_get does,
 * and sets statuses[i] to EHM_OK (values[i] and value_lens[i] then hold the
 * value's view) or EHM_NOTFOUND (both left untouched). It hashes a batch of
 * keys and starts loading their groups before searching any, so their cache
 * misses overlap: faster than a loop of ehm_get once the table outgrows the
 * CPU caches. `values` and `value_lens` may each be NULL. Every key is checked
 * first: a bad one fails the call with its status and nothing is written.
 * Since 1.1. */
EHM_API int ehm_get_many(const ehm_map *map, size_t count, const void *const *keys,
                         const size_t *key_lens, const void **values, size_t *value_lens,
                         int *statuses);
/* EHM_NOTFOUND if absent. */
EHM_API int ehm_remove(ehm_map *map, const void *key, size_t key_len);
/* ehm_remove that first copies the value into `buf`, as ehm_get_copy does,
 * with one lookup: EHM_OK with `*value_len` set; EHM_NOTFOUND if absent; if
 * `buf_len` is too small, EHM_ERANGE, nothing removed, `*value_len` set to the
 * needed length. `value_len` must not be NULL. Since 1.2. */
EHM_API int ehm_remove_copy(ehm_map *map, const void *key, size_t key_len, void *buf,
                            size_t buf_len, size_t *value_len);
/* 1 if present, 0 if absent, < 0 on bad arguments. */
EHM_API int ehm_contains(const ehm_map *map, const void *key, size_t key_len);
/* 1 if some entry has this value, 0 if none, < 0 on bad arguments. O(n). */
EHM_API int ehm_contains_value(const ehm_map *map, const void *value, size_t value_len);
/* Entries; 0 for NULL. */
EHM_API size_t ehm_size(const ehm_map *map);
/* Slots; 0 for NULL. */
EHM_API size_t ehm_capacity(const ehm_map *map);
/* Grow now so that `entries` fit without growth: after it, insertions up to
 * `entries` entries in all rebuild nothing. Where the table is large enough
 * but tombstones left by removals would fill before then, it reclaims them
 * now with a rebuild at the same size. */
EHM_API int ehm_reserve(ehm_map *map, size_t entries);
/* Removes every entry and keeps the capacity. */
EHM_API int ehm_clear(ehm_map *map);

/* 1 when both maps hold the same keys with byte-equal values (seeds and
 * capacities may differ), 0 otherwise, < 0 on bad arguments. */
EHM_API int ehm_equal(const ehm_map *a, const ehm_map *b);
/* Independent of seed, capacity and insertion order: equal maps hash equal.
 * 0 for NULL. */
EHM_API uint64_t ehm_hash(const ehm_map *map);

/* ---- Iteration ---------------------------------------------------------- */

/* Set `*cursor = 0` to start. Each call yields the next entry (borrowed views)
 * or EHM_ITEROVER. Removing the entry just returned keeps the cursor valid;
 * any other mutation invalidates it. A cursor made before an insertion of a
 * new key, a rebuild (growth, ehm_reserve) or ehm_clear is refused with
 * EHM_EINVAL (since 1.2, where size_t has 64 bits; the check compares a
 * 10-bit generation tag, so it is a diagnosis, not a promise). The
 * out-pointers may each be NULL. */
EHM_API int ehm_next(const ehm_map *map, size_t *cursor, const void **key, size_t *key_len,
                     const void **value, size_t *value_len);

/* ---- Statistics and probes ---------------------------------------------- */

typedef struct ehm_stats {
    uint32_t struct_size;  /* set by the caller to sizeof(ehm_stats) */
    uint32_t levels;       /* sub-arrays (A1, A2, ...) holding entries or tombstones */
    uint64_t size;         /* entries */
    uint64_t capacity;     /* slots */
    uint64_t tombstones;   /* slots left by removals and not yet reclaimed */
    uint64_t memory_bytes; /* bytes currently held from the allocator */
    uint64_t probe_width;  /* slots covered by one probe (the group width) */
    /* The window of the next three fields is the current table: it opens when
     * the table is made (ehm_create, ehm_clear, or a rebuild, whose own
     * placements of the live entries count as insertions) and runs over every
     * insertion since. */
    uint64_t insert_probes_total; /* probes made by insertions since the last rebuild */
    uint64_t insert_probes_max;   /* the largest probe count of one insertion, same window */
    uint64_t inserts;             /* insertions in that window */
    /* Growths and same-size rebuilds since creation. A clone copies its
     * source's table and starts from its source's count (and window). */
    uint64_t rebuilds;
} ehm_stats;

/* Reads out->struct_size like ehm_create reads the config, then fills it. */
EHM_API int ehm_stats_get(const ehm_map *map, ehm_stats *out);
/* Runs the lookup for `key` and reports the probes it made: EHM_OK for a
 * present key, EHM_NOTFOUND for an absent one, with `*probes` set either way. */
EHM_API int ehm_probe_count(const ehm_map *map, const void *key, size_t key_len, uint64_t *probes);
/* Runs the same lookup and reports the memory round trips its control words
 * needed: 1 when it was decided by the key's first probes (its home group,
 * the buddy, and the first groups of A2 and A3, which share one superblock of
 * memory), plus 1 for each group it read beyond them. EHM_OK for a present
 * key, EHM_NOTFOUND for an absent one, with `*fetches` set either way.
 * Since 1.2. */
EHM_API int ehm_probe_fetches(const ehm_map *map, const void *key, size_t key_len,
                              uint64_t *fetches);

#ifdef __cplusplus
}
#endif

#endif /* EHM_EHM_H */
