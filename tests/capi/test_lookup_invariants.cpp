// Lookups stay exact however a table was filled, for delta = 1/2 ... 1/1024.
//
// A lookup searches a key's home group, then only what the home's level mask
// names: the buddy, A2's and A3's first groups (all in the home's superblock)
// and the walks beyond them. A placement that set the wrong bit, a bit that
// named the wrong first group, or a rebuild that lost one would turn a present
// key into a miss without any crash. So each of four ways of filling a map
// (growth from the default size, a reserved table filled to its growth
// point, churn that leaves tombstones, removal of half the keys and
// reinsertion of some) ends with every present key found with its value, many
// absent keys (never inserted, and removed) not found, and ehm_probe_count and
// ehm_probe_fetches agreeing with ehm_get. At delta = 1/32 and the growth point
// it also holds the share of lookups that the first fetch decides, the point
// of co-locating the first probes: 0.80 of hits and 0.89 of misses on these
// tables, against 0.47 and 0.73 when A2's and A3's first groups each cost a
// fetch of their own.
#include "capi_util.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

using namespace ehmtest;

constexpr uint64_t kAbsentLookups = 50000;

// A bijection of 64-bit words (the finalizer of MurmurHash3): distinct
// indices give distinct keys, so a key drawn from an index never used is
// certainly absent.
uint64_t scramble(uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    return x ^ (x >> 33);
}

// What the test inserted and removed, in vectors rather than a hash map so
// that a debug build spends its time in the map under test.
class Keys {
public:
    explicit Keys(uint64_t seed) : salt_(scramble(seed) << 20), chooser_(seed) {}

    // A key never drawn before.
    uint64_t fresh() { return scramble(salt_ + next_++); }
    // Keys no call has drawn (or will: they lie beyond `fresh`'s reach).
    uint64_t never_drawn(uint64_t i) const { return scramble(salt_ + next_ + (1ull << 40) + i); }
    // A reproducible choice in [0, n).
    uint64_t below(uint64_t n) {
        chooser_ = scramble(chooser_ + 0x9E3779B97F4A7C15ull);
        return static_cast<uint64_t>((static_cast<unsigned __int128>(chooser_) * n) >> 64);
    }

    std::vector<std::pair<uint64_t, uint64_t>> live; // key, value
    std::vector<uint64_t> removed;                   // and not put back

private:
    uint64_t salt_;
    uint64_t next_ = 0;
    uint64_t chooser_;
};

uint64_t value_for(uint64_t key, uint64_t version) {
    return scramble(key ^ (version * 0xD6E8FEB86659FD93ull));
}

int put_u64(ehm_map *map, uint64_t key, uint64_t value) {
    return ehm_put(map, &key, sizeof key, &value, sizeof value);
}

// Inserts a fresh key with its version-0 value.
void insert_fresh(ehm_map *map, Keys &keys) {
    const uint64_t key = keys.fresh(), value = value_for(key, 0);
    ASSERT_EQ(put_u64(map, key, value), EHM_OK);
    keys.live.emplace_back(key, value);
}

// Removes the live key at `index`.
void remove_live(ehm_map *map, Keys &keys, uint64_t index) {
    const uint64_t key = keys.live[index].first;
    ASSERT_EQ(ehm_remove(map, &key, sizeof key), EHM_OK);
    keys.live[index] = keys.live.back();
    keys.live.pop_back();
    keys.removed.push_back(key);
}

// ehm_get, ehm_probe_count and ehm_probe_fetches on one key: all three say
// `expected`, the value (when found) is `value`, and 1 <= fetches <= probes.
::testing::AssertionResult lookups_agree(const ehm_map *map, uint64_t key, int expected,
                                         uint64_t value) {
    const void *found = nullptr;
    size_t found_len = 0;
    const int get = ehm_get(map, &key, sizeof key, &found, &found_len);
    uint64_t probes = 0, fetches = 0;
    const int count = ehm_probe_count(map, &key, sizeof key, &probes);
    const int fetch = ehm_probe_fetches(map, &key, sizeof key, &fetches);
    if (get != expected || count != expected || fetch != expected)
        return ::testing::AssertionFailure()
               << "key " << key << ": ehm_get " << get << ", ehm_probe_count " << count
               << ", ehm_probe_fetches " << fetch << ", expected " << expected;
    if (fetches < 1 || fetches > probes)
        return ::testing::AssertionFailure()
               << "key " << key << ": " << fetches << " fetches and " << probes << " probes";
    if (expected == EHM_OK) {
        uint64_t got = 0;
        if (found_len != sizeof got) return ::testing::AssertionFailure() << "value length";
        std::memcpy(&got, found, sizeof got);
        if (got != value)
            return ::testing::AssertionFailure()
                   << "key " << key << ": value " << got << ", expected " << value;
    }
    return ::testing::AssertionSuccess();
}

