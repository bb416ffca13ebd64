#include <ehm/ehm.h>

#include <stdio.h>
#include <string.h>

static int put_string(ehm_map *map, const char *key, const char *value) {
    return ehm_put(map, key, strlen(key), value, strlen(value)); /* the map copies both */
}

int main(void) {
    ehm_map *capitals = NULL;
    int rc = ehm_create(&capitals, NULL); /* NULL: the default configuration */
    if (rc != EHM_OK) {
        fprintf(stderr, "ehm_create: %s\n", ehm_strerror(rc));
        return 1;
    }
    if ((rc = put_string(capitals, "France", "Paris")) != EHM_OK ||
        (rc = put_string(capitals, "Japan", "Tokyo")) != EHM_OK ||
        (rc = put_string(capitals, "Peru", "Lima")) != EHM_OK) {
        fprintf(stderr, "ehm_put: %s\n", ehm_strerror(rc));
        ehm_destroy(capitals);
        return 1;
    }

    /* A view into the map, valid until the next call that changes it. */
    const void *city;
    size_t city_len;
    if (ehm_get(capitals, "Japan", 5, &city, &city_len) == EHM_OK)
        printf("Japan -> %.*s\n", (int)city_len, (const char *)city);
    rc = ehm_get(capitals, "Chile", 5, &city, &city_len);
    printf("Chile: %s\n", ehm_strerror(rc));

    /* A copy instead: ask for the length first, then copy into a buffer. */
    char buf[16];
    size_t needed = 0;
    rc = ehm_get_copy(capitals, "France", 6, NULL, 0, &needed);
    printf("France: %s, %zu bytes needed\n", ehm_strerror(rc), needed);
    if (needed <= sizeof buf &&
        ehm_get_copy(capitals, "France", 6, buf, sizeof buf, &needed) == EHM_OK)
        printf("France -> %.*s\n", (int)needed, buf);

    printf("remove France: %s\n", ehm_strerror(ehm_remove(capitals, "France", 6)));
    printf("remove France again: %s\n", ehm_strerror(ehm_remove(capitals, "France", 6)));

    /* Every entry once, in an unspecified order. */
    size_t cursor = 0, key_len, value_len, entries = 0, value_bytes = 0;
    const void *key, *value;
    while ((rc = ehm_next(capitals, &cursor, &key, &key_len, &value, &value_len)) == EHM_OK) {
        entries += 1;
        value_bytes += value_len;
    }
    printf("%zu entries, %zu bytes of values (%s)\n", entries, value_bytes, ehm_strerror(rc));

    ehm_destroy(capitals);
    return rc == EHM_ITEROVER ? 0 : 1;
}
