// Helpers shared by the C API suites: owning map handles, fill/verify helpers
// and whole-map snapshots for "nothing changed" checks. The test allocator,
// default_config, stats_of and same_stats come from tests/support.
#pragma once

#include <ehm/ehm.h>

#include <gtest/gtest.h>

#include "map_helpers.hpp"
#include "test_allocator.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ehmtest {

using ehm_test::default_config;
using ehm_test::same_stats;
using ehm_test::stats_of;
using ehm_test::TestAllocator;

struct MapDeleter {
    void operator()(ehm_map *map) const { ehm_destroy(map); }
};
using MapPtr = std::unique_ptr<ehm_map, MapDeleter>;

// A non-NULL handle that is no map: preset into out-parameters so that a
// call which should set them to NULL (or leave them alone) can be checked.
inline ehm_map *sentinel_map() {
    static int dummy;
    return reinterpret_cast<ehm_map *>(&dummy);
}

inline ehm_config seeded_config(uint64_t seed, uint64_t capacity = 0) {
    ehm_config cfg = default_config();
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = seed;
    cfg.capacity = capacity;
    return cfg;
}

// u64 -> u64 entries, a fixed seed, a capacity hint and delta.
inline ehm_config seeded_u64_config(uint64_t seed, uint64_t capacity, double delta) {
    ehm_config cfg = seeded_config(seed, capacity);
    cfg.key_size = 8;
    cfg.value_size = 8;
    cfg.delta = delta;
    return cfg;
}

inline ehm_config fixed_size_config(uint32_t key_size, uint32_t value_size) {
    ehm_config cfg = default_config();
    cfg.key_size = key_size;
    cfg.value_size = value_size;
    return cfg;
}

// Fails the current test (without aborting it) when creation fails; callers
// ASSERT on the returned pointer.
inline MapPtr make_map(const ehm_config *cfg = nullptr) {
    ehm_map *map = nullptr;
    const int rc = ehm_create(&map, cfg);
    EXPECT_EQ(rc, EHM_OK) << ehm_strerror(rc);
    return MapPtr(map);
}

inline MapPtr make_map(const ehm_config &cfg) {
    return make_map(&cfg);
}

inline MapPtr clone_map(const ehm_map *src) {
    ehm_map *copy = nullptr;
    const int rc = ehm_clone(&copy, src);
    EXPECT_EQ(rc, EHM_OK) << ehm_strerror(rc);
    return MapPtr(copy);
}

// Fixture owning one map made from seeded_config(Seed); m() is that map.
template <uint64_t Seed>
class SeededMapTest : public ::testing::Test {
protected:
    void SetUp() override {
        map_ = make_map(seeded_config(Seed));
        ASSERT_NE(map_, nullptr);
    }
    ehm_map *m() { return map_.get(); }
    MapPtr map_;
};

// ---- Keys and values ----------------------------------------------------

inline std::string key_of(size_t i) {
    return "key-" + std::to_string(i);
}

// Values of varying length (including a few long ones) so that length
// handling is exercised, not just content.
inline std::string value_of(size_t i) {
    std::string v = "v" + std::to_string(i * 2654435761u % 1000003u);
    v.append(i % 13, static_cast<char>('a' + i % 26));
    if (i % 97 == 0) v.append(300, 'z');
    return v;
}

// `len` bytes encoding `i` (little-endian, then a filler pattern), so keys
// for distinct small `i` stay distinct for any len >= 3.
inline std::string fixed_blob(uint64_t i, size_t len) {
    std::string out(len, '\0');
    for (size_t b = 0; b < len; ++b) {
        out[b] = b < 8 ? static_cast<char>((i >> (8 * b)) & 0xFF) : static_cast<char>(0x5A ^ b);
    }
    return out;
}

inline int put(ehm_map *map, const std::string &key, const std::string &value) {
    return ehm_put(map, key.data(), key.size(), value.data(), value.size());
}

inline int erase(ehm_map *map, const std::string &key) {
    return ehm_remove(map, key.data(), key.size());
}

inline int contains(const ehm_map *map, const std::string &key) {
    return ehm_contains(map, key.data(), key.size());
}

// The value for `key`, or nullopt when absent. Any other status fails the test.
inline std::optional<std::string> get(const ehm_map *map, const std::string &key) {
    const void *value = nullptr;
    size_t len = 0;
    const int rc = ehm_get(map, key.data(), key.size(), &value, &len);
    if (rc == EHM_NOTFOUND) return std::nullopt;
    EXPECT_EQ(rc, EHM_OK) << ehm_strerror(rc);
    if (rc != EHM_OK) return std::nullopt;
    if (len == 0) return std::string();
    return std::string(static_cast<const char *>(value), len);
}

