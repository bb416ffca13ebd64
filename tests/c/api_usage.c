/*
 * Exercises every function of the ehm C API from a strict C11 program.
 * Exit status 0 and no output on success; on failure the first failed check
 * is reported on stderr and the exit status is 1.
 */
#include <ehm/ehm.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

#define CHECK_RC(call, expected)                                                                   \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_ != (expected)) {                                                                   \
            fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d\n", __FILE__, __LINE__,       \
                    #call, rc_, ehm_strerror(rc_), (int)(expected));                               \
            return 1;                                                                              \
        }                                                                                          \
    } while (0)

/* ---- A counting allocator --------------------------------------------- */

typedef struct counter {
    size_t live_bytes;
    size_t allocations;
    size_t bad_frees;
    int fail;
} counter;

/* Each block carries a header recording its size and alignment so that the
 * free call can be checked against the matching alloc. */
typedef struct block_header {
    size_t size;
    size_t align;
    size_t offset;
} block_header;

static void *counting_alloc(void *ctx, size_t size, size_t align) {
    counter *c = (counter *)ctx;
    unsigned char *raw;
    size_t offset;
    block_header h;
    if (c->fail || align == 0 || (align & (align - 1)) != 0) return NULL;
    offset = sizeof(block_header) > align ? sizeof(block_header) : align;
    offset = (offset + align - 1) / align * align;
    raw = (unsigned char *)malloc(offset + size + align);
    if (raw == NULL) return NULL;
    {
        uintptr_t base = (uintptr_t)raw + offset;
        uintptr_t aligned = (base + align - 1) / align * align;
        unsigned char *user = (unsigned char *)aligned;
        h.size = size;
        h.align = align;
        h.offset = (size_t)(user - raw);
        memcpy(user - sizeof h, &h, sizeof h);
        c->live_bytes += size;
        c->allocations += 1;
        return user;
    }
}

static void counting_free(void *ctx, void *ptr, size_t size, size_t align) {
    counter *c = (counter *)ctx;
    unsigned char *user = (unsigned char *)ptr;
    block_header h;
    if (ptr == NULL) return;
    memcpy(&h, user - sizeof h, sizeof h);
    if (h.size != size || h.align != align) c->bad_frees += 1;
    if ((uintptr_t)ptr % align != 0) c->bad_frees += 1;
    c->live_bytes -= h.size;
    free(user - h.offset);
}

/* ---- Helpers ------------------------------------------------------------ */

static void make_key(char *buf, size_t cap, unsigned i, size_t *len) {
    int n = snprintf(buf, cap, "key-%u", i);
    *len = (size_t)n;
}

static void make_value(char *buf, size_t cap, unsigned i, size_t *len) {
    int n = snprintf(buf, cap, "value-%u-%u", i, i * 7u);
    *len = (size_t)n;
}

static int fill(ehm_map *map, unsigned first, unsigned count) {
    unsigned i;
    char k[32], v[32];
    size_t kl, vl;
    for (i = first; i < first + count; ++i) {
        make_key(k, sizeof k, i, &kl);
        make_value(v, sizeof v, i, &vl);
        CHECK_RC(ehm_put(map, k, kl, v, vl), EHM_OK);
    }
    return 0;
}

static int verify(const ehm_map *map, unsigned first, unsigned count) {
    unsigned i;
    char k[32], v[32];
    size_t kl, vl;
    for (i = first; i < first + count; ++i) {
        const void *got = NULL;
        size_t got_len = 0;
        make_key(k, sizeof k, i, &kl);
        make_value(v, sizeof v, i, &vl);
        CHECK_RC(ehm_get(map, k, kl, &got, &got_len), EHM_OK);
        CHECK(got_len == vl);
        CHECK(memcmp(got, v, vl) == 0);
    }
    return 0;
}

/* ---- Sections ----------------------------------------------------------- */

