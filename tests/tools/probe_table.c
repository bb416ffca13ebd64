/* Prints the probe figures of an elastic table filled to just below its
 * growth point, for delta = 1/4 ... 1/256, measured through the public API:
 * load reached, mean insert probes, mean probes of the last 1% of inserts,
 * the largest insert, and mean probes of hits and misses.
 *
 * usage: probe_table [entries]   (default 1000000; the table is sized for it) */
#include <ehm/ehm.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int fail(const char *what, int status) {
    fprintf(stderr, "probe_table: %s: %s\n", what, ehm_strerror(status));
    return 1;
}

static double mean_lookup_probes(const ehm_map *map, uint64_t seed, uint64_t count, int expect) {
    uint64_t state = seed, total = 0, probes = 0;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t key = splitmix64(&state);
        if (ehm_probe_count(map, &key, sizeof key, &probes) != expect) return -1.0;
        total += probes;
    }
    return (double)total / (double)count;
}

static int measure(unsigned log2_inverse_delta, uint64_t entries) {
    ehm_config cfg;
    ehm_config_init(&cfg);
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = 42;
    cfg.delta = 1.0 / (double)(1u << log2_inverse_delta);
    cfg.capacity = entries;
    cfg.key_size = 8;
    cfg.value_size = 8;
    ehm_map *map = NULL;
    int status = ehm_create(&map, &cfg);
    if (status != EHM_OK) return fail("create", status);

    const uint64_t slots = ehm_capacity(map);
    const uint64_t fill = slots - (uint64_t)((double)slots * cfg.delta); /* exact: delta is 2^-k */
    const uint64_t tail_start = fill - fill / 100;
    ehm_stats before_tail, after;
    memset(&before_tail, 0, sizeof before_tail);
    memset(&after, 0, sizeof after);
    before_tail.struct_size = after.struct_size = sizeof(ehm_stats);
    uint64_t state = 1;
    for (uint64_t i = 0; i < fill; ++i) {
        if (i == tail_start && (status = ehm_stats_get(map, &before_tail)) != EHM_OK) break;
        uint64_t key = splitmix64(&state);
        if ((status = ehm_put(map, &key, sizeof key, &i, sizeof i)) != EHM_OK) break;
    }
    if (status == EHM_OK) status = ehm_stats_get(map, &after);
    if (status != EHM_OK) {
        ehm_destroy(map);
        return fail("fill", status);
    }
    double hit = mean_lookup_probes(map, 1, fill, EHM_OK); /* every key: early ones sit in A1 */
    double miss = mean_lookup_probes(map, 0xABCDEF, fill < 200000 ? fill : 200000, EHM_NOTFOUND);
    double tail = (double)(after.insert_probes_total - before_tail.insert_probes_total) /
                  (double)(after.inserts - before_tail.inserts);
    printf("| 1/%-3u | %9llu | %6.4f | %6u | %6.3f | %6.3f | %5llu | %5.3f | %5.3f | %4llu |\n",
           1u << log2_inverse_delta, (unsigned long long)slots, (double)after.size / (double)slots,
           after.levels, (double)after.insert_probes_total / (double)after.inserts, tail,
           (unsigned long long)after.insert_probes_max, hit, miss,
           (unsigned long long)after.rebuilds);
    ehm_destroy(map);
    return hit < 0 || miss < 0 ? fail("lookup", EHM_EINVAL) : 0;
}

int main(int argc, char **argv) {
    uint64_t entries = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000;
    printf("| delta | slots     | load   | levels | insert | last1%% | max   | hit   | miss  | "
           "rebuilds |\n");
    printf("|-------|-----------|--------|--------|--------|--------|-------|-------|-------|------"
           "----|\n");
    int failed = 0;
    for (unsigned k = 2; k <= 8; ++k) failed |= measure(k, entries);
    return failed;
}
