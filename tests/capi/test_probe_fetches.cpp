// ehm_probe_fetches (1.2): the memory round trips of a lookup. It must refuse
// exactly what ehm_probe_count refuses, with the same messages under its own
// names; answer EHM_OK or EHM_NOTFOUND as a lookup would, with a count of at
// least 1 and at most the lookup's probes (every fetch beyond the first reads
// one more group); decide every lookup of a nearly empty table in its first
// fetch; and, being a lookup, change nothing in the map.
#include "capi_util.hpp"

#include <functional>
#include <limits>

namespace {

using namespace ehmtest;
using ehm_test::blob_text;

constexpr uint64_t kUnset = 0xF00DF00Dull;

std::string last() {
    return ehm_last_error();
}

// The fetches of `key`, with the status checked against `expected`.
uint64_t fetches_of(const ehm_map *map, const std::string &key, int expected) {
    uint64_t fetches = kUnset;
    EXPECT_EQ(ehm_probe_fetches(map, key.data(), key.size(), &fetches), expected) << key;
    return fetches;
}

uint64_t u64_key(uint64_t i) {
    // An odd multiplier is a bijection of 64-bit words: distinct i, distinct keys.
    return (i + 1) * 0x9E3779B97F4A7C15ull;
}

class ProbeFetches : public SeededMapTest<23> {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(SeededMapTest::SetUp());
        fill(m(), 500);
        fixed_ = make_map(fixed_size_config(8, 8));
        ASSERT_NE(fixed_, nullptr);
        ASSERT_EQ(ehm_put(fixed_.get(), "abcdefgh", 8, "12345678", 8), EHM_OK);
    }
    MapPtr fixed_;
};

// ---- bad arguments ------------------------------------------------------------

