// Allocation-failure injection: every allocation a call makes is failed in
// turn, and each failure must surface as EHM_ENOMEM with the map untouched,
// nothing leaked, and memory_bytes still exact.
#include <ehm/ehm.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <string>

#include "map_helpers.hpp"
#include "test_allocator.hpp"

namespace {

using ehm_test::default_config;
using ehm_test::same_stats;
using ehm_test::stats_of;
using ehm_test::TestAllocator;
using Model = std::map<std::string, std::string>;

// Far more allocations than any single call should make; reaching it means the
// operation keeps failing for a reason other than the injected failure.
constexpr uint64_t kMaxInjectionPoint = 100000;
constexpr uint64_t kSeed = 0x5eed5eed12345678ULL;

enum class Layout { kFixed, kFixedKeyVariableValue, kVariable };

std::string layout_name(Layout layout) {
    switch (layout) {
    case Layout::kFixed:
        return "Fixed";
    case Layout::kFixedKeyVariableValue:
        return "FixedKeyVariableValue";
    case Layout::kVariable:
        return "Variable";
    }
    return "Unknown";
}

bool fixed_keys(Layout layout) {
    return layout != Layout::kVariable;
}
bool fixed_values(Layout layout) {
    return layout == Layout::kFixed;
}

std::string eight_bytes(uint64_t x) {
    std::string bytes(8, '\0');
    std::memcpy(&bytes[0], &x, 8);
    return bytes;
}

std::string key_for(Layout layout, uint64_t i) {
    if (fixed_keys(layout)) {
        return eight_bytes(i * 0x9E3779B97F4A7C15ULL + 1);
    }
    if (i == 0) {
        return std::string();
    }
    return "key" + std::to_string(i) + std::string(i % 23, 'x');
}

// Lengths vary with `version` so that a replace usually changes the value's size.
std::string value_for(Layout layout, uint64_t i, uint64_t version) {
    if (fixed_values(layout)) {
        return eight_bytes((i << 8) ^ version);
    }
    if ((i + version) % 11 == 0) {
        return std::string();
    }
    return std::string((i * 7 + version * 13) % 41, static_cast<char>('a' + version % 26)) +
           std::to_string(i);
}

const void *data_or_null(const std::string &blob) {
    return blob.empty() ? nullptr : blob.data();
}

std::string as_string(const void *data, size_t length) {
    return length == 0 ? std::string() : std::string(static_cast<const char *>(data), length);
}

ehm_config make_config(const TestAllocator &allocator, Layout layout, uint64_t capacity,
                       double delta = EHM_DEFAULT_DELTA) {
    ehm_config cfg = default_config(allocator.get());
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = kSeed;
    cfg.capacity = capacity;
    cfg.delta = delta;
    cfg.key_size = fixed_keys(layout) ? 8 : 0;
    cfg.value_size = fixed_values(layout) ? 8 : 0;
    return cfg;
}

uint64_t memory_of(const ehm_map *map) {
    return map == nullptr ? 0 : stats_of(map).memory_bytes;
}

// Content check both ways: every model entry is found by lookup, and iteration
// yields exactly the model's entries.
void expect_map_matches(const ehm_map *map, const Model &model, const std::string &where) {
    ASSERT_EQ(ehm_size(map), model.size()) << where;
    for (const auto &entry : model) {
        const void *value = nullptr;
        size_t value_len = 0;
        ASSERT_EQ(ehm_get(map, data_or_null(entry.first), entry.first.size(), &value, &value_len),
                  EHM_OK)
            << where << ": key of length " << entry.first.size() << " missing";
        ASSERT_EQ(as_string(value, value_len), entry.second) << where;
    }
    size_t cursor = 0;
    size_t visited = 0;
    const void *key = nullptr;
    const void *value = nullptr;
    size_t key_len = 0;
    size_t value_len = 0;
    while (ehm_next(map, &cursor, &key, &key_len, &value, &value_len) == EHM_OK) {
        ++visited;
        ASSERT_LE(visited, model.size()) << where << ": iteration yields too many entries";
        auto found = model.find(as_string(key, key_len));
        ASSERT_NE(found, model.end()) << where << ": iteration yields an unknown key";
        ASSERT_EQ(found->second, as_string(value, value_len)) << where;
    }
    ASSERT_EQ(visited, model.size()) << where;
}

class AllocFailureTest : public ::testing::TestWithParam<Layout> {
protected:
    void TearDown() override {
        ehm_destroy(copy_);
        copy_ = nullptr;
        ehm_destroy(map_);
        map_ = nullptr;
        EXPECT_EQ(allocator_.live_bytes(), 0u);
        EXPECT_EQ(allocator_.live_blocks(), 0u);
        EXPECT_EQ(allocator_.bad_frees(), 0u);
    }

