/*
 * What `delta` costs a map that grows by insertion: for each delta, fills a
 * map of 8-byte keys and values (fixed seed) and, at checkpoints spread
 * geometrically over two growth cycles, records the load (entries / slots),
 * the bytes per entry the map holds from its allocator, and the probes of
 * lookups of present and absent keys (ehm_probe_count). Counts, not times:
 * the output depends on the library alone, not on the machine.
 *
 *   delta_table [FIRST_N]     (default 65536)
 *
 * Prints one line per delta:
 *   delta grow_load load_mean load_min load_max bytes_mean bytes_min bytes_max
 *   probes_hit probes_miss
 * scripts/delta-table turns it into the table of docs/delta.md.
 */
#include <ehm/ehm.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECKPOINTS 48 /* over two growth cycles (a factor of 2.25 in entries) */
#define SAMPLE 1024    /* lookups of each kind per checkpoint */

static uint64_t mix(uint64_t x) {
    x += 0x9E3779B97F4A7C15u;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
    return x ^ (x >> 31);
}

/* Keys 0, 2, 4, ... are inserted (as mix(i)); odd i give absent keys. */
static uint64_t key_of(uint64_t i) {
    return mix(i);
}

static int fail(const char *what, int rc) {
    fprintf(stderr, "delta_table: %s: %s\n", what, ehm_strerror(rc));
    return 1;
}

static int measure(double delta, uint64_t first_n) {
    ehm_config cfg;
    ehm_config_init(&cfg);
    cfg.delta = delta;
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = 20250102;
    cfg.key_size = 8;
    cfg.value_size = 8;
    ehm_map *map = NULL;
    int rc = ehm_create(&map, &cfg);
    if (rc != EHM_OK) return fail("ehm_create", rc);

    double load_sum = 0, load_min = 1, load_max = 0;
    double bytes_sum = 0, bytes_min = INFINITY, bytes_max = 0;
    double hit_sum = 0, miss_sum = 0, grow_load = 0;
    uint64_t n = 0;
    size_t capacity = 0;
    for (int c = 0; c < CHECKPOINTS; ++c) {
        const uint64_t target = (uint64_t)(first_n * pow(2.25, (double)c / (CHECKPOINTS - 1)));
        for (; n < target; ++n) {
            const uint64_t k = key_of(2 * n), v = n;
            rc = ehm_put(map, &k, 8, &v, 8);
            if (rc != EHM_OK) {
                ehm_destroy(map);
                return fail("ehm_put", rc);
            }
            /* A growth: the load before this insertion is the highest the
             * map reached at its old capacity. */
            const size_t now = ehm_capacity(map);
            if (capacity != 0 && now != capacity && n > 0) grow_load = (double)n / (double)capacity;
            capacity = now;
        }
        ehm_stats st = {.struct_size = sizeof st};
        rc = ehm_stats_get(map, &st);
        if (rc != EHM_OK) {
            ehm_destroy(map);
            return fail("ehm_stats_get", rc);
        }
        const double load = (double)st.size / (double)st.capacity;
        const double bytes = (double)st.memory_bytes / (double)st.size;
        load_sum += load;
        bytes_sum += bytes;
        load_min = load < load_min ? load : load_min;
        load_max = load > load_max ? load : load_max;
        bytes_min = bytes < bytes_min ? bytes : bytes_min;
        bytes_max = bytes > bytes_max ? bytes : bytes_max;
        uint64_t hits = 0, misses = 0;
        for (uint64_t s = 0; s < SAMPLE; ++s) {
            const uint64_t i = mix(s ^ ((uint64_t)c << 32)) % n;
            const uint64_t present = key_of(2 * i), absent = key_of(2 * i + 1);
            uint64_t probes = 0;
            if (ehm_probe_count(map, &present, 8, &probes) != EHM_OK) {
                ehm_destroy(map);
                fprintf(stderr, "delta_table: a present key was not found\n");
                return 1;
            }
            hits += probes;
            if (ehm_probe_count(map, &absent, 8, &probes) != EHM_NOTFOUND) {
                ehm_destroy(map);
                fprintf(stderr, "delta_table: an absent key was found\n");
                return 1;
            }
            misses += probes;
        }
        hit_sum += (double)hits / SAMPLE;
        miss_sum += (double)misses / SAMPLE;
    }
    ehm_destroy(map);
    printf("%.6g %.4f %.4f %.4f %.4f %.1f %.1f %.1f %.3f %.3f\n", delta, grow_load,
           load_sum / CHECKPOINTS, load_min, load_max, bytes_sum / CHECKPOINTS, bytes_min,
           bytes_max, hit_sum / CHECKPOINTS, miss_sum / CHECKPOINTS);
    return 0;
}

int main(int argc, char **argv) {
    const uint64_t first_n = argc > 1 ? strtoull(argv[1], NULL, 10) : 65536;
    const double deltas[] = {1.0 / 128, 1.0 / 64, EHM_DEFAULT_DELTA, 1.0 / 16, 1.0 / 8, 0.25, 0.5,
                             0.9,       0.99};
    for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; ++i)
        if (measure(deltas[i], first_n) != 0) return 1;
    return 0;
}
