// Allocation-failure sweep over whole workloads: growth from an empty map to
// EHM_SWEEP_ENTRIES entries (1M by default), growth with one node per entry,
// churn with replaces, removals and tombstone-reclaiming rebuilds, clones and
// reserves. Every allocation of every workload is failed once.
//
// Method. Workloads are deterministic (fixed seed, fixed key sequence). Each
// call that may allocate runs with its 1st, 2nd, ... allocation failing until
// an attempt no longer reaches the failure. After each failed attempt the call
// must have returned EHM_ENOMEM, the map must equal its model and have the
// same statistics as before, memory_bytes must equal the allocator's live
// bytes. A failed attempt therefore leaves no trace, so failing allocation j
// of call i is the same as failing allocation number k = (allocations of the
// calls before i) + j of a fresh run of the workload: one pass covers every k
// of the whole workload, without replaying it from the start for each k. At the
// end the map is destroyed and the allocator must hold nothing.
//
// Fixed-size entries are stored inline, so growing to 1M entries allocates
// only at creation and at each growth; the node workloads allocate per entry
// and are sized down (EHM_SWEEP_ENTRIES / 200) because every failure there
// is followed by a full comparison with the model.
#include <ehm/ehm.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "map_helpers.hpp"
#include "test_allocator.hpp"

namespace {

using ehm_test::default_config;
using ehm_test::equals_model;
using ehm_test::same_stats;
using ehm_test::stats_of;
using ehm_test::TestAllocator;
using Model = std::unordered_map<std::string, std::string>;

constexpr uint64_t kSeed = 0x5eed0f5eed0f0001ull;
// No single call makes this many allocations; reaching it means a call keeps
// failing for another reason.
constexpr uint64_t kMaxPointsPerCall = 1000000;

uint64_t sweep_entries() {
    const char *text = std::getenv("EHM_SWEEP_ENTRIES");
    const unsigned long long parsed = text != nullptr ? std::strtoull(text, nullptr, 10) : 0;
    return parsed >= 1000 ? parsed : 1000000;
}

uint64_t node_entries() {
    return std::max<uint64_t>(sweep_entries() / 200, 400);
}

uint64_t total_points = 0;

// Prints the total once every workload ran, for docs/testing.md.
class PointsReport : public ::testing::Environment {
public:
    void TearDown() override {
        std::printf("allocation-failure points covered: %llu\n",
                    static_cast<unsigned long long>(total_points));
    }
};
::testing::Environment *const points_report = ::testing::AddGlobalTestEnvironment(new PointsReport);

const void *data_or_null(const std::string &blob) {
    return blob.empty() ? nullptr : blob.data();
}

// Variable-length keys and values: distinct keys, lengths 0 to ~60 bytes.
std::string node_key(uint64_t i) {
    return i == 0 ? std::string() : "key" + std::to_string(i) + std::string(i % 29, '.');
}
std::string node_value(uint64_t i, uint64_t version) {
    if ((i + version) % 13 == 0) return std::string();
    return std::string((i * 7 + version * 11) % 47, static_cast<char>('a' + version % 26));
}

std::string eight_bytes(uint64_t x) {
    std::string bytes(8, '\0');
    std::memcpy(&bytes[0], &x, 8);
    return bytes;
}
uint64_t from_eight_bytes(const void *data) {
    uint64_t x;
    std::memcpy(&x, data, 8);
    return x;
}
uint64_t fixed_value(uint64_t i) {
    return i * 0x9E3779B97F4A7C15ull + 7;
}

class Sweep : public ::testing::Test {
protected:
    void TearDown() override {
        for (ehm_map *map : maps_) ehm_destroy(map);
        maps_.clear();
        EXPECT_EQ(alloc_.live_bytes(), 0u) << "leaked after destroy";
        EXPECT_EQ(alloc_.live_blocks(), 0u);
        EXPECT_EQ(alloc_.bad_frees(), 0u);
        total_points += points_;
        RecordProperty("allocation_failure_points", std::to_string(points_));
        std::printf("%s: %llu allocation-failure points\n",
                    ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                    static_cast<unsigned long long>(points_));
    }

    ehm_config config(uint32_t key_size, uint32_t value_size) const {
        ehm_config cfg = default_config(alloc_.get());
        cfg.flags = EHM_FLAG_FIXED_SEED;
        cfg.seed = kSeed;
        cfg.key_size = key_size;
        cfg.value_size = value_size;
        return cfg;
    }

