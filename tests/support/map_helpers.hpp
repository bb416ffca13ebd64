// Small helpers shared by the GoogleTest suites that drive an ehm_map through
// the C API: configs, statistics and their comparison.
#ifndef EHM_TESTS_SUPPORT_MAP_HELPERS_HPP
#define EHM_TESTS_SUPPORT_MAP_HELPERS_HPP

#include <ehm/ehm.h>

#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

namespace ehm_test {

// An ehm_config_init'd config that allocates through `allocator` (NULL: the
// default allocator). The struct is filled with garbage first, so a field
// ehm_config_init forgot would show.
inline ehm_config default_config(const ehm_allocator *allocator = nullptr) {
    ehm_config cfg;
    std::memset(&cfg, 0xEE, sizeof cfg);
    ehm_config_init(&cfg);
    cfg.allocator = allocator;
    return cfg;
}

// The map's statistics; a failing ehm_stats_get fails the test.
inline ehm_stats stats_of(const ehm_map *map) {
    ehm_stats s;
    std::memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    const int rc = ehm_stats_get(map, &s);
    EXPECT_EQ(rc, EHM_OK) << ehm_strerror(rc);
    return s;
}

// Every field is the same; the failure names each field that differs.
inline ::testing::AssertionResult same_stats(const ehm_stats &a, const ehm_stats &b) {
    std::ostringstream diff;
#define EHM_TEST_CMP(field)                                                                        \
    if (a.field != b.field) diff << " " #field ": " << a.field << " vs " << b.field;
    EHM_TEST_CMP(struct_size)
    EHM_TEST_CMP(levels)
    EHM_TEST_CMP(size)
    EHM_TEST_CMP(capacity)
    EHM_TEST_CMP(tombstones)
    EHM_TEST_CMP(memory_bytes)
    EHM_TEST_CMP(probe_width)
    EHM_TEST_CMP(insert_probes_total)
    EHM_TEST_CMP(insert_probes_max)
    EHM_TEST_CMP(inserts)
    EHM_TEST_CMP(rebuilds)
#undef EHM_TEST_CMP
    if (diff.str().empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "stats differ:" << diff.str();
}

} // namespace ehm_test

#endif // EHM_TESTS_SUPPORT_MAP_HELPERS_HPP