static int test_version(void) {
    char expected[32];
    const int codes[] = {EHM_OK,      EHM_NOTFOUND, EHM_EINVAL,   EHM_ENOMEM, EHM_ERANGE,
                         EHM_ETOOBIG, EHM_EVERSION, EHM_ITEROVER, EHM_EXISTS};
    size_t i, j;
    CHECK(ehm_version() == EHM_VERSION_NUMBER);
    snprintf(expected, sizeof expected, "%d.%d.%d", EHM_VERSION_MAJOR, EHM_VERSION_MINOR,
             EHM_VERSION_PATCH);
    CHECK(ehm_version_string() != NULL);
    CHECK(strcmp(ehm_version_string(), expected) == 0);
    CHECK(strcmp(ehm_version_string(), "1.2.0") == 0);
    for (i = 0; i < sizeof codes / sizeof codes[0]; ++i) {
        const char *s = ehm_strerror(codes[i]);
        CHECK(s != NULL && s[0] != '\0');
        for (j = 0; j < i; ++j) CHECK(strcmp(s, ehm_strerror(codes[j])) != 0);
    }
    CHECK(ehm_strerror(12345) != NULL);
    CHECK(ehm_strerror(-999) != NULL);
    return 0;
}

static int test_config_and_lifecycle(void) {
    ehm_config cfg;
    ehm_map *map = NULL;
    ehm_map *sentinel = (ehm_map *)&cfg;
    ehm_config_init(&cfg);
    CHECK(cfg.struct_size == sizeof(ehm_config));
    CHECK(cfg.flags == 0);
    CHECK(cfg.capacity == 0);
    CHECK(cfg.delta == EHM_DEFAULT_DELTA);
    CHECK(cfg.key_size == 0 && cfg.value_size == 0);
    CHECK(cfg.allocator == NULL);
    ehm_config_init(NULL);

    CHECK_RC(ehm_create(&map, NULL), EHM_OK);
    CHECK(map != NULL);
    CHECK(ehm_size(map) == 0);
    ehm_destroy(map);
    ehm_destroy(NULL);

    cfg.delta = 0.0;
    map = sentinel;
    CHECK_RC(ehm_create(&map, &cfg), EHM_EINVAL);
    CHECK(map == NULL);
    cfg.delta = NAN;
    map = sentinel;
    CHECK_RC(ehm_create(&map, &cfg), EHM_EINVAL);
    CHECK(map == NULL);
    cfg.delta = 0.5;
    cfg.flags = 0x10u;
    CHECK_RC(ehm_create(&map, &cfg), EHM_EINVAL);
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.capacity = UINT64_MAX;
    CHECK_RC(ehm_create(&map, &cfg), EHM_ETOOBIG);
    cfg.capacity = 1000;
    cfg.struct_size = 8;
    CHECK_RC(ehm_create(&map, &cfg), EHM_EINVAL);
    CHECK(map == NULL);
    cfg.struct_size = sizeof cfg;
    CHECK_RC(ehm_create(&map, &cfg), EHM_OK);
    CHECK(ehm_capacity(map) >= 1000);
    ehm_destroy(map);

    {
        struct {
            ehm_config cfg;
            unsigned char tail[16];
        } newer;
        memset(&newer, 0, sizeof newer);
        ehm_config_init(&newer.cfg);
        newer.cfg.struct_size = (uint32_t)sizeof newer;
        CHECK_RC(ehm_create(&map, &newer.cfg), EHM_OK);
        ehm_destroy(map);
        newer.tail[3] = 1;
        map = sentinel;
        CHECK_RC(ehm_create(&map, &newer.cfg), EHM_EVERSION);
        CHECK(map == NULL);
    }
    CHECK(ehm_size(NULL) == 0);
    CHECK(ehm_capacity(NULL) == 0);
    return 0;
}