    uint64_t memory_of_all() const {
        uint64_t sum = 0;
        for (const ehm_map *map : maps_) sum += stats_of(map).memory_bytes;
        return sum;
    }

    // Runs `call` failing its 1st, 2nd, ... allocation until an attempt does
    // not reach the failure; each failed attempt must return EHM_ENOMEM and
    // pass `unchanged`. Returns the status of the last attempt.
    int fail_each_allocation(const std::function<int()> &call,
                             const std::function<void()> &unchanged) {
        for (uint64_t k = 1; k <= kMaxPointsPerCall; ++k) {
            const uint64_t calls_before = alloc_.allocation_calls();
            alloc_.fail_at(k);
            const int status = call();
            alloc_.fail_at(0);
            if (alloc_.allocation_calls() - calls_before < k) return status;
            ++points_;
            EXPECT_EQ(status, EHM_ENOMEM) << "allocation " << k << " failed";
            unchanged();
            EXPECT_EQ(memory_of_all(), alloc_.live_bytes()) << "allocation " << k << " failed";
            if (::testing::Test::HasFailure()) return status;
        }
        ADD_FAILURE() << "the call never completed";
        return EHM_ENOMEM;
    }

    // A call on `map` that may allocate: every failure must leave the map's
    // statistics as they were and the map equal to the model `check` knows.
    int sweep_call(const ehm_map *map, const std::function<int()> &call,
                   const std::function<void()> &check) {
        const ehm_stats before = stats_of(map);
        return fail_each_allocation(call, [&] {
            EXPECT_TRUE(same_stats(before, stats_of(map)));
            check();
        });
    }

    // ehm_create or ehm_clone into `out`: a failure must leave *out NULL.
    ehm_map *sweep_making(const std::function<int(ehm_map **)> &make,
                          const std::function<void()> &check) {
        ehm_map *out = nullptr;
        const int status = fail_each_allocation(
            [&] {
                out = reinterpret_cast<ehm_map *>(&out); // any non-NULL value
                return make(&out);
            },
            [&] {
                EXPECT_EQ(out, nullptr);
                check();
            });
        EXPECT_EQ(status, EHM_OK);
        if (status != EHM_OK) return nullptr;
        maps_.push_back(out);
        return out;
    }

    ehm_map *create_swept(const ehm_config &cfg) {
        return sweep_making([&](ehm_map **out) { return ehm_create(out, &cfg); }, [] {});
    }

    void destroy(ehm_map *map) {
        maps_.erase(std::find(maps_.begin(), maps_.end(), map));
        ehm_destroy(map);
        EXPECT_EQ(memory_of_all(), alloc_.live_bytes());
    }

    // Puts key -> value into a node map, sweeping its allocations, and
    // mirrors it in the model.
    void put_swept(ehm_map *map, Model &model, const std::string &key, const std::string &value) {
        const int status = sweep_call(
            map,
            [&] {
                return ehm_put(map, data_or_null(key), key.size(), data_or_null(value),
                               value.size());
            },
            [&] { ASSERT_TRUE(equals_model(map, model)); });
        ASSERT_EQ(status, EHM_OK);
        model[key] = value;
    }

