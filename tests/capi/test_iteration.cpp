// ehm_next: complete single visits, the end state, and removal of the entry
// just returned.
#include "capi_util.hpp"

#include <set>

namespace {

using namespace ehmtest;

size_t index_of(const std::string &key) {
    return std::stoul(key.substr(4));
}

using Iteration = SeededMapTest<5>;

TEST_F(Iteration, EmptyMapIsOverImmediatelyAndStaysOver) {
    size_t cursor = 0;
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(ehm_next(m(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_ITEROVER);
    }
}

TEST_F(Iteration, VisitsEveryEntryExactlyOnce) {
    const Contents added = fill(m(), 3000);
    size_t cursor = 0;
    std::map<std::string, int> visits;
    const void *k = nullptr, *v = nullptr;
    size_t kl = 0, vl = 0;
    int rc;
    size_t steps = 0;
    while ((rc = ehm_next(m(), &cursor, &k, &kl, &v, &vl)) == EHM_OK) {
        const std::string key(static_cast<const char *>(k), kl);
        ++visits[key];
        auto it = added.find(key);
        ASSERT_NE(it, added.end()) << "unknown key";
        ASSERT_EQ(std::string(static_cast<const char *>(v), vl), it->second);
        ASSERT_LE(++steps, added.size());
    }
    EXPECT_EQ(rc, EHM_ITEROVER);
    EXPECT_EQ(visits.size(), added.size());
    for (const auto &[key, n] : visits) EXPECT_EQ(n, 1) << key;
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(ehm_next(m(), &cursor, &k, &kl, &v, &vl), EHM_ITEROVER);
    }
}

TEST_F(Iteration, NullOutputPointersStillAdvance) {
    fill(m(), 500);
    size_t cursor = 0, n = 0;
    while (ehm_next(m(), &cursor, nullptr, nullptr, nullptr, nullptr) == EHM_OK) {
        ASSERT_LE(++n, 500u);
    }
    EXPECT_EQ(n, 500u);

    std::set<std::string> keys;
    cursor = 0;
    const void *k = nullptr;
    size_t kl = 0;
    while (ehm_next(m(), &cursor, &k, &kl, nullptr, nullptr) == EHM_OK) {
        keys.insert(std::string(static_cast<const char *>(k), kl));
        ASSERT_LE(keys.size(), 500u);
    }
    EXPECT_EQ(keys.size(), 500u);

    size_t value_bytes = 0, expected_bytes = 0;
    for (size_t i = 0; i < 500; ++i) expected_bytes += value_of(i).size();
    cursor = 0;
    size_t vl = 0;
    while (ehm_next(m(), &cursor, nullptr, nullptr, nullptr, &vl) == EHM_OK) value_bytes += vl;
    EXPECT_EQ(value_bytes, expected_bytes);
}

TEST_F(Iteration, SeesEmptyKeyAndEmptyValue) {
    ASSERT_EQ(ehm_put(m(), nullptr, 0, "ek", 2), EHM_OK);
    ASSERT_EQ(ehm_put(m(), "ev", 2, nullptr, 0), EHM_OK);
    const Contents expected = {{"", "ek"}, {"ev", ""}};
    EXPECT_EQ(contents_of(m()), expected);
}

TEST_F(Iteration, SkipsRemovedEntries) {
    Contents model = fill(m(), 2000);
    for (size_t i = 0; i < 2000; i += 3) {
        ASSERT_EQ(erase(m(), key_of(i)), EHM_OK);
        model.erase(key_of(i));
    }
    EXPECT_EQ(contents_of(m()), model);
}

TEST_F(Iteration, OrderIsStableWithoutMutation) {
    fill(m(), 1000);
    const auto first = entries_in_order(m());
    const auto second = entries_in_order(m());
    EXPECT_EQ(first, second);
}

TEST_F(Iteration, RemovingCurrentEntryFiltersInOnePass) {
    const size_t n = 4000;
    fill(m(), n);
    size_t cursor = 0, visited = 0;
    std::set<std::string> seen;
    const void *k = nullptr;
    size_t kl = 0;
    int rc;
    while ((rc = ehm_next(m(), &cursor, &k, &kl, nullptr, nullptr)) == EHM_OK) {
        const std::string key(static_cast<const char *>(k), kl);
        ASSERT_TRUE(seen.insert(key).second) << "visited twice: " << key;
        ASSERT_LE(++visited, n);
        if (index_of(key) % 2 == 0) {
            ASSERT_EQ(erase(m(), key), EHM_OK);
        }
    }
    EXPECT_EQ(rc, EHM_ITEROVER);
    EXPECT_EQ(visited, n);
    EXPECT_EQ(ehm_size(m()), n / 2);
    Contents odd;
    for (size_t i = 1; i < n; i += 2) odd[key_of(i)] = value_of(i);
    EXPECT_TRUE(holds_exactly(m(), odd));
    EXPECT_EQ(contents_of(m()), odd);
}

TEST_F(Iteration, RemovingEveryEntryDuringIteration) {
    const size_t n = 1500;
    fill(m(), n);
    size_t cursor = 0, visited = 0;
    const void *k = nullptr;
    size_t kl = 0;
    while (ehm_next(m(), &cursor, &k, &kl, nullptr, nullptr) == EHM_OK) {
        const std::string key(static_cast<const char *>(k), kl);
        ASSERT_EQ(erase(m(), key), EHM_OK);
        ASSERT_LE(++visited, n);
    }
    EXPECT_EQ(visited, n);
    EXPECT_EQ(ehm_size(m()), 0u);
    cursor = 0;
    EXPECT_EQ(ehm_next(m(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_ITEROVER);
}

TEST_F(Iteration, FixedSizeMapYieldsExactLengths) {
    MapPtr fixed = make_map(fixed_size_config(5, 3));
    ASSERT_NE(fixed, nullptr);
    for (uint64_t i = 0; i < 300; ++i) {
        ASSERT_EQ(put(fixed.get(), fixed_blob(i, 5), fixed_blob(i + 9, 3)), EHM_OK);
    }
    const auto entries = entries_in_order(fixed.get());
    ASSERT_EQ(entries.size(), 300u);
    for (const auto &[k, v] : entries) {
        ASSERT_EQ(k.size(), 5u);
        ASSERT_EQ(v.size(), 3u);
    }
}

TEST_F(Iteration, BadArguments) {
    fill(m(), 10);
    size_t cursor = 0;
    EXPECT_EQ(ehm_next(nullptr, &cursor, nullptr, nullptr, nullptr, nullptr), EHM_EINVAL);
    EXPECT_EQ(ehm_next(m(), nullptr, nullptr, nullptr, nullptr, nullptr), EHM_EINVAL);
}

} // namespace