TEST_F(ProbeFetches, NullArgumentsAreInvalidAndNamed) {
    const Snapshot before = snapshot(m());
    uint64_t fetches = kUnset;
    EXPECT_EQ(ehm_probe_fetches(nullptr, "a", 1, &fetches), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_probe_fetches: map is NULL");
    EXPECT_EQ(ehm_probe_fetches(m(), nullptr, 1, &fetches), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_probe_fetches: key is NULL with key_len 1; NULL is allowed only with "
                      "length 0");
    EXPECT_EQ(ehm_probe_fetches(m(), "a", 1, nullptr), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_probe_fetches: fetches is NULL");
    const std::string k = key_of(3);
    EXPECT_EQ(ehm_probe_fetches(m(), k.data(), k.size(), nullptr), EHM_EINVAL)
        << "a present key does not make a NULL fetches acceptable";
    EXPECT_EQ(last(), "ehm_probe_fetches: fetches is NULL");
    EXPECT_EQ(fetches, kUnset) << "written on failure";
    EXPECT_TRUE(unchanged(before, m()));
}

TEST_F(ProbeFetches, BadKeyLengthsAreRefusedUnwritten) {
    uint64_t fetches = kUnset;
    for (size_t bad : {size_t{0}, size_t{7}, size_t{9}, size_t{16}}) {
        EXPECT_EQ(ehm_probe_fetches(fixed_.get(), "0123456789abcdef", bad, &fetches), EHM_EINVAL)
            << bad;
        EXPECT_EQ(last(), "ehm_probe_fetches: key_len is " + std::to_string(bad) +
                              " but the map's key_size is 8");
    }
    const size_t huge = std::numeric_limits<size_t>::max();
    EXPECT_EQ(ehm_probe_fetches(m(), "k", huge, &fetches), EHM_ETOOBIG);
    const std::string expected =
        "ehm_probe_fetches: key_len is " + std::to_string(huge) + ", beyond the longest";
    EXPECT_EQ(last().substr(0, expected.size()), expected);
    EXPECT_EQ(fetches, kUnset) << "written on failure";
}

// Every bad call of ehm_probe_count, made to ehm_probe_fetches: the same
// status, and the same message with the function's and the out-parameter's
// names in it.
TEST_F(ProbeFetches, RefusesWhatProbeCountRefuses) {
    struct Call {
        const char *what;
        const ehm_map *map;
        const void *key;
        size_t key_len;
        bool null_out;
    };
    const size_t huge = std::numeric_limits<size_t>::max();
    const Call calls[] = {
        {"null map", nullptr, "k", 1, false},
        {"null map and out", nullptr, "k", 1, true},
        {"null key with length", m(), nullptr, 1, false},
        {"null out", m(), "k", 1, true},
        {"key_len SIZE_MAX", m(), "k", huge, false},
        {"key_len huge, null out", m(), "k", huge, true},
        {"fixed key_len 7", fixed_.get(), "abcdefgh", 7, false},
        {"fixed key_len 0", fixed_.get(), nullptr, 0, false},
        {"fixed null key with length", fixed_.get(), nullptr, 8, false},
    };
    for (const Call &c : calls) {
        uint64_t probes = kUnset, fetches = kUnset;
        const int count_status =
            ehm_probe_count(c.map, c.key, c.key_len, c.null_out ? nullptr : &probes);
        std::string count_message = last();
        const int fetch_status =
            ehm_probe_fetches(c.map, c.key, c.key_len, c.null_out ? nullptr : &fetches);
        const std::string fetch_message = last();
        EXPECT_NE(count_status, EHM_OK) << c.what;
        EXPECT_EQ(fetch_status, count_status) << c.what;
        for (const auto &[from, to] :
             {std::pair<std::string, std::string>{"ehm_probe_count", "ehm_probe_fetches"},
              {"probes is NULL", "fetches is NULL"}}) {
            const size_t at = count_message.find(from);
            if (at != std::string::npos) count_message.replace(at, from.size(), to);
        }
        EXPECT_EQ(fetch_message, count_message) << c.what;
        EXPECT_NE(fetch_message, "") << c.what;
        EXPECT_EQ(fetches, kUnset) << c.what;
    }
}

// ---- outcomes -------------------------------------------------------------------

TEST_F(ProbeFetches, PresentKeysAreFoundAndAbsentOnesNot) {
    // A failure first, so that "" below shows each call clearing the message.
    EXPECT_EQ(ehm_probe_fetches(nullptr, "a", 1, nullptr), EHM_EINVAL);
    for (size_t i = 0; i < 500; ++i) {
        EXPECT_GE(fetches_of(m(), key_of(i), EHM_OK), 1u) << i;
        EXPECT_EQ(last(), "");
    }
    for (size_t i = 500; i < 1500; ++i) {
        const uint64_t fetches = fetches_of(m(), key_of(i), EHM_NOTFOUND);
        EXPECT_GE(fetches, 1u) << i;
        EXPECT_NE(fetches, kUnset) << "not set for an absent key";
        EXPECT_EQ(last(), "") << "EHM_NOTFOUND is an outcome, not a failure";
    }
    uint64_t fetches = kUnset;
    EXPECT_EQ(ehm_probe_fetches(fixed_.get(), "abcdefgh", 8, &fetches), EHM_OK);
    EXPECT_GE(fetches, 1u);
    fetches = kUnset;
    EXPECT_EQ(ehm_probe_fetches(fixed_.get(), "abcdefgX", 8, &fetches), EHM_NOTFOUND);
    EXPECT_GE(fetches, 1u);
    EXPECT_LT(fetches, kUnset);
}

TEST_F(ProbeFetches, FollowsRemovalsAndTheEmptyKey) {
    EXPECT_GE(fetches_of(m(), key_of(7), EHM_OK), 1u);
    ASSERT_EQ(erase(m(), key_of(7)), EHM_OK);
    EXPECT_GE(fetches_of(m(), key_of(7), EHM_NOTFOUND), 1u);
    ASSERT_EQ(put(m(), key_of(7), "again"), EHM_OK);
    EXPECT_GE(fetches_of(m(), key_of(7), EHM_OK), 1u);

    uint64_t fetches = kUnset;
    EXPECT_EQ(ehm_probe_fetches(m(), nullptr, 0, &fetches), EHM_NOTFOUND);
    EXPECT_GE(fetches, 1u);
    ASSERT_EQ(ehm_put(m(), nullptr, 0, "e", 1), EHM_OK);
    fetches = kUnset;
    EXPECT_EQ(ehm_probe_fetches(m(), nullptr, 0, &fetches), EHM_OK);
    EXPECT_GE(fetches, 1u);
    EXPECT_EQ(last(), "");
}

// In a table filled to its growth point, where many lookups go beyond their
// first fetch: every lookup agrees with ehm_probe_count on found or not, and
// takes from 1 fetch up to as many as its probes.
TEST(ProbeFetchesBounds, BetweenOneAndTheProbes) {
    for (unsigned log2_inverse_delta : {2u, 5u, 8u}) {
        const double delta = 1.0 / (1u << log2_inverse_delta);
        MapPtr map = make_map(seeded_u64_config(5, 40000, delta));
        ASSERT_NE(map, nullptr);
        const uint64_t slots = ehm_capacity(map.get());
        const uint64_t growth_point = slots - (slots >> log2_inverse_delta);
        uint64_t n = 0;
        for (; n < growth_point; ++n) {
            const uint64_t k = u64_key(n);
            ASSERT_EQ(ehm_put(map.get(), &k, 8, &k, 8), EHM_OK);
        }
        ASSERT_EQ(ehm_capacity(map.get()), slots) << "grew before its growth point";
        uint64_t beyond_first = 0, fewer_than_probes = 0, most = 0;
        for (uint64_t i = 0; i < n + 50000; ++i) {
            const uint64_t k = u64_key(i);
            const int expected = i < n ? EHM_OK : EHM_NOTFOUND;
            uint64_t probes = kUnset, fetches = kUnset;
            ASSERT_EQ(ehm_probe_count(map.get(), &k, 8, &probes), expected) << i;
            ASSERT_EQ(ehm_probe_fetches(map.get(), &k, 8, &fetches), expected) << i;
            ASSERT_GE(fetches, 1u) << i;
            ASSERT_LE(fetches, probes) << i;
            beyond_first += fetches > 1;
            fewer_than_probes += fetches < probes;
            most = std::max(most, fetches);
        }
        // Not a vacuous comparison: some lookups need more than one fetch,
        // and some read more than one group in their first.
        EXPECT_GT(beyond_first, 0u) << delta;
        EXPECT_GT(fewer_than_probes, 0u) << delta;
        EXPECT_GT(most, 1u) << delta;
    }
}

// With a few keys in a large table every key sits at home and no mask names
// anything beyond: each hit and each miss is decided by the first fetch.
TEST(ProbeFetchesBounds, NearlyEmptyTablesDecideInTheFirstFetch) {
    MapPtr small = make_map(seeded_config(31));
    ASSERT_NE(small, nullptr);
    fill(small.get(), 8);
    for (size_t i = 0; i < 2000; ++i)
        ASSERT_EQ(fetches_of(small.get(), key_of(i), i < 8 ? EHM_OK : EHM_NOTFOUND), 1u) << i;

    MapPtr large = make_map(seeded_u64_config(37, 200000, 1.0 / 32));
    ASSERT_NE(large, nullptr);
    for (uint64_t i = 0; i < 300; ++i) {
        const uint64_t k = u64_key(i);
        ASSERT_EQ(ehm_put(large.get(), &k, 8, &k, 8), EHM_OK);
    }
    for (uint64_t i = 0; i < 60000; ++i) {
        const uint64_t k = u64_key(i);
        uint64_t fetches = kUnset;
        ASSERT_EQ(ehm_probe_fetches(large.get(), &k, 8, &fetches), i < 300 ? EHM_OK : EHM_NOTFOUND)
            << i;
        ASSERT_EQ(fetches, 1u) << i;
    }
}

// ---- a lookup changes nothing ---------------------------------------------------

TEST_F(ProbeFetches, ChangesNothing) {
    for (size_t i = 0; i < 500; i += 3) ASSERT_EQ(erase(m(), key_of(i)), EHM_OK); // tombstones
    const Snapshot before = snapshot(m());
    const auto order = entries_in_order(m());
    ASSERT_GT(before.stats.tombstones, 0u);
    for (size_t i = 0; i < 3000; ++i) {
        const bool present = i < 500 && i % 3 != 0;
        EXPECT_GE(fetches_of(m(), key_of(i), present ? EHM_OK : EHM_NOTFOUND), 1u) << i;
    }
    EXPECT_TRUE(unchanged(before, m()));
    EXPECT_EQ(entries_in_order(m()), order);

    // A cursor taken before the calls stays valid through them and walks the
    // same entries in the same order.
    size_t cursor = 0;
    std::vector<std::pair<std::string, std::string>> walked;
    const void *k = nullptr, *v = nullptr;
    size_t kl = 0, vl = 0;
    int rc;
    while ((rc = ehm_next(m(), &cursor, &k, &kl, &v, &vl)) == EHM_OK) {
        walked.emplace_back(blob_text(k, kl), blob_text(v, vl));
        for (size_t i = walked.size(); i < walked.size() + 5; ++i) {
            uint64_t fetches = kUnset;
            const std::string key = key_of(i);
            (void)ehm_probe_fetches(m(), key.data(), key.size(), &fetches);
            ASSERT_NE(fetches, kUnset);
        }
    }
    EXPECT_EQ(rc, EHM_ITEROVER) << ehm_strerror(rc);
    EXPECT_EQ(walked, order);
    EXPECT_TRUE(unchanged(before, m()));
}

} // namespace