    Layout layout() const { return GetParam(); }

    void create_map(uint64_t capacity, double delta = EHM_DEFAULT_DELTA) {
        ehm_config cfg = make_config(allocator_, layout(), capacity, delta);
        ASSERT_EQ(ehm_create(&map_, &cfg), EHM_OK);
        expect_memory_exact("after create");
    }

    void put_ok(uint64_t i, uint64_t version = 0) {
        const std::string key = key_for(layout(), i);
        const std::string value = value_for(layout(), i, version);
        ASSERT_EQ(ehm_put(map_, data_or_null(key), key.size(), data_or_null(value), value.size()),
                  EHM_OK);
        model_[key] = value;
        expect_memory_exact("after put #" + std::to_string(i));
    }

    void fill(uint64_t first, uint64_t count) {
        for (uint64_t i = first; i < first + count; ++i) {
            ASSERT_NO_FATAL_FAILURE(put_ok(i));
        }
    }

    // Both maps share the allocator, so together they account for all of it.
    void expect_memory_exact(const std::string &where) {
        EXPECT_EQ(memory_of(map_) + memory_of(copy_), allocator_.live_bytes()) << where;
    }

    // Runs `operation` with the k-th allocation failing, for k = 1, 2, ... until
    // a run completes without reaching the failure; that run must return EHM_OK.
    // The caller then checks the successful result.
    void inject_until_success(const std::function<int()> &operation, const std::string &what) {
        for (uint64_t k = 1;; ++k) {
            ASSERT_LE(k, kMaxInjectionPoint) << what << ": never completed";
            const std::string where = what + ", failing allocation #" + std::to_string(k);

            // The reference clone allocates, so it is made before arming the failure.
            ehm_map *reference = nullptr;
            ASSERT_EQ(ehm_clone(&reference, map_), EHM_OK) << where;
            const ehm_stats before = stats_of(map_);

            const uint64_t calls_before = allocator_.allocation_calls();
            allocator_.fail_at(k);
            const int status = operation();
            allocator_.fail_at(0);
            const uint64_t calls = allocator_.allocation_calls() - calls_before;

            if (calls < k) {
                ehm_destroy(reference);
                ASSERT_EQ(status, EHM_OK) << where << " (not reached)";
                expect_memory_exact(where + " (success)");
                return;
            }

            EXPECT_EQ(status, EHM_ENOMEM) << where;
            EXPECT_TRUE(same_stats(before, stats_of(map_))) << where;
            expect_map_matches(map_, model_, where);
            EXPECT_EQ(ehm_equal(map_, reference), 1) << where;
            EXPECT_EQ(ehm_hash(map_), ehm_hash(reference)) << where;
            EXPECT_EQ(memory_of(map_) + memory_of(copy_) + memory_of(reference),
                      allocator_.live_bytes())
                << where;
            ehm_destroy(reference);
            expect_memory_exact(where);
            if (HasFailure()) {
                return;
            }
        }
    }

    // Injects failures into the put of entry `i`, then mirrors it in the model.
    void put_with_injection(uint64_t i, uint64_t version, const std::string &what) {
        const std::string key = key_for(layout(), i);
        const std::string value = value_for(layout(), i, version);
        ASSERT_NO_FATAL_FAILURE(inject_until_success(
            [&] {
                return ehm_put(map_, data_or_null(key), key.size(), data_or_null(value),
                               value.size());
            },
            what));
        ASSERT_FALSE(HasFailure());
        model_[key] = value;
        expect_map_matches(map_, model_, what + " (after success)");
    }

    // Index of the put (counted from an empty map built with this capacity and
    // delta) that raises stats.rebuilds to `target`.
    uint64_t put_reaching_rebuilds(uint64_t capacity, double delta, uint64_t target) {
        ehm_config cfg = make_config(allocator_, layout(), capacity, delta);
        ehm_map *probe = nullptr;
        EXPECT_EQ(ehm_create(&probe, &cfg), EHM_OK);
        const uint64_t initial = stats_of(probe).rebuilds;
        uint64_t i = 0;
        for (; i < 1000000; ++i) {
            const std::string key = key_for(layout(), i);
            const std::string value = value_for(layout(), i, 0);
            EXPECT_EQ(
                ehm_put(probe, data_or_null(key), key.size(), data_or_null(value), value.size()),
                EHM_OK);
            if (stats_of(probe).rebuilds >= initial + target) {
                break;
            }
        }
        ehm_destroy(probe);
        return i;
    }

