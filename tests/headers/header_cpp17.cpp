// The public header on its own, as C++17; included twice to check the guard.
#include <ehm/ehm.h>
#include <ehm/ehm.h>

#include <type_traits>

static_assert(std::is_standard_layout<ehm_config>::value, "ehm_config crosses the ABI");
static_assert(std::is_standard_layout<ehm_stats>::value, "ehm_stats crosses the ABI");
static_assert(std::is_standard_layout<ehm_allocator>::value, "ehm_allocator crosses the ABI");
static_assert(std::is_trivially_copyable<ehm_config>::value, "ehm_config is plain data");
static_assert(EHM_VERSION_NUMBER ==
                  EHM_VERSION_MAJOR * 10000 + EHM_VERSION_MINOR * 100 + EHM_VERSION_PATCH,
              "version number layout");

// Taking the address of each function checks that the declarations have C
// linkage and the contract's signatures.
static_assert(std::is_same<decltype(&ehm_create), int (*)(ehm_map **, const ehm_config *)>::value,
              "ehm_create");
static_assert(std::is_same<decltype(&ehm_put),
                           int (*)(ehm_map *, const void *, size_t, const void *, size_t)>::value,
              "ehm_put");
static_assert(std::is_same<decltype(&ehm_get), int (*)(const ehm_map *, const void *, size_t,
                                                       const void **, size_t *)>::value,
              "ehm_get");
static_assert(std::is_same<decltype(&ehm_next), int (*)(const ehm_map *, size_t *, const void **,
                                                        size_t *, const void **, size_t *)>::value,
              "ehm_next");
static_assert(std::is_same<decltype(&ehm_hash), uint64_t (*)(const ehm_map *)>::value, "ehm_hash");

int main() {
    ehm_config cfg{};
    ehm_config_init(&cfg);
    return ehm_version() == EHM_VERSION_NUMBER && cfg.struct_size == sizeof cfg ? 0 : 1;
}