static int test_entries(void) {
    ehm_map *map = NULL;
    const void *value = NULL;
    size_t len = 0;
    char buf[64];
    uint64_t probes = 0;
    uint64_t fetches = 0;

    CHECK_RC(ehm_create(&map, NULL), EHM_OK);
    CHECK_RC(ehm_put(map, "alpha", 5, "one", 3), EHM_OK);
    CHECK_RC(ehm_put(map, NULL, 0, "empty key", 9), EHM_OK);
    CHECK_RC(ehm_put(map, "nothing", 7, NULL, 0), EHM_OK);
    CHECK(ehm_size(map) == 3);

    CHECK_RC(ehm_get(map, "alpha", 5, &value, &len), EHM_OK);
    CHECK(len == 3 && memcmp(value, "one", 3) == 0);
    CHECK_RC(ehm_get(map, "alpha", 5, NULL, NULL), EHM_OK);
    CHECK_RC(ehm_get(map, NULL, 0, &value, &len), EHM_OK);
    CHECK(len == 9 && memcmp(value, "empty key", 9) == 0);
    value = buf;
    len = 77;
    CHECK_RC(ehm_get(map, "beta", 4, &value, &len), EHM_NOTFOUND);
    CHECK(value == buf && len == 77);

    CHECK_RC(ehm_put(map, "alpha", 5, "uno", 3), EHM_OK);
    CHECK(ehm_size(map) == 3);

    CHECK_RC(ehm_get_copy(map, "alpha", 5, NULL, 0, &len), EHM_ERANGE);
    CHECK(len == 3);
    memset(buf, 'x', sizeof buf);
    CHECK_RC(ehm_get_copy(map, "alpha", 5, buf, 2, &len), EHM_ERANGE);
    CHECK(buf[0] == 'x' && buf[1] == 'x');
    CHECK_RC(ehm_get_copy(map, "alpha", 5, buf, 3, &len), EHM_OK);
    CHECK(len == 3 && memcmp(buf, "uno", 3) == 0);
    CHECK_RC(ehm_get_copy(map, "alpha", 5, buf, sizeof buf, NULL), EHM_EINVAL);
    CHECK_RC(ehm_get_copy(map, "nothing", 7, NULL, 0, &len), EHM_OK);
    CHECK(len == 0);

    CHECK(ehm_contains(map, "alpha", 5) == 1);
    CHECK(ehm_contains(map, "alph", 4) == 0);
    CHECK(ehm_contains(map, NULL, 0) == 1);
    CHECK(ehm_contains(NULL, "alpha", 5) == EHM_EINVAL);
    CHECK(ehm_contains_value(map, "uno", 3) == 1);
    CHECK(ehm_contains_value(map, "one", 3) == 0);
    CHECK(ehm_contains_value(map, NULL, 0) == 1);

    CHECK_RC(ehm_probe_count(map, "alpha", 5, &probes), EHM_OK);
    CHECK(probes >= 1);
    probes = 0;
    CHECK_RC(ehm_probe_count(map, "zzz", 3, &probes), EHM_NOTFOUND);
    CHECK(probes >= 1);
    CHECK_RC(ehm_probe_fetches(map, "alpha", 5, &fetches), EHM_OK);
    CHECK(fetches >= 1);
    fetches = 0;
    CHECK_RC(ehm_probe_fetches(map, "zzz", 3, &fetches), EHM_NOTFOUND);
    CHECK(fetches >= 1);
    CHECK_RC(ehm_probe_fetches(map, "alpha", 5, NULL), EHM_EINVAL);
    CHECK_RC(ehm_probe_fetches(NULL, "alpha", 5, &fetches), EHM_EINVAL);

    CHECK_RC(ehm_remove(map, "alpha", 5), EHM_OK);
    CHECK_RC(ehm_remove(map, "alpha", 5), EHM_NOTFOUND);
    CHECK(ehm_size(map) == 2);

    CHECK_RC(ehm_put(map, NULL, 1, "v", 1), EHM_EINVAL);
    CHECK_RC(ehm_put(map, "k", 1, NULL, 1), EHM_EINVAL);
    CHECK_RC(ehm_put(map, buf, SIZE_MAX, "v", 1), EHM_ETOOBIG);
    CHECK_RC(ehm_put(NULL, "k", 1, "v", 1), EHM_EINVAL);
    CHECK(ehm_size(map) == 2);

    CHECK(fill(map, 0, 20000) == 0);
    CHECK(ehm_size(map) == 20002);
    CHECK(ehm_capacity(map) >= ehm_size(map));
    CHECK(verify(map, 0, 20000) == 0);

    CHECK_RC(ehm_clear(map), EHM_OK);
    CHECK(ehm_size(map) == 0);
    CHECK(ehm_contains(map, NULL, 0) == 0);
    CHECK_RC(ehm_clear(NULL), EHM_EINVAL);
    ehm_destroy(map);
    return 0;
}