    void growth_put_case(uint64_t capacity, double delta, uint64_t target_rebuilds) {
        const uint64_t growth_index = put_reaching_rebuilds(capacity, delta, target_rebuilds);
        ASSERT_LT(growth_index, 1000000u) << "the map never grew";
        ASSERT_NO_FATAL_FAILURE(create_map(capacity, delta));
        ASSERT_NO_FATAL_FAILURE(fill(0, growth_index));
        const uint64_t rebuilds_before = stats_of(map_).rebuilds;
        ASSERT_NO_FATAL_FAILURE(put_with_injection(growth_index, 0, "growing put"));
        // A fixed seed replays the same layout, so this put must be the growing one.
        EXPECT_GT(stats_of(map_).rebuilds, rebuilds_before);
    }

    TestAllocator allocator_;
    ehm_map *map_ = nullptr;
    ehm_map *copy_ = nullptr; // the result of ehm_clone, where a test makes one
    Model model_;
};

TEST_P(AllocFailureTest, Create) {
    for (uint64_t capacity : {uint64_t{0}, uint64_t{1}, uint64_t{1000}}) {
        ehm_config cfg = make_config(allocator_, layout(), capacity);
        for (uint64_t k = 1;; ++k) {
            ASSERT_LE(k, kMaxInjectionPoint);
            const std::string where = "capacity " + std::to_string(capacity) +
                                      ", failing allocation #" + std::to_string(k);
            ehm_map *out = reinterpret_cast<ehm_map *>(&cfg); // any non-NULL garbage
            const uint64_t calls_before = allocator_.allocation_calls();
            allocator_.fail_at(k);
            const int status = ehm_create(&out, &cfg);
            allocator_.fail_at(0);
            const uint64_t calls = allocator_.allocation_calls() - calls_before;
            if (calls < k) {
                ASSERT_EQ(status, EHM_OK) << where;
                ASSERT_NE(out, nullptr) << where;
                EXPECT_EQ(memory_of(out), allocator_.live_bytes()) << where;
                EXPECT_EQ(ehm_size(out), 0u) << where;
                ehm_destroy(out);
                EXPECT_EQ(allocator_.live_bytes(), 0u) << where;
                break;
            }
            EXPECT_EQ(status, EHM_ENOMEM) << where;
            EXPECT_EQ(out, nullptr) << where;
            EXPECT_EQ(allocator_.live_bytes(), 0u) << where;
            EXPECT_EQ(allocator_.live_blocks(), 0u) << where;
            ASSERT_FALSE(HasFailure());
        }
    }
}

TEST_P(AllocFailureTest, CreateWithEveryAllocationFailing) {
    ehm_config cfg = make_config(allocator_, layout(), 100);
    ehm_map *out = reinterpret_cast<ehm_map *>(&cfg);
    allocator_.fail_always(true);
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_ENOMEM);
    allocator_.fail_always(false);
    EXPECT_EQ(out, nullptr);
    EXPECT_GE(allocator_.allocation_calls(), 1u);
}

TEST_P(AllocFailureTest, PutNewKey) {
    ASSERT_NO_FATAL_FAILURE(create_map(64));
    ASSERT_NO_FATAL_FAILURE(fill(0, 20));
    for (uint64_t i = 20; i < 30; ++i) {
        ASSERT_NO_FATAL_FAILURE(put_with_injection(i, 0, "insert of entry " + std::to_string(i)));
    }
}

TEST_P(AllocFailureTest, PutReplacesExistingKey) {
    ASSERT_NO_FATAL_FAILURE(create_map(64));
    ASSERT_NO_FATAL_FAILURE(fill(0, 30));
    for (uint64_t version = 1; version <= 6; ++version) {
        for (uint64_t i = 0; i < 30; i += 7) {
            const std::string old_value = model_[key_for(layout(), i)];
            const std::string new_value = value_for(layout(), i, version);
            ASSERT_NO_FATAL_FAILURE(put_with_injection(
                i, version,
                "replace of entry " + std::to_string(i) + " (" + std::to_string(old_value.size()) +
                    " -> " + std::to_string(new_value.size()) + " bytes)"));
        }
    }
}