// The map holds exactly keys.live: every live key found with its value, the
// removed ones and kAbsentLookups never drawn keys not found.
void expect_exact(const ehm_map *map, const Keys &keys, const char *when) {
    SCOPED_TRACE(when);
    ASSERT_EQ(ehm_size(map), keys.live.size());
    for (const auto &[key, value] : keys.live) ASSERT_TRUE(lookups_agree(map, key, EHM_OK, value));
    for (uint64_t key : keys.removed) ASSERT_TRUE(lookups_agree(map, key, EHM_NOTFOUND, 0));
    for (uint64_t i = 0; i < kAbsentLookups; ++i)
        ASSERT_TRUE(lookups_agree(map, keys.never_drawn(i), EHM_NOTFOUND, 0));
}

// Entries a table of `slots` accepts before an insertion rebuilds it.
uint64_t growth_point(uint64_t slots, unsigned log2_inverse_delta) {
    return slots - (slots >> log2_inverse_delta);
}

class LookupInvariants : public ::testing::TestWithParam<unsigned> {
protected:
    unsigned log2_inverse_delta() const { return GetParam(); }
    double delta() const { return 1.0 / (1u << GetParam()); }
    uint64_t seed() const { return 1000 + GetParam(); }
};

// (a) From the default capacity to 200k entries, through every growth.
TEST_P(LookupInvariants, GrowingFromTheDefaultSize) {
    MapPtr map = make_map(seeded_u64_config(seed(), 0, delta()));
    ASSERT_NE(map, nullptr);
    Keys keys(seed());
    const size_t first_capacity = ehm_capacity(map.get());
    for (int i = 0; i < 200000; ++i) ASSERT_NO_FATAL_FAILURE(insert_fresh(map.get(), keys));
    EXPECT_GT(ehm_capacity(map.get()), 10 * first_capacity);
    EXPECT_GT(stats_of(map.get()).rebuilds, 5u);
    expect_exact(map.get(), keys, "after growing");
}

// (b) A table reserved up front and filled to its growth point, the fullest
// it ever is; one more key grows it.
TEST_P(LookupInvariants, ReservedAndFilledToItsGrowthPoint) {
    MapPtr map = make_map(seeded_u64_config(seed(), 0, delta()));
    ASSERT_NE(map, nullptr);
    ASSERT_EQ(ehm_reserve(map.get(), 100000), EHM_OK);
    const size_t slots = ehm_capacity(map.get());
    const uint64_t rebuilds = stats_of(map.get()).rebuilds;
    const uint64_t full = growth_point(slots, log2_inverse_delta());
    ASSERT_GE(full, 100000u);
    Keys keys(seed());
    while (keys.live.size() < full) {
        ASSERT_NO_FATAL_FAILURE(insert_fresh(map.get(), keys));
        ASSERT_EQ(ehm_capacity(map.get()), slots) << "grew at " << keys.live.size();
    }
    EXPECT_EQ(stats_of(map.get()).rebuilds, rebuilds);
    expect_exact(map.get(), keys, "at the growth point");
    ASSERT_NO_FATAL_FAILURE(insert_fresh(map.get(), keys));
    EXPECT_GT(ehm_capacity(map.get()), slots) << "the growth point was not the last one";
}

// (c) Filled to 2/3 of its growth point, then rounds of removing a random
// key and inserting a new one: tombstones pile up until a rebuild at the same
// size reclaims them, and insertions reuse them. Checked halfway, after the
// first rebuild under churn (which rewrites every mask) and at the end; the
// removed keys, tombstones or reused slots by now, are among the misses.
TEST_P(LookupInvariants, ChurnWithTombstones) {
    MapPtr map = make_map(seeded_u64_config(seed(), 30000, delta()));
    ASSERT_NE(map, nullptr);
    const size_t slots = ehm_capacity(map.get());
    Keys keys(seed());
    const uint64_t live = growth_point(slots, log2_inverse_delta()) * 2 / 3;
    while (keys.live.size() < live) ASSERT_NO_FATAL_FAILURE(insert_fresh(map.get(), keys));
    const uint64_t rebuilds = stats_of(map.get()).rebuilds;
    uint64_t most_tombstones = 0;
    bool checked_after_rebuild = false;
    const uint64_t rounds = 2 * slots;
    for (uint64_t round = 1; round <= rounds; ++round) {
        ASSERT_NO_FATAL_FAILURE(remove_live(map.get(), keys, keys.below(keys.live.size())));
        ASSERT_NO_FATAL_FAILURE(insert_fresh(map.get(), keys));
        if (round == rounds / 2) {
            ASSERT_NO_FATAL_FAILURE(expect_exact(map.get(), keys, "halfway"));
        }
        if (round % 64 != 0) continue;
        const ehm_stats now = stats_of(map.get());
        most_tombstones = std::max(most_tombstones, now.tombstones);
        if (now.rebuilds != rebuilds && !checked_after_rebuild) {
            checked_after_rebuild = true;
            ASSERT_NO_FATAL_FAILURE(expect_exact(map.get(), keys, "after a rebuild under churn"));
        }
    }
    EXPECT_GT(most_tombstones, slots / 16) << "the churn left few tombstones";
    expect_exact(map.get(), keys, "after churn");
}

