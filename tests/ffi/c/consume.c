/*
 * A consumer of the installed libehm: built outside the source tree with
 * nothing but `pkg-config --cflags --libs ehm` (and once more with
 * `--static` against libehm.a), so it sees only what a package ships: the
 * installed header, the pkg-config file and the library.
 *
 * Each test returns 0 on success; the first failed check prints its line.
 * The program prints one `ok NAME` or `FAIL NAME` line per test and closes
 * with `N passed, M failed`; the exit status is 1 if anything failed.
 */
#include <ehm/ehm.h>

#include <stdint.h>
#include <stdio.h>
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

#define ENTRIES 1000u

static size_t key_of(unsigned i, char *buf, size_t cap) {
    return (size_t)snprintf(buf, cap, "key-%u", i);
}

static size_t value_of(unsigned i, char *buf, size_t cap) {
    return (size_t)snprintf(buf, cap, "value-%u", i * 3u);
}

static int fill(ehm_map *map) {
    char k[32], v[32];
    unsigned i;
    for (i = 0; i < ENTRIES; ++i) {
        size_t kl = key_of(i, k, sizeof k), vl = value_of(i, v, sizeof v);
        CHECK_RC(ehm_put(map, k, kl, v, vl), EHM_OK);
    }
    CHECK(ehm_size(map) == ENTRIES);
    return 0;
}

static int test_version_matches_header(void) {
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", EHM_VERSION_MAJOR, EHM_VERSION_MINOR,
             EHM_VERSION_PATCH);
    CHECK(ehm_version() == EHM_VERSION_NUMBER);
    CHECK(strcmp(ehm_version_string(), expected) == 0);
    return 0;
}

static int test_create_put_get(void) {
    ehm_map *map = NULL;
    char k[32], v[32];
    unsigned i;
    CHECK_RC(ehm_create(&map, NULL), EHM_OK);
    CHECK(map != NULL);
    if (fill(map) != 0) return 1;
    for (i = 0; i < ENTRIES; ++i) {
        const void *got = NULL;
        size_t got_len = 0, kl = key_of(i, k, sizeof k), vl = value_of(i, v, sizeof v);
        CHECK_RC(ehm_get(map, k, kl, &got, &got_len), EHM_OK);
        CHECK(got_len == vl && memcmp(got, v, vl) == 0);
    }
    ehm_destroy(map);
    return 0;
}

static int test_get_miss_leaves_outputs(void) {
    ehm_map *map = NULL;
    const void *got = &map;
    size_t got_len = 12345;
    CHECK_RC(ehm_create(&map, NULL), EHM_OK);
    CHECK_RC(ehm_put(map, "present", 7, "1", 1), EHM_OK);
    CHECK_RC(ehm_get(map, "absent", 6, &got, &got_len), EHM_NOTFOUND);
    CHECK(got == (const void *)&map && got_len == 12345);
    CHECK(ehm_contains(map, "absent", 6) == 0);
    ehm_destroy(map);
    return 0;
}

static int test_remove(void) {
    ehm_map *map = NULL;
    CHECK_RC(ehm_create(&map, NULL), EHM_OK);
    CHECK_RC(ehm_put(map, "a", 1, "1", 1), EHM_OK);
    CHECK_RC(ehm_put(map, "b", 1, "2", 1), EHM_OK);
    CHECK_RC(ehm_remove(map, "a", 1), EHM_OK);
    CHECK_RC(ehm_remove(map, "a", 1), EHM_NOTFOUND);
    CHECK_RC(ehm_get(map, "a", 1, NULL, NULL), EHM_NOTFOUND);
    CHECK_RC(ehm_get(map, "b", 1, NULL, NULL), EHM_OK);
    CHECK(ehm_size(map) == 1);
    ehm_destroy(map);
    return 0;
}

/* Every entry exactly once, with its own value. */
static int test_iteration(void) {
    static unsigned char seen[ENTRIES];
    ehm_map *map = NULL;
    size_t cursor = 0, visited = 0, kl, vl;
    const void *k, *v;
    int rc;
    memset(seen, 0, sizeof seen);
    CHECK_RC(ehm_create(&map, NULL), EHM_OK);
    if (fill(map) != 0) return 1;
    while ((rc = ehm_next(map, &cursor, &k, &kl, &v, &vl)) == EHM_OK) {
        char key[32], value[32];
        unsigned i;
        CHECK(kl < sizeof key);
        memcpy(key, k, kl);
        key[kl] = '\0';
        CHECK(sscanf(key, "key-%u", &i) == 1 && i < ENTRIES && !seen[i]);
        seen[i] = 1;
        CHECK(vl == value_of(i, value, sizeof value) && memcmp(v, value, vl) == 0);
        ++visited;
    }
    CHECK_RC(rc, EHM_ITEROVER);
    CHECK(visited == ENTRIES);
    ehm_destroy(map);
    return 0;
}

static int test_error_codes(void) {
    ehm_map *map = NULL;
    ehm_config cfg;
    char buf[2];
    size_t needed = 0;
    CHECK_RC(ehm_create(NULL, NULL), EHM_EINVAL);
    CHECK_RC(ehm_put(NULL, "k", 1, "v", 1), EHM_EINVAL);
    ehm_config_init(&cfg);
    cfg.delta = 1.5;
    CHECK_RC(ehm_create(&map, &cfg), EHM_EINVAL);
    CHECK(map == NULL);
    ehm_config_init(&cfg);
    cfg.key_size = 4;
    CHECK_RC(ehm_create(&map, &cfg), EHM_OK);
    CHECK_RC(ehm_put(map, "abc", 3, "v", 1), EHM_EINVAL);
    CHECK_RC(ehm_put(map, "abcd", 4, "value", 5), EHM_OK);
    CHECK_RC(ehm_get_copy(map, "abcd", 4, buf, sizeof buf, &needed), EHM_ERANGE);
    CHECK(needed == 5);
    CHECK(strcmp(ehm_strerror(EHM_ERANGE), ehm_strerror(EHM_EINVAL)) != 0);
    ehm_destroy(map);
    return 0;
}

static const struct {
    const char *name;
    int (*run)(void);
} tests[] = {
    {"version_matches_header", test_version_matches_header},
    {"create_put_get", test_create_put_get},
    {"get_miss_leaves_outputs", test_get_miss_leaves_outputs},
    {"remove", test_remove},
    {"iteration", test_iteration},
    {"error_codes", test_error_codes},
};

int main(void) {
    size_t i, n = sizeof tests / sizeof tests[0];
    unsigned passed = 0, failed = 0;
    for (i = 0; i < n; ++i) {
        int ok = tests[i].run() == 0;
        printf("%s %s\n", ok ? "ok" : "FAIL", tests[i].name);
        if (ok)
            ++passed;
        else
            ++failed;
    }
    printf("%u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
