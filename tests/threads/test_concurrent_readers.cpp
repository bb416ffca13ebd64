// Concurrent readers: several threads run lookups, ehm_get_copy, iteration,
// statistics, probe counts, ehm_contains_value, ehm_equal and ehm_hash on one
// shared map that nobody writes, and check every answer against what the map
// held before the threads started. Built with -Db_sanitize=thread (the tsan
// stage of scripts/test) this proves the contract that readers never write to
// the map, statistics included; in every build it proves that concurrent
// readers all see the same, correct content and never allocate.
//
// A second test runs one independent map per thread, created, filled,
// cloned and destroyed concurrently: there is no global mutable state (seed
// drawing included) for threads to race on.
#include <ehm/ehm.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "map_helpers.hpp"
#include "test_allocator.hpp"

namespace {

using ehm_test::blob_text;
using ehm_test::default_config;
using ehm_test::equals_model;
using ehm_test::same_stats;
using ehm_test::stats_of;
using ehm_test::TestAllocator;
using Model = std::unordered_map<std::string, std::string>;

constexpr unsigned kReaders = 4;
constexpr unsigned kPasses = 2;
constexpr uint64_t kEntries = 20000;

// What every reader compares against, computed before the threads start.
struct Expected {
    std::vector<std::string> keys;
    std::vector<std::string> values;
    std::vector<uint64_t> probes; // ehm_probe_count of each key
    std::vector<std::string> absent;
    std::string absent_value; // of the map's value size
    Model model;
    ehm_stats stats;
    uint64_t hash;
};

// Mismatches one reader saw; the main thread asserts on them.
struct Findings {
    uint64_t wrong_lookups = 0;
    uint64_t wrong_copies = 0;
    uint64_t wrong_absent = 0;
    uint64_t wrong_iterations = 0;
    uint64_t wrong_stats = 0;
    uint64_t wrong_whole_map = 0;
    uint64_t checks = 0;
};

// Lets the readers start together so that their calls overlap.
class StartLine {
public:
    explicit StartLine(unsigned runners) : waiting_(runners) {}
    void arrive_and_wait() {
        waiting_.fetch_sub(1);
        while (waiting_.load() != 0) std::this_thread::yield();
    }

private:
    std::atomic<unsigned> waiting_;
};

void check_lookups(const ehm_map *map, const Expected &e, unsigned reader, Findings &f) {
    std::string buffer(64, '\0');
    for (size_t i = reader; i < e.keys.size(); i += 1 + reader) {
        const std::string &key = e.keys[i];
        const void *value = nullptr;
        size_t value_len = 0;
        uint64_t probes = 0;
        f.wrong_lookups += ehm_get(map, key.data(), key.size(), &value, &value_len) != EHM_OK ||
                           blob_text(value, value_len) != e.values[i];
        f.wrong_lookups += ehm_contains(map, key.data(), key.size()) != 1;
        f.wrong_lookups += ehm_probe_count(map, key.data(), key.size(), &probes) != EHM_OK ||
                           probes != e.probes[i];
        const int copied =
            ehm_get_copy(map, key.data(), key.size(), &buffer[0], buffer.size(), &value_len);
        f.wrong_copies += copied != EHM_OK || buffer.compare(0, value_len, e.values[i]) != 0;
        if (!e.values[i].empty()) {
            f.wrong_copies +=
                ehm_get_copy(map, key.data(), key.size(), nullptr, 0, &value_len) != EHM_ERANGE ||
                value_len != e.values[i].size();
        }
        f.checks += 5;
    }
    for (const std::string &key : e.absent) {
        f.wrong_absent += ehm_get(map, key.data(), key.size(), nullptr, nullptr) != EHM_NOTFOUND;
        f.wrong_absent += ehm_contains(map, key.data(), key.size()) != 0;
        f.checks += 2;
    }
}

void check_whole_map(const ehm_map *map, const ehm_map *twin, const Expected &e, unsigned reader,
                     Findings &f) {
    f.wrong_iterations += !equals_model(map, e.model);
    ehm_stats stats;
    std::memset(&stats, 0, sizeof stats);
    stats.struct_size = sizeof stats;
    f.wrong_stats += ehm_stats_get(map, &stats) != EHM_OK || !same_stats(stats, e.stats);
    f.wrong_whole_map += ehm_equal(map, twin) != 1 || ehm_equal(twin, map) != 1;
    f.wrong_whole_map += ehm_hash(map) != e.hash;
    const std::string &present = e.values[reader * 7 % e.values.size()];
    f.wrong_whole_map += ehm_contains_value(map, present.data(), present.size()) != 1;
    const std::string &absent = e.absent_value;
    f.wrong_whole_map += ehm_contains_value(map, absent.data(), absent.size()) != 0;
    f.checks += 7;
}

// 16 bytes for fixed-size maps; distinct for distinct i either way.
std::string key_for(uint64_t i, bool fixed) {
    std::string digits = std::to_string(i * 2654435761u);
    if (fixed) return "k" + std::string(15 - digits.size(), '0') + digits;
    return "reader-key-" + digits;
}
std::string value_for(uint64_t i, bool fixed) {
    if (fixed) return std::string(8, static_cast<char>('a' + i % 26));
    return std::string(i % 40, static_cast<char>('a' + i % 26)) + std::to_string(i);
}

class ConcurrentReaders : public ::testing::TestWithParam<bool> {
protected:
    bool fixed() const { return GetParam(); }