// (d) 100k keys, a random half of them removed, then a third of those put
// back with new values and some new keys added.
TEST_P(LookupInvariants, HalfRemovedThenSomeReinserted) {
    MapPtr map = make_map(seeded_u64_config(seed(), 0, delta()));
    ASSERT_NE(map, nullptr);
    Keys keys(seed());
    for (int i = 0; i < 100000; ++i) ASSERT_NO_FATAL_FAILURE(insert_fresh(map.get(), keys));
    while (keys.live.size() > 50000)
        ASSERT_NO_FATAL_FAILURE(remove_live(map.get(), keys, keys.below(keys.live.size())));
    EXPECT_GT(stats_of(map.get()).tombstones, 0u);
    ASSERT_NO_FATAL_FAILURE(expect_exact(map.get(), keys, "after removing half"));

    for (size_t i = 0; i < keys.removed.size(); i += 3) {
        const uint64_t key = keys.removed[i], value = value_for(key, 1);
        ASSERT_EQ(put_u64(map.get(), key, value), EHM_OK);
        keys.live.emplace_back(key, value);
    }
    std::vector<uint64_t> still_removed;
    for (size_t i = 0; i < keys.removed.size(); ++i)
        if (i % 3 != 0) still_removed.push_back(keys.removed[i]);
    keys.removed = std::move(still_removed);
    for (int i = 0; i < 10000; ++i) ASSERT_NO_FATAL_FAILURE(insert_fresh(map.get(), keys));
    expect_exact(map.get(), keys, "after reinserting");
}

INSTANTIATE_TEST_SUITE_P(DeltaDownTo1Over1024, LookupInvariants, ::testing::Range(1u, 11u),
                         [](const ::testing::TestParamInfo<unsigned> &info) {
                             return "delta_1_over_" + std::to_string(1u << info.param);
                         });

// The share of lookups decided in one fetch at delta = 1/32, at the growth
// point of tables of 76,800 slots. Measured here: 0.797 of hits and 0.890 to
// 0.892 of misses (0.79 to 0.80 and 0.88 to 0.89 on tables from 23k to 1.2M
// slots, six seeds each), but 0.47 and 0.73 with A2's and A3's first groups
// outside the home's fetch. The bounds sit 0.09 below the measured shares
// and above the latter.
TEST(FirstFetch, DecidesMostHitsAndMisses) {
    for (uint64_t seed : {11u, 12u}) {
        MapPtr map = make_map(seeded_u64_config(seed, 60000, 1.0 / 32));
        ASSERT_NE(map, nullptr);
        const size_t slots = ehm_capacity(map.get());
        const uint64_t full = growth_point(slots, 5);
        Keys keys(seed);
        while (keys.live.size() < full) ASSERT_NO_FATAL_FAILURE(insert_fresh(map.get(), keys));
        ASSERT_EQ(ehm_capacity(map.get()), slots);

        uint64_t hits_in_one = 0, misses_in_one = 0;
        for (const auto &[key, value] : keys.live) {
            uint64_t fetches = 0;
            ASSERT_EQ(ehm_probe_fetches(map.get(), &key, sizeof key, &fetches), EHM_OK);
            hits_in_one += fetches == 1;
        }
        for (uint64_t i = 0; i < kAbsentLookups; ++i) {
            const uint64_t key = keys.never_drawn(i);
            uint64_t fetches = 0;
            ASSERT_EQ(ehm_probe_fetches(map.get(), &key, sizeof key, &fetches), EHM_NOTFOUND);
            misses_in_one += fetches == 1;
        }
        const double hit_share = static_cast<double>(hits_in_one) / keys.live.size();
        const double miss_share = static_cast<double>(misses_in_one) / kAbsentLookups;
        RecordProperty("hit_share_seed_" + std::to_string(seed), std::to_string(hit_share));
        RecordProperty("miss_share_seed_" + std::to_string(seed), std::to_string(miss_share));
        EXPECT_GE(hit_share, 0.70) << "seed " << seed << ", " << slots << " slots";
        EXPECT_GE(miss_share, 0.80) << "seed " << seed << ", " << slots << " slots";
    }
}

} // namespace