static int test_fixed_size(void) {
    ehm_config cfg;
    ehm_map *map = NULL;
    uint64_t k, v, out;
    size_t len;
    ehm_config_init(&cfg);
    cfg.key_size = 8;
    cfg.value_size = 8;
    CHECK_RC(ehm_create(&map, &cfg), EHM_OK);
    for (k = 0; k < 5000; ++k) {
        v = k * 3u + 1u;
        CHECK_RC(ehm_put(map, &k, sizeof k, &v, sizeof v), EHM_OK);
    }
    for (k = 0; k < 5000; ++k) {
        CHECK_RC(ehm_get_copy(map, &k, sizeof k, &out, sizeof out, &len), EHM_OK);
        CHECK(len == 8 && out == k * 3u + 1u);
    }
    k = 1;
    CHECK_RC(ehm_put(map, &k, 7, &v, 8), EHM_EINVAL);
    CHECK_RC(ehm_put(map, &k, 8, &v, 4), EHM_EINVAL);
    CHECK_RC(ehm_get(map, &k, 9, NULL, NULL), EHM_EINVAL);
    CHECK(ehm_size(map) == 5000);
    ehm_destroy(map);
    return 0;
}

static int test_iteration(void) {
    ehm_map *map = NULL;
    size_t cursor = 0, visited = 0, kept = 0;
    const void *key, *value;
    size_t key_len, value_len;
    int rc;
    unsigned char *seen = (unsigned char *)calloc(3000, 1);
    CHECK(seen != NULL);

    CHECK_RC(ehm_create(&map, NULL), EHM_OK);
    CHECK_RC(ehm_next(map, &cursor, NULL, NULL, NULL, NULL), EHM_ITEROVER);
    CHECK(fill(map, 0, 3000) == 0);

    /* Drop the even keys in the same pass that visits everything. */
    cursor = 0;
    while ((rc = ehm_next(map, &cursor, &key, &key_len, &value, &value_len)) == EHM_OK) {
        char k[32];
        unsigned idx;
        CHECK(key_len < sizeof k);
        memcpy(k, key, key_len);
        k[key_len] = '\0';
        CHECK(sscanf(k, "key-%u", &idx) == 1 && idx < 3000);
        CHECK(seen[idx] == 0);
        seen[idx] = 1;
        ++visited;
        if (idx % 2 == 0) CHECK_RC(ehm_remove(map, k, key_len), EHM_OK);
    }
    CHECK(rc == EHM_ITEROVER);
    CHECK_RC(ehm_next(map, &cursor, &key, &key_len, &value, &value_len), EHM_ITEROVER);
    CHECK(visited == 3000);
    CHECK(ehm_size(map) == 1500);

    cursor = 0;
    while (ehm_next(map, &cursor, NULL, NULL, NULL, NULL) == EHM_OK) ++kept;
    CHECK(kept == 1500);
    CHECK_RC(ehm_next(NULL, &cursor, NULL, NULL, NULL, NULL), EHM_EINVAL);
    CHECK_RC(ehm_next(map, NULL, NULL, NULL, NULL, NULL), EHM_EINVAL);
    free(seen);
    ehm_destroy(map);
    return 0;
}

static int test_whole_map(void) {
    ehm_config cfg;
    ehm_map *a = NULL, *b = NULL, *c = NULL;
    ehm_config_init(&cfg);
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = 1;
    CHECK_RC(ehm_create(&a, &cfg), EHM_OK);
    cfg.seed = 2;
    cfg.capacity = 10000;
    CHECK_RC(ehm_create(&b, &cfg), EHM_OK);
    CHECK(fill(a, 0, 1000) == 0);
    CHECK(fill(b, 500, 500) == 0);
    CHECK(fill(b, 0, 500) == 0);

    CHECK(ehm_equal(a, b) == 1);
    CHECK(ehm_hash(a) == ehm_hash(b));
    CHECK(ehm_equal(a, NULL) == EHM_EINVAL);
    CHECK(ehm_hash(NULL) == 0);

    CHECK_RC(ehm_clone(&c, a), EHM_OK);
    CHECK(c != NULL && c != a);
    CHECK(ehm_equal(a, c) == 1);
    CHECK_RC(ehm_put(c, "key-1", 5, "changed", 7), EHM_OK);
    CHECK(ehm_equal(a, c) == 0);
    CHECK(ehm_hash(a) != ehm_hash(c));
    CHECK(verify(a, 0, 1000) == 0);
    CHECK_RC(ehm_remove(b, "key-7", 5), EHM_OK);
    CHECK(ehm_equal(a, b) == 0);

    ehm_destroy(c);
    c = (ehm_map *)&cfg;
    CHECK_RC(ehm_clone(&c, NULL), EHM_EINVAL);
    CHECK(c == NULL);

    ehm_destroy(a);
    ehm_destroy(b);
    return 0;
}

