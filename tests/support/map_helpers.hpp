// Small helpers shared by the GoogleTest suites that drive an ehm_map through
// the C API: configs, statistics and their comparison, model comparison.
#ifndef EHM_TESTS_SUPPORT_MAP_HELPERS_HPP
#define EHM_TESTS_SUPPORT_MAP_HELPERS_HPP

#include <ehm/ehm.h>

#include <gtest/gtest.h>

#include <cstring>
#include <sstream>
#include <string>
#include <unordered_set>

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

// Bytes of a blob the map handed out, as a string (a zero length may come with
// any pointer).
inline std::string blob_text(const void *data, size_t length) {
    return length == 0 ? std::string() : std::string(static_cast<const char *>(data), length);
}

// The map holds exactly `model` (std::string keys to std::string values, any
// associative container): same size, every entry found by lookup with its
// value, and iteration yields each entry once and nothing else.
template <class Model>
::testing::AssertionResult equals_model(const ehm_map *map, const Model &model) {
    if (ehm_size(map) != model.size()) {
        return ::testing::AssertionFailure()
               << "size " << ehm_size(map) << ", model " << model.size();
    }
    for (const auto &entry : model) {
        const void *value = nullptr;
        size_t value_len = 0;
        const int rc = ehm_get(map, entry.first.data(), entry.first.size(), &value, &value_len);
        if (rc != EHM_OK) {
            return ::testing::AssertionFailure()
                   << "lookup of a " << entry.first.size() << "-byte key: " << ehm_strerror(rc);
        }
        if (blob_text(value, value_len) != entry.second) {
            return ::testing::AssertionFailure() << "wrong value for a model key";
        }
    }
    std::unordered_set<const void *> visited; // model entries, by address
    size_t cursor = 0, key_len = 0, value_len = 0;
    const void *key = nullptr, *value = nullptr;
    int rc;
    while ((rc = ehm_next(map, &cursor, &key, &key_len, &value, &value_len)) == EHM_OK) {
        const auto found = model.find(blob_text(key, key_len));
        if (found == model.end()) return ::testing::AssertionFailure() << "iteration: unknown key";
        if (!visited.insert(&*found).second) {
            return ::testing::AssertionFailure() << "iteration: a key twice";
        }
        if (found->second != blob_text(value, value_len)) {
            return ::testing::AssertionFailure() << "iteration: wrong value";
        }
    }
    if (rc != EHM_ITEROVER)
        return ::testing::AssertionFailure() << "iteration: " << ehm_strerror(rc);
    if (visited.size() != model.size()) {
        return ::testing::AssertionFailure()
               << "iteration: " << visited.size() << " of " << model.size() << " entries";
    }
    return ::testing::AssertionSuccess();
}

} // namespace ehm_test

#endif // EHM_TESTS_SUPPORT_MAP_HELPERS_HPP