    mutable TestAllocator alloc_;
    std::vector<ehm_map *> maps_;
    uint64_t points_ = 0;
};

// Entries 0..count-1 of the sequential fixed-size workload, and nothing else.
::testing::AssertionResult holds_sequence(const ehm_map *map, uint64_t count) {
    if (ehm_size(map) != count) {
        return ::testing::AssertionFailure() << "size " << ehm_size(map) << ", expected " << count;
    }
    for (uint64_t i = 0; i < count; ++i) {
        const void *value = nullptr;
        size_t value_len = 0;
        if (ehm_get(map, &i, 8, &value, &value_len) != EHM_OK || value_len != 8 ||
            from_eight_bytes(value) != fixed_value(i)) {
            return ::testing::AssertionFailure() << "entry " << i << " lost or wrong";
        }
    }
    std::vector<bool> seen(count, false);
    size_t cursor = 0, key_len = 0, value_len = 0;
    const void *key = nullptr, *value = nullptr;
    uint64_t visited = 0;
    while (ehm_next(map, &cursor, &key, &key_len, &value, &value_len) == EHM_OK) {
        const uint64_t i = from_eight_bytes(key);
        if (i >= count || seen[i] || from_eight_bytes(value) != fixed_value(i)) {
            return ::testing::AssertionFailure() << "iteration yields a wrong entry";
        }
        seen[i] = true;
        ++visited;
    }
    if (visited != count) return ::testing::AssertionFailure() << "iteration misses entries";
    return ::testing::AssertionSuccess();
}

TEST_F(Sweep, FixedSizeGrowthFromEmpty) {
    const uint64_t entries = sweep_entries();
    ehm_map *map = create_swept(config(8, 8));
    ASSERT_NE(map, nullptr);
    uint64_t count = 0;
    for (uint64_t i = 0; i < entries; ++i) {
        const uint64_t value = fixed_value(i);
        const int status = sweep_call(
            map, [&] { return ehm_put(map, &i, 8, &value, 8); },
            [&] { ASSERT_TRUE(holds_sequence(map, count)); });
        ASSERT_EQ(status, EHM_OK) << "put #" << i;
        ++count;
    }
    EXPECT_TRUE(holds_sequence(map, count));
    EXPECT_GE(stats_of(map).rebuilds, 10u) << "the workload should grow the map many times";
    destroy(map);
}

TEST_F(Sweep, NodeGrowthFromEmpty) {
    ehm_map *map = create_swept(config(0, 0));
    ASSERT_NE(map, nullptr);
    Model model;
    for (uint64_t i = 0; i < node_entries(); ++i) {
        ASSERT_NO_FATAL_FAILURE(put_swept(map, model, node_key(i), node_value(i, 0)));
    }
    EXPECT_TRUE(equals_model(map, model));
    EXPECT_GE(points_, node_entries()) << "every entry allocates a node";
    destroy(map);
}

// The occupancy (entries plus tombstones) a node map of this capacity takes
// before it must rebuild: the size just before a fresh map of the same
// configuration grows past `capacity`, watched on a scout map.
uint64_t occupancy_limit(size_t capacity) {
    TestAllocator scout_alloc;
    ehm_config cfg = default_config(scout_alloc.get());
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = kSeed;
    ehm_map *scout = nullptr;
    if (ehm_create(&scout, &cfg) != EHM_OK) return 0;
    uint64_t limit = 0;
    for (uint64_t i = 0; ehm_capacity(scout) <= capacity; ++i) {
        if (ehm_capacity(scout) == capacity) limit = ehm_size(scout);
        const std::string key = node_key(i), value = node_value(i, 0);
        if (ehm_put(scout, data_or_null(key), key.size(), data_or_null(value), value.size()) !=
            EHM_OK)
            break;
    }
    ehm_destroy(scout);
    return limit;
}

// Removals leave tombstones; a table at its limit with mostly tombstones is
// rebuilt at its own size to reclaim them. Then a random mix of inserts,
// replaces with values of another length, removals and reserves, and a clear.
TEST_F(Sweep, Churn) {
    ehm_map *map = create_swept(config(0, 0));
    ASSERT_NE(map, nullptr);
    Model model;
    std::vector<uint64_t> live;
    uint64_t next_key = 0;
    auto put_fresh = [&] {
        live.push_back(next_key);
        put_swept(map, model, node_key(next_key), node_value(next_key, 0));
        ++next_key;
    };
    auto remove_at = [&](size_t at) {
        const std::string key = node_key(live[at]);
        const int status = sweep_call(
            map, [&] { return ehm_remove(map, data_or_null(key), key.size()); },
            [&] { ASSERT_TRUE(equals_model(map, model)); });
        ASSERT_EQ(status, EHM_OK);
        model.erase(key);
        live[at] = live.back();
        live.pop_back();
    };

    // Fill the table exactly to its limit, remove three quarters: the next
    // new key finds the table full of mostly tombstones and rebuilds it at
    // the same size.
    while (live.size() < node_entries() / 2) ASSERT_NO_FATAL_FAILURE(put_fresh());
    const uint64_t limit = occupancy_limit(ehm_capacity(map));
    ASSERT_GT(limit, 0u);
    while (ehm_size(map) < limit) ASSERT_NO_FATAL_FAILURE(put_fresh());
    while (live.size() > limit / 4) ASSERT_NO_FATAL_FAILURE(remove_at(live.size() / 2));
    const ehm_stats before_reclaim = stats_of(map);
    ASSERT_EQ(before_reclaim.size + before_reclaim.tombstones, limit);
    // A new key reuses a tombstone on its own path where it finds one.
    while (stats_of(map).rebuilds == before_reclaim.rebuilds) {
        ASSERT_LT(ehm_size(map), limit) << "the tombstones were never reclaimed";
        ASSERT_NO_FATAL_FAILURE(put_fresh());
    }
    EXPECT_EQ(ehm_capacity(map), before_reclaim.capacity) << "grown instead of reclaimed";
    EXPECT_EQ(stats_of(map).tombstones, 0u);

    uint64_t rng = 12345;
    for (uint64_t step = 0; step < node_entries(); ++step) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        const unsigned choice = static_cast<unsigned>(rng >> 60); // 0..15
        const size_t at = live.empty() ? 0 : (rng >> 20) % live.size();
        if (live.size() < 2 || choice < 6) {
            ASSERT_NO_FATAL_FAILURE(put_fresh());
        } else if (choice < 10) {
            ASSERT_NO_FATAL_FAILURE(
                put_swept(map, model, node_key(live[at]), node_value(live[at], step)));
        } else if (choice < 15) {
            ASSERT_NO_FATAL_FAILURE(remove_at(at));
        } else {
            const size_t entries = model.size() + (rng >> 20) % 256;
            const int status = sweep_call(
                map, [&] { return ehm_reserve(map, entries); },
                [&] { ASSERT_TRUE(equals_model(map, model)); });
            ASSERT_EQ(status, EHM_OK);
        }
    }
    const size_t capacity = ehm_capacity(map);
    ASSERT_EQ(sweep_call(
                  map, [&] { return ehm_clear(map); }, [] {}),
              EHM_OK);
    model.clear();
    live.clear();
    EXPECT_EQ(ehm_capacity(map), capacity);
    for (int i = 0; i < 100; ++i) ASSERT_NO_FATAL_FAILURE(put_fresh());
    EXPECT_TRUE(equals_model(map, model));
    destroy(map);
}