using Contents = std::map<std::string, std::string>;

// Puts key_of(i) -> value_of(i) for i in [first, first + count).
inline Contents fill(ehm_map *map, size_t count, size_t first = 0) {
    Contents added;
    for (size_t i = first; i < first + count; ++i) {
        const std::string k = key_of(i), v = value_of(i);
        const int rc = put(map, k, v);
        EXPECT_EQ(rc, EHM_OK) << "put " << k << ": " << ehm_strerror(rc);
        added[k] = v;
    }
    return added;
}

// Every expected entry is found with its value, and the size matches.
inline ::testing::AssertionResult holds_exactly(const ehm_map *map, const Contents &expected) {
    if (ehm_size(map) != expected.size()) {
        return ::testing::AssertionFailure()
               << "size " << ehm_size(map) << ", expected " << expected.size();
    }
    for (const auto &[k, v] : expected) {
        const void *value = nullptr;
        size_t len = 0;
        const int rc = ehm_get(map, k.data(), k.size(), &value, &len);
        if (rc != EHM_OK) {
            return ::testing::AssertionFailure() << "get(" << k << ") = " << rc;
        }
        if (len != v.size() || (len != 0 && std::memcmp(value, v.data(), len) != 0)) {
            return ::testing::AssertionFailure() << "wrong value for " << k;
        }
    }
    return ::testing::AssertionSuccess();
}

// Entries in iteration order. Fails the test on a repeated key, on more
// entries than ehm_size reports, or on a final status other than ITEROVER.
inline std::vector<std::pair<std::string, std::string>> entries_in_order(const ehm_map *map) {
    std::vector<std::pair<std::string, std::string>> out;
    std::map<std::string, int> seen;
    size_t cursor = 0;
    const size_t limit = ehm_size(map) + 1;
    int rc;
    for (;;) {
        const void *k = nullptr, *v = nullptr;
        size_t kl = 0, vl = 0;
        rc = ehm_next(map, &cursor, &k, &kl, &v, &vl);
        if (rc != EHM_OK) break;
        std::string key = kl ? std::string(static_cast<const char *>(k), kl) : std::string();
        std::string val = vl ? std::string(static_cast<const char *>(v), vl) : std::string();
        if (seen[key]++ != 0) ADD_FAILURE() << "iteration repeated a key";
        out.emplace_back(std::move(key), std::move(val));
        if (out.size() > limit) {
            ADD_FAILURE() << "iteration yielded more entries than ehm_size";
            return out;
        }
    }
    EXPECT_EQ(rc, EHM_ITEROVER);
    EXPECT_EQ(out.size(), ehm_size(map));
    return out;
}

inline Contents contents_of(const ehm_map *map) {
    Contents out;
    for (auto &e : entries_in_order(map)) out.emplace(std::move(e.first), std::move(e.second));
    return out;
}

// ---- Statistics and snapshots -------------------------------------------

// Fills an empty `map` with `n` entries: that many must fit in its capacity
// and go in without a rebuild or a change of capacity.
inline void expect_fills_without_rebuild(ehm_map *map, size_t n) {
    EXPECT_GE(ehm_capacity(map), n);
    const uint64_t rebuilds = stats_of(map).rebuilds;
    const size_t capacity = ehm_capacity(map);
    const Contents added = fill(map, n);
    EXPECT_EQ(stats_of(map).rebuilds, rebuilds);
    EXPECT_EQ(ehm_capacity(map), capacity);
    EXPECT_TRUE(holds_exactly(map, added));
}

struct Snapshot {
    size_t size = 0;
    size_t capacity = 0;
    ehm_stats stats{};
    Contents contents;
    uint64_t hash = 0;
};

inline Snapshot snapshot(const ehm_map *map) {
    Snapshot s;
    s.size = ehm_size(map);
    s.capacity = ehm_capacity(map);
    s.stats = stats_of(map);
    s.contents = contents_of(map);
    s.hash = ehm_hash(map);
    return s;
}

inline ::testing::AssertionResult unchanged(const Snapshot &before, const ehm_map *map) {
    const Snapshot after = snapshot(map);
    if (after.size != before.size) {
        return ::testing::AssertionFailure() << "size " << before.size << " -> " << after.size;
    }
    if (after.capacity != before.capacity) {
        return ::testing::AssertionFailure()
               << "capacity " << before.capacity << " -> " << after.capacity;
    }
    if (auto r = same_stats(before.stats, after.stats); !r) return r;
    if (after.contents != before.contents) return ::testing::AssertionFailure() << "contents";
    if (after.hash != before.hash) return ::testing::AssertionFailure() << "hash";
    // Contents seen by iteration must also be reachable by lookup.
    return holds_exactly(map, before.contents);
}

} // namespace ehmtest