// Fixed-size values are overwritten in place: a replace needs no memory, so it
// succeeds even when every allocation would fail.
TEST_P(AllocFailureTest, PutReplacesInPlaceWithoutAllocating) {
    if (!fixed_values(layout())) return;
    ASSERT_NO_FATAL_FAILURE(create_map(16));
    ASSERT_NO_FATAL_FAILURE(fill(0, 10));
    const uint64_t calls_before = allocator_.allocation_calls();
    allocator_.fail_always(true);
    for (uint64_t i = 0; i < 10; ++i) {
        const std::string key = key_for(layout(), i), value = value_for(layout(), i, 9);
        EXPECT_EQ(ehm_put(map_, key.data(), key.size(), value.data(), value.size()), EHM_OK);
        model_[key] = value;
    }
    allocator_.fail_always(false);
    EXPECT_EQ(allocator_.allocation_calls(), calls_before);
    expect_map_matches(map_, model_, "after in-place replaces");
}

TEST_P(AllocFailureTest, PutReplacesWithLongerAndShorterValues) {
    if (fixed_values(layout())) return; // covered by PutReplacesInPlaceWithoutAllocating
    ASSERT_NO_FATAL_FAILURE(create_map(16));
    ASSERT_NO_FATAL_FAILURE(fill(0, 10));
    const std::string key = key_for(layout(), 3);
    for (size_t length : {size_t{0}, size_t{1}, size_t{200}, size_t{5}, size_t{4096}, size_t{0},
                          size_t{64}, size_t{63}}) {
        const std::string value(length, 'v');
        ASSERT_NO_FATAL_FAILURE(inject_until_success(
            [&] {
                return ehm_put(map_, data_or_null(key), key.size(), data_or_null(value),
                               value.size());
            },
            "replace with a " + std::to_string(length) + "-byte value"));
        ASSERT_FALSE(HasFailure());
        model_[key] = value;
        expect_map_matches(map_, model_, "after replace");
    }
}

// Every put from an empty map, growths included, fails at every allocation.
TEST_P(AllocFailureTest, EveryPutWhileFilling) {
    ASSERT_NO_FATAL_FAILURE(create_map(0));
    for (uint64_t i = 0; i < 300; ++i) {
        ASSERT_NO_FATAL_FAILURE(put_with_injection(i, 0, "put #" + std::to_string(i)));
    }
}

TEST_P(AllocFailureTest, PutThatGrows) {
    growth_put_case(8, EHM_DEFAULT_DELTA, 1);
}

TEST_P(AllocFailureTest, PutThatGrowsWithLargeDelta) {
    growth_put_case(4, 0.5, 1);
}

TEST_P(AllocFailureTest, PutThatGrowsAFewTimes) {
    growth_put_case(8, 1.0 / 256, 4);
}

TEST_P(AllocFailureTest, Reserve) {
    ASSERT_NO_FATAL_FAILURE(create_map(8));
    ASSERT_NO_FATAL_FAILURE(fill(0, 5));
    constexpr size_t kEntries = 3000;
    ASSERT_NO_FATAL_FAILURE(
        inject_until_success([&] { return ehm_reserve(map_, kEntries); }, "reserve"));
    ASSERT_FALSE(HasFailure());
    expect_map_matches(map_, model_, "after reserve");
    EXPECT_GE(ehm_capacity(map_), kEntries);

    // The reserved room must hold that many entries without another growth.
    const uint64_t rebuilds = stats_of(map_).rebuilds;
    ASSERT_NO_FATAL_FAILURE(fill(model_.size(), kEntries - model_.size()));
    EXPECT_EQ(stats_of(map_).rebuilds, rebuilds);
    expect_memory_exact("after filling the reserved room");
}

TEST_P(AllocFailureTest, ReserveOnEmptyMap) {
    ASSERT_NO_FATAL_FAILURE(create_map(0));
    ASSERT_NO_FATAL_FAILURE(
        inject_until_success([&] { return ehm_reserve(map_, 500); }, "reserve on an empty map"));
    ASSERT_FALSE(HasFailure());
    EXPECT_GE(ehm_capacity(map_), 500u);
    expect_map_matches(map_, model_, "after reserve");
}

