/* The public header on its own, as strict C, included twice to check its guard;
 * tests/headers/meson.build builds this file as C99 (header_c99) and C11 (header_c11). */
#include <ehm/ehm.h>
#include <ehm/ehm.h>

int main(void) {
    ehm_config cfg;
    ehm_stats stats;
    ehm_allocator alloc;
    ehm_map *map = (ehm_map *)0;
    int codes[8] = {EHM_OK,     EHM_NOTFOUND, EHM_EINVAL,   EHM_ENOMEM,
                    EHM_ERANGE, EHM_ETOOBIG,  EHM_EVERSION, EHM_ITEROVER};
    (void)map;
    (void)codes;
    alloc.alloc = 0;
    alloc.free = 0;
    alloc.ctx = 0;
    (void)alloc;
    stats.struct_size = (uint32_t)sizeof stats;
    (void)stats;
    ehm_config_init(&cfg);
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.delta = EHM_DEFAULT_DELTA;
    (void)cfg;
    return ehm_version() == EHM_VERSION_NUMBER ? 0 : 1;
}