    void SetUp() override {
        ehm_config cfg = default_config(alloc_.get());
        if (fixed()) {
            cfg.key_size = 16;
            cfg.value_size = 8;
        }
        ASSERT_EQ(ehm_create(&map_, &cfg), EHM_OK);
        for (uint64_t i = 0; i < kEntries; ++i) {
            const std::string key = key_for(i, fixed()), value = value_for(i, fixed());
            ASSERT_EQ(ehm_put(map_, key.data(), key.size(), value.data(), value.size()), EHM_OK);
        }
        // Every tenth key is removed again, leaving tombstones for readers to walk past.
        for (uint64_t i = 0; i < kEntries; ++i) {
            const std::string key = key_for(i, fixed());
            if (i % 10 == 0) {
                ASSERT_EQ(ehm_remove(map_, key.data(), key.size()), EHM_OK);
                expected_.absent.push_back(key);
            } else {
                expected_.keys.push_back(key);
                expected_.values.push_back(value_for(i, fixed()));
            }
        }
        for (size_t i = 0; i < expected_.keys.size(); ++i) {
            uint64_t probes = 0;
            const std::string &key = expected_.keys[i];
            ASSERT_EQ(ehm_probe_count(map_, key.data(), key.size(), &probes), EHM_OK);
            expected_.probes.push_back(probes);
            expected_.model[key] = expected_.values[i];
        }
        expected_.absent_value = fixed() ? "no-such!" : "no such value";
        ASSERT_EQ(ehm_clone(&twin_, map_), EHM_OK);
        expected_.stats = stats_of(map_);
        expected_.hash = ehm_hash(map_);
    }

    void TearDown() override {
        ehm_destroy(twin_);
        ehm_destroy(map_);
        EXPECT_EQ(alloc_.live_bytes(), 0u);
    }

    TestAllocator alloc_;
    ehm_map *map_ = nullptr;
    ehm_map *twin_ = nullptr;
    Expected expected_;
};

TEST_P(ConcurrentReaders, AllSeeTheSameContentAndNothingAllocates) {
    const uint64_t allocations_before = alloc_.allocation_calls();
    std::vector<Findings> findings(kReaders);
    StartLine start(kReaders);
    std::vector<std::thread> readers;
    const ehm_map *shared = map_;
    for (unsigned r = 0; r < kReaders; ++r) {
        readers.emplace_back([&, r] {
            start.arrive_and_wait();
            for (unsigned pass = 0; pass < kPasses; ++pass) {
                // Readers take the checks in different orders to mix the calls.
                if ((r + pass) % 2 == 0) {
                    check_lookups(shared, expected_, r, findings[r]);
                    check_whole_map(shared, twin_, expected_, r, findings[r]);
                } else {
                    check_whole_map(shared, twin_, expected_, r, findings[r]);
                    check_lookups(shared, expected_, r, findings[r]);
                }
            }
        });
    }
    for (std::thread &t : readers) t.join();

    for (unsigned r = 0; r < kReaders; ++r) {
        const Findings &f = findings[r];
        SCOPED_TRACE("reader " + std::to_string(r));
        EXPECT_GT(f.checks, 0u);
        EXPECT_EQ(f.wrong_lookups, 0u);
        EXPECT_EQ(f.wrong_copies, 0u);
        EXPECT_EQ(f.wrong_absent, 0u);
        EXPECT_EQ(f.wrong_iterations, 0u);
        EXPECT_EQ(f.wrong_stats, 0u);
        EXPECT_EQ(f.wrong_whole_map, 0u);
    }
    EXPECT_EQ(alloc_.allocation_calls(), allocations_before) << "a reader allocated";
    EXPECT_TRUE(same_stats(stats_of(map_), expected_.stats)) << "a reader changed the map";
}

INSTANTIATE_TEST_SUITE_P(Layouts, ConcurrentReaders, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool> &info) {
                             return info.param ? "FixedSize" : "VariableLength";
                         });

// One map per thread, each with a seed of its own: maps share nothing.
TEST(IndependentMaps, CreateFillCloneDestroyInParallel) {
    constexpr uint64_t kPerThread = 5000;
    std::vector<uint64_t> failures(kReaders, 0);
    StartLine start(kReaders);
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < kReaders; ++t) {
        threads.emplace_back([&, t] {
            start.arrive_and_wait();
            ehm_map *map = nullptr;
            if (ehm_create(&map, nullptr) != EHM_OK) {
                ++failures[t];
                return;
            }
            Model model;
            for (uint64_t i = 0; i < kPerThread; ++i) {
                const std::string key = key_for(i + t * kPerThread, false);
                const std::string value = value_for(i, false);
                failures[t] +=
                    ehm_put(map, key.data(), key.size(), value.data(), value.size()) != EHM_OK;
                model[key] = value;
                if (i % 3 == 0) {
                    failures[t] += ehm_remove(map, key.data(), key.size()) != EHM_OK;
                    model.erase(key);
                }
            }
            ehm_map *copy = nullptr;
            failures[t] += ehm_clone(&copy, map) != EHM_OK;
            failures[t] += !equals_model(map, model) || !equals_model(copy, model);
            ehm_destroy(map);
            ehm_destroy(copy);
        });
    }
    for (std::thread &t : threads) t.join();
    for (unsigned t = 0; t < kReaders; ++t) EXPECT_EQ(failures[t], 0u) << "thread " << t;
}

} // namespace