TEST_P(AllocFailureTest, Clone) {
    ASSERT_NO_FATAL_FAILURE(create_map(0));
    ASSERT_NO_FATAL_FAILURE(fill(0, 200));
    ASSERT_NO_FATAL_FAILURE(inject_until_success(
        [&] {
            copy_ = reinterpret_cast<ehm_map *>(&copy_); // any non-NULL garbage
            const int status = ehm_clone(&copy_, map_);
            if (status != EHM_OK) {
                EXPECT_EQ(copy_, nullptr) << "a failed clone must leave *out NULL";
                copy_ = nullptr;
            }
            return status;
        },
        "clone"));
    ASSERT_FALSE(HasFailure());
    ASSERT_NE(copy_, nullptr);
    expect_map_matches(copy_, model_, "the clone");
    EXPECT_EQ(ehm_equal(copy_, map_), 1);
    EXPECT_EQ(ehm_hash(copy_), ehm_hash(map_));
    ehm_destroy(copy_);
    copy_ = nullptr;
    expect_memory_exact("after destroying the clone");
}

// Removal and clear may or may not allocate; if they do, failures follow the
// same rule as everywhere else.
TEST_P(AllocFailureTest, RemoveAndClear) {
    ASSERT_NO_FATAL_FAILURE(create_map(0));
    ASSERT_NO_FATAL_FAILURE(fill(0, 100));
    for (uint64_t i = 0; i < 100; i += 3) {
        const std::string key = key_for(layout(), i);
        ASSERT_NO_FATAL_FAILURE(
            inject_until_success([&] { return ehm_remove(map_, data_or_null(key), key.size()); },
                                 "remove of entry " + std::to_string(i)));
        ASSERT_FALSE(HasFailure());
        model_.erase(key);
        expect_map_matches(map_, model_, "after remove");
    }
    ASSERT_NO_FATAL_FAILURE(inject_until_success([&] { return ehm_clear(map_); }, "clear"));
    ASSERT_FALSE(HasFailure());
    model_.clear();
    expect_map_matches(map_, model_, "after clear");
    ASSERT_NO_FATAL_FAILURE(fill(0, 50));
    expect_map_matches(map_, model_, "refilled after clear");
    expect_memory_exact("refilled after clear");
}

// The spec promises that lookups, iteration, equality, hashing and statistics
// never allocate, so they must work with every allocation failing.
TEST_P(AllocFailureTest, ReadOnlyCallsNeverAllocate) {
    ASSERT_NO_FATAL_FAILURE(create_map(0));
    ASSERT_NO_FATAL_FAILURE(fill(0, 150));
    ASSERT_EQ(ehm_clone(&copy_, map_), EHM_OK);

    const uint64_t calls_before = allocator_.allocation_calls();
    allocator_.fail_always(true);
    const std::string present = key_for(layout(), 7);
    const std::string absent = key_for(layout(), 100000);
    char buffer[128];
    size_t value_len = 0;
    uint64_t probes = 0;
    EXPECT_EQ(ehm_get(map_, data_or_null(present), present.size(), nullptr, nullptr), EHM_OK);
    EXPECT_EQ(ehm_get(map_, data_or_null(absent), absent.size(), nullptr, nullptr), EHM_NOTFOUND);
    EXPECT_EQ(ehm_get_copy(map_, data_or_null(present), present.size(), buffer, sizeof buffer,
                           &value_len),
              EHM_OK);
    EXPECT_EQ(ehm_contains(map_, data_or_null(present), present.size()), 1);
    EXPECT_EQ(ehm_contains(map_, data_or_null(absent), absent.size()), 0);
    EXPECT_EQ(ehm_probe_count(map_, data_or_null(present), present.size(), &probes), EHM_OK);
    EXPECT_EQ(ehm_probe_count(map_, data_or_null(absent), absent.size(), &probes), EHM_NOTFOUND);
    EXPECT_EQ(ehm_equal(map_, copy_), 1);
    EXPECT_EQ(ehm_hash(map_), ehm_hash(copy_));
    expect_map_matches(map_, model_, "with every allocation failing");
    (void)stats_of(map_);
    allocator_.fail_always(false);
    EXPECT_EQ(allocator_.allocation_calls(), calls_before);

    ehm_destroy(copy_);
    copy_ = nullptr;
    expect_memory_exact("after destroying the clone");
}

INSTANTIATE_TEST_SUITE_P(Layouts, AllocFailureTest,
                         ::testing::Values(Layout::kFixed, Layout::kFixedKeyVariableValue,
                                           Layout::kVariable),
                         [](const ::testing::TestParamInfo<Layout> &info) {
                             return layout_name(info.param);
                         });

} // namespace