static int test_capacity_and_stats(void) {
    ehm_map *map = NULL;
    ehm_stats s;
    uint64_t rebuilds;
    CHECK_RC(ehm_create(&map, NULL), EHM_OK);
    CHECK_RC(ehm_reserve(map, 50000), EHM_OK);
    CHECK(ehm_capacity(map) >= 50000);
    memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    CHECK_RC(ehm_stats_get(map, &s), EHM_OK);
    rebuilds = s.rebuilds;
    CHECK(fill(map, 0, 50000) == 0);
    CHECK_RC(ehm_stats_get(map, &s), EHM_OK);
    CHECK(s.rebuilds == rebuilds);
    CHECK(s.size == 50000);
    CHECK(s.capacity == ehm_capacity(map));
    CHECK(s.memory_bytes > 0);
    CHECK(s.probe_width >= 1);
    CHECK(s.inserts >= 1);
    CHECK(s.insert_probes_total >= s.inserts);
    CHECK(s.insert_probes_max >= 1);
    CHECK_RC(ehm_remove(map, "key-3", 5), EHM_OK);
    {
        uint64_t before = s.tombstones;
        CHECK_RC(ehm_stats_get(map, &s), EHM_OK);
        CHECK(s.tombstones > before);
    }
    CHECK_RC(ehm_reserve(map, SIZE_MAX), EHM_ETOOBIG);
    CHECK_RC(ehm_reserve(NULL, 1), EHM_EINVAL);

    s.struct_size = 4;
    CHECK_RC(ehm_stats_get(map, &s), EHM_EINVAL);
    {
        struct {
            ehm_stats s;
            unsigned char tail[8];
        } newer;
        memset(&newer, 0, sizeof newer);
        newer.s.struct_size = (uint32_t)sizeof newer;
        CHECK_RC(ehm_stats_get(map, &newer.s), EHM_OK);
        CHECK(newer.s.size == 49999);
        newer.tail[7] = 9;
        CHECK_RC(ehm_stats_get(map, &newer.s), EHM_EVERSION);
    }
    CHECK_RC(ehm_stats_get(NULL, &s), EHM_EINVAL);
    ehm_destroy(map);
    return 0;
}

static int test_allocator(void) {
    counter ctr = {0, 0, 0, 0};
    ehm_allocator a;
    ehm_config cfg;
    ehm_map *map = NULL, *copy = NULL;
    ehm_stats s, s2;
    a.alloc = counting_alloc;
    a.free = counting_free;
    a.ctx = &ctr;
    ehm_config_init(&cfg);
    cfg.allocator = &a;

    CHECK_RC(ehm_create(&map, &cfg), EHM_OK);
    CHECK(ctr.allocations > 0);
    CHECK(fill(map, 0, 10000) == 0);
    memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    CHECK_RC(ehm_stats_get(map, &s), EHM_OK);
    CHECK(s.memory_bytes == ctr.live_bytes);

    CHECK_RC(ehm_clone(&copy, map), EHM_OK);
    memset(&s2, 0, sizeof s2);
    s2.struct_size = sizeof s2;
    CHECK_RC(ehm_stats_get(copy, &s2), EHM_OK);
    CHECK(s.memory_bytes + s2.memory_bytes == ctr.live_bytes);
    ehm_destroy(copy);

    /* Out of memory: the map is left as it was. */
    ctr.fail = 1;
    {
        unsigned i;
        int rc = EHM_OK;
        for (i = 10000; i < 400000 && rc == EHM_OK; ++i) {
            char k[32];
            size_t kl;
            make_key(k, sizeof k, i, &kl);
            rc = ehm_put(map, k, kl, "v", 1);
            if (rc == EHM_ENOMEM) CHECK(ehm_contains(map, k, kl) == 0);
        }
        CHECK(rc == EHM_ENOMEM);
    }
    CHECK(verify(map, 0, 10000) == 0);
    ctr.fail = 0;
    CHECK_RC(ehm_stats_get(map, &s), EHM_OK);
    CHECK(s.memory_bytes == ctr.live_bytes);
    ehm_destroy(map);
    CHECK(ctr.live_bytes == 0);
    CHECK(ctr.bad_frees == 0);

    ctr.fail = 1;
    map = (ehm_map *)&cfg;
    CHECK_RC(ehm_create(&map, &cfg), EHM_ENOMEM);
    CHECK(map == NULL);
    CHECK(ctr.live_bytes == 0);
    return 0;
}