TEST_F(Sweep, Clone) {
    for (uint64_t size : {uint64_t{0}, uint64_t{1}, uint64_t{40}, node_entries() / 2}) {
        for (uint32_t fixed : {0u, 8u}) {
            ehm_map *source = create_swept(config(fixed, fixed));
            ASSERT_NE(source, nullptr);
            Model model;
            for (uint64_t i = 0; i < size; ++i) {
                const std::string key = fixed ? eight_bytes(i) : node_key(i);
                const std::string value = fixed ? eight_bytes(fixed_value(i)) : node_value(i, 0);
                ASSERT_EQ(ehm_put(source, data_or_null(key), key.size(), data_or_null(value),
                                  value.size()),
                          EHM_OK);
                model[key] = value;
            }
            const ehm_stats before = stats_of(source);
            ehm_map *copy = sweep_making([&](ehm_map **out) { return ehm_clone(out, source); },
                                         [&] {
                                             EXPECT_TRUE(same_stats(before, stats_of(source)));
                                             ASSERT_TRUE(equals_model(source, model));
                                         });
            ASSERT_NE(copy, nullptr);
            EXPECT_TRUE(equals_model(copy, model));
            EXPECT_EQ(ehm_equal(copy, source), 1);
            destroy(source);
            EXPECT_TRUE(equals_model(copy, model)) << "the clone outlives its source";
            destroy(copy);
        }
    }
}

TEST_F(Sweep, Reserve) {
    for (uint32_t fixed : {0u, 8u}) {
        ehm_map *map = create_swept(config(fixed, fixed));
        ASSERT_NE(map, nullptr);
        Model model;
        for (uint64_t i = 0; i < 1000; ++i) {
            const std::string key = fixed ? eight_bytes(i) : node_key(i);
            const std::string value = fixed ? eight_bytes(i) : node_value(i, 1);
            ASSERT_EQ(
                ehm_put(map, data_or_null(key), key.size(), data_or_null(value), value.size()),
                EHM_OK);
            model[key] = value;
        }
        for (size_t entries : {500, 1000, 1500, 4000, 4001, 30000, 250000}) {
            const int status = sweep_call(
                map, [&] { return ehm_reserve(map, entries); },
                [&] { ASSERT_TRUE(equals_model(map, model)); });
            ASSERT_EQ(status, EHM_OK);
            EXPECT_GE(ehm_capacity(map), entries);
            EXPECT_TRUE(equals_model(map, model));
        }
        destroy(map);
    }
}

} // namespace
