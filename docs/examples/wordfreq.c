/*
 * wordfreq: count the words of a text file with an ehm map.
 *
 *   wordfreq FILE
 *
 * A word is a run of ASCII letters, digits and apostrophes, lowercased, with
 * apostrophes at either end dropped. Keys are the word's bytes (variable
 * length); values are 8-byte uint64_t counts. Prints the ten most frequent
 * words, then the map's statistics: load, the mean probes of an insertion and
 * of a lookup of every present key, and the memory held.
 *
 * Build against an installed libehm:
 *
 *   cc -std=c11 wordfreq.c $(pkg-config --cflags --libs ehm) -o wordfreq
 *
 * SPDX-License-Identifier: MPL-2.0
 */
#include <ehm/ehm.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_N 10

struct word_count {
    const unsigned char *word; /* borrowed from the map: valid while it is not mutated */
    size_t len;
    uint64_t count;
};

/* The status's name and, where there is one, ehm_last_error's account of it. */
static int fail(const char *what, int status) {
    const char *detail = ehm_last_error();
    fprintf(stderr, "wordfreq: %s: %s%s%s\n", what, ehm_strerror(status), detail[0] ? ": " : "",
            detail);
    return 1;
}

/* Adds one occurrence of `word`: ehm_upsert finds the word or inserts it with
 * a zero count, in one call and one hash, and hands back the count's bytes in
 * the map. Returns an EHM_* status. */
static int count_word(ehm_map *map, const unsigned char *word, size_t len) {
    void *value = NULL;
    uint64_t count;
    int rc = ehm_upsert(map, word, len, &value, NULL);
    if (rc != EHM_OK) {
        return rc;
    }
    memcpy(&count, value, sizeof count); /* the value may be unaligned */
    count++;
    memcpy(value, &count, sizeof count);
    return EHM_OK;
}

/* Highest count first; ties in byte order of the word, so the output is stable. */
static int by_count_desc(const void *pa, const void *pb) {
    const struct word_count *a = pa;
    const struct word_count *b = pb;
    if (a->count != b->count) {
        return a->count < b->count ? 1 : -1;
    }
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->word, b->word, n);
    if (c != 0) {
        return c;
    }
    return (a->len > b->len) - (a->len < b->len);
}

static int is_word_byte(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'';
}

/* Counts the words of `in` into `map`; *words gets the number of words read.
 * Returns an EHM_* status; a read error is reported by ferror(in). */