/* 1.2: ehm_insert, ehm_upsert, ehm_exchange, ehm_remove_copy, ehm_last_error. */
static int test_one_lookup_calls(void) {
    ehm_config cfg;
    ehm_map *map = NULL, *words = NULL;
    void *slot = NULL;
    int inserted = -1;
    char buf[16];
    size_t len = 0;
    uint64_t count;
    const char *err = ehm_last_error();
    CHECK(err != NULL);

    CHECK_RC(ehm_create(&map, NULL), EHM_OK);
    CHECK_RC(ehm_insert(map, "k", 1, "one", 3), EHM_OK);
    CHECK(strcmp(ehm_last_error(), "") == 0);
    CHECK_RC(ehm_insert(map, "k", 1, "two", 3), EHM_EXISTS);
    CHECK(strcmp(ehm_last_error(), "") == 0);
    CHECK_RC(ehm_get_copy(map, "k", 1, buf, sizeof buf, &len), EHM_OK);
    CHECK(len == 3 && memcmp(buf, "one", 3) == 0);
    CHECK_RC(ehm_upsert(map, "k", 1, &slot, &inserted), EHM_EINVAL);
    CHECK(strstr(ehm_last_error(), "value_size") != NULL);

    CHECK_RC(ehm_exchange(map, "k", 1, "three", 5, buf, sizeof buf, &len), 1);
    CHECK(len == 3 && memcmp(buf, "one", 3) == 0);
    CHECK_RC(ehm_exchange(map, "n", 1, "new", 3, buf, sizeof buf, &len), 0);
    CHECK_RC(ehm_exchange(map, "k", 1, "x", 1, buf, 2, &len), EHM_ERANGE);
    CHECK(len == 5);
    CHECK_RC(ehm_remove_copy(map, "k", 1, buf, sizeof buf, &len), EHM_OK);
    CHECK(len == 5 && memcmp(buf, "three", 5) == 0);
    CHECK_RC(ehm_remove_copy(map, "k", 1, buf, sizeof buf, &len), EHM_NOTFOUND);
    CHECK(ehm_size(map) == 1);
    ehm_destroy(map);

    ehm_config_init(&cfg);
    cfg.value_size = sizeof count;
    CHECK_RC(ehm_create(&words, &cfg), EHM_OK);
    CHECK_RC(ehm_upsert(words, "w", 1, &slot, &inserted), EHM_OK);
    CHECK(inserted == 1);
    memcpy(&count, slot, sizeof count);
    CHECK(count == 0);
    ++*(uint64_t *)slot;
    CHECK_RC(ehm_upsert(words, "w", 1, &slot, NULL), EHM_OK);
    ++*(uint64_t *)slot;
    CHECK_RC(ehm_upsert(words, "w", 1, &slot, &inserted), EHM_OK);
    CHECK(inserted == 0);
    memcpy(&count, slot, sizeof count);
    CHECK(count == 2);
    CHECK_RC(ehm_put(words, "w", 1, "short", 5), EHM_EINVAL);
    CHECK(strcmp(ehm_last_error(), "ehm_put: value_len is 5 but the map's value_size is 8") == 0);
    ehm_destroy(words);
    return 0;
}

int main(void) {
    if (test_version()) return 1;
    if (test_config_and_lifecycle()) return 1;
    if (test_entries()) return 1;
    if (test_fixed_size()) return 1;
    if (test_iteration()) return 1;
    if (test_whole_map()) return 1;
    if (test_capacity_and_stats()) return 1;
    if (test_allocator()) return 1;
    if (test_one_lookup_calls()) return 1;
    return 0;
}