static int count_file(FILE *in, ehm_map *map, uint64_t *words) {
    unsigned char *buf = NULL;
    size_t cap = 0;
    size_t len = 0;
    int rc = EHM_OK;
    int c;

    *words = 0;
    do {
        c = getc(in);
        if (c != EOF && is_word_byte(c)) {
            if (len == cap) {
                size_t new_cap = cap ? cap * 2 : 64;
                unsigned char *grown = realloc(buf, new_cap);
                if (grown == NULL) {
                    rc = EHM_ENOMEM;
                    break;
                }
                buf = grown;
                cap = new_cap;
            }
            buf[len++] = (unsigned char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
            continue;
        }
        /* End of a word: trim the apostrophes at either end ('quoted', dogs'). */
        size_t start = 0;
        while (start < len && buf[start] == '\'') {
            start++;
        }
        while (len > start && buf[len - 1] == '\'') {
            len--;
        }
        if (len > start) {
            rc = count_word(map, buf + start, len - start);
            if (rc != EHM_OK) {
                break;
            }
            (*words)++;
        }
        len = 0;
    } while (c != EOF);

    free(buf);
    return rc;
}

static double ratio(uint64_t num, uint64_t den) {
    return den ? (double)num / (double)den : 0.0;
}

/* Prints the top words and the statistics of `map`, which holds `words` words.
 * Returns the process exit code. */
static int report(const ehm_map *map, const char *name, uint64_t words) {
    /* Collect every entry (borrowed views: the map is not mutated from here on),
     * and run the lookup of each present key to measure its probes. */
    size_t n = ehm_size(map);
    struct word_count *entries = malloc((n ? n : 1) * sizeof *entries);
    if (entries == NULL) {
        return fail("collecting entries", EHM_ENOMEM);
    }
    size_t cursor = 0;
    size_t got = 0;
    uint64_t lookup_probes = 0;
    const void *key;
    size_t key_len;
    const void *value;
    size_t value_len;
    int rc;
    while ((rc = ehm_next(map, &cursor, &key, &key_len, &value, &value_len)) == EHM_OK) {
        if (got == n || value_len != sizeof(uint64_t)) {
            rc = EHM_EINVAL; /* more entries than ehm_size, or a value that is not a count */
            break;
        }
        uint64_t probes = 0;
        rc = ehm_probe_count(map, key, key_len, &probes);
        if (rc != EHM_OK) {
            free(entries);
            return fail("ehm_probe_count", rc);
        }
        lookup_probes += probes;
        entries[got].word = key;
        entries[got].len = key_len;
        memcpy(&entries[got].count, value, sizeof(uint64_t));
        got++;
    }
    if (rc != EHM_ITEROVER) {
        free(entries);
        return fail("ehm_next", rc);
    }
    qsort(entries, got, sizeof *entries, by_count_desc);

    ehm_stats st;
    memset(&st, 0, sizeof st);
    st.struct_size = (uint32_t)sizeof st;
    rc = ehm_stats_get(map, &st);
    if (rc != EHM_OK) {
        free(entries);
        return fail("ehm_stats_get", rc);
    }

    printf("%s: %" PRIu64 " words, %zu distinct\n\n", name, words, got);
    printf("top %d words:\n", TOP_N);
    for (size_t i = 0; i < got && i < TOP_N; i++) {
        int shown = entries[i].len > 40 ? 40 : (int)entries[i].len;
        printf("  %2zu. %-20.*s %10" PRIu64 "\n", i + 1, shown, (const char *)entries[i].word,
               entries[i].count);
    }
    free(entries);

    printf("\nmap statistics (libehm %s):\n", ehm_version_string());
    printf("  entries              %" PRIu64 "\n", st.size);
    printf("  capacity (slots)     %" PRIu64 "\n", st.capacity);
    printf("  load                 %.4f\n", ratio(st.size, st.capacity));
    printf("  levels               %" PRIu32 "\n", st.levels);
    printf("  probe width (slots)  %" PRIu64 "\n", st.probe_width);
    printf("  rebuilds             %" PRIu64 "\n", st.rebuilds);
    if (st.inserts > 0) {
        printf("  mean insert probes   %.3f  (max %" PRIu64 ", over %" PRIu64
               " insertions since the last rebuild)\n",
               ratio(st.insert_probes_total, st.inserts), st.insert_probes_max, st.inserts);
    } else {
        printf("  mean insert probes   n/a  (no insertion since the last rebuild)\n");
    }
    printf("  mean lookup probes   %.3f  (a lookup of every present key)\n",
           ratio(lookup_probes, got));
    printf("  bytes held           %" PRIu64 "\n", st.memory_bytes);
    printf("  bytes per entry      %.1f\n", ratio(st.memory_bytes, st.size));
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argc > 0 ? argv[0] : "wordfreq");
        return 2;
    }
    FILE *in = fopen(argv[1], "rb");
    if (in == NULL) {
        perror(argv[1]);
        return 1;
    }

    ehm_config cfg;
    ehm_config_init(&cfg);
    cfg.key_size = 0;                  /* words have any length */
    cfg.value_size = sizeof(uint64_t); /* every value is one count */
    ehm_map *map = NULL;
    int rc = ehm_create(&map, &cfg);
    if (rc != EHM_OK) {
        fclose(in);
        return fail("ehm_create", rc);
    }

    uint64_t words = 0;
    int exit_code;
    rc = count_file(in, map, &words);
    if (rc != EHM_OK) {
        exit_code = fail("counting words", rc);
    } else if (ferror(in)) {
        perror(argv[1]);
        exit_code = 1;
    } else {
        exit_code = report(map, argv[1], words);
    }

    ehm_destroy(map);
    fclose(in);
    return exit_code;
}
