// Whole-map operations: ehm_equal, ehm_hash, ehm_clone, ehm_contains_value.
#include "capi_util.hpp"

#include <numeric>

namespace {

using namespace ehmtest;

// Puts key_of(i) -> value_of(i) for each i in `order`.
void fill_in_order(ehm_map *map, const std::vector<size_t> &order) {
    for (size_t i : order) ASSERT_EQ(put(map, key_of(i), value_of(i)), EHM_OK);
}

std::vector<size_t> ascending(size_t n) {
    std::vector<size_t> v(n);
    std::iota(v.begin(), v.end(), size_t{0});
    return v;
}

std::vector<size_t> shuffled(size_t n, size_t stride) {
    // stride is coprime with n, so this is a permutation.
    std::vector<size_t> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = (i * stride + 17) % n;
    return v;
}

// Several maps with the same 1000 entries, built differently: other seeds,
// other capacity hints, other insertion orders, with and without removed
// entries left behind.
class SameContent : public ::testing::Test {
protected:
    static constexpr size_t kN = 1000;

    void SetUp() override {
        const std::vector<size_t> fwd = ascending(kN);
        std::vector<size_t> rev(fwd.rbegin(), fwd.rend());

        maps_.push_back(make_map(seeded_config(1)));
        fill_in_order(maps_.back().get(), fwd);

        maps_.push_back(make_map(seeded_config(2)));
        fill_in_order(maps_.back().get(), rev);

        maps_.push_back(make_map(seeded_config(3, 50000)));
        fill_in_order(maps_.back().get(), shuffled(kN, 7));

        maps_.push_back(make_map(nullptr));
        fill_in_order(maps_.back().get(), shuffled(kN, 13));

        // Extra entries inserted and removed again: same content, other layout.
        maps_.push_back(make_map(seeded_config(1)));
        ehm_map *churned = maps_.back().get();
        fill(churned, 3000, kN);
        fill_in_order(churned, rev);
        for (size_t i = kN; i < kN + 3000; ++i) ASSERT_EQ(erase(churned, key_of(i)), EHM_OK);

        // Same keys first stored with other values, then overwritten.
        maps_.push_back(make_map(seeded_config(9)));
        for (size_t i = 0; i < kN; ++i) {
            ASSERT_EQ(put(maps_.back().get(), key_of(i), "stale"), EHM_OK);
        }
        fill_in_order(maps_.back().get(), fwd);

        for (const auto &m : maps_) {
            ASSERT_NE(m, nullptr);
            ASSERT_EQ(ehm_size(m.get()), kN);
        }
    }

    std::vector<MapPtr> maps_;
};

TEST_F(SameContent, AllPairsAreEqual) {
    for (size_t i = 0; i < maps_.size(); ++i) {
        for (size_t j = 0; j < maps_.size(); ++j) {
            EXPECT_EQ(ehm_equal(maps_[i].get(), maps_[j].get()), 1) << i << " vs " << j;
        }
    }
}

TEST_F(SameContent, AllHashesAreEqual) {
    const uint64_t h = ehm_hash(maps_[0].get());
    for (size_t i = 1; i < maps_.size(); ++i) EXPECT_EQ(ehm_hash(maps_[i].get()), h) << i;
}

TEST_F(SameContent, OneDifferentValueBreaksEquality) {
    ehm_map *a = maps_[0].get();
    ehm_map *b = maps_[1].get();
    const uint64_t h = ehm_hash(a);
    ASSERT_EQ(put(b, key_of(500), value_of(500) + "!"), EHM_OK);
    EXPECT_EQ(ehm_equal(a, b), 0);
    EXPECT_EQ(ehm_equal(b, a), 0);
    EXPECT_NE(ehm_hash(b), h);
    // Same length, one byte differs.
    std::string v = value_of(500);
    v[0] ^= 1;
    ASSERT_EQ(put(b, key_of(500), v), EHM_OK);
    EXPECT_EQ(ehm_equal(a, b), 0);
    EXPECT_NE(ehm_hash(b), h);
    ASSERT_EQ(put(b, key_of(500), value_of(500)), EHM_OK);
    EXPECT_EQ(ehm_equal(a, b), 1);
    EXPECT_EQ(ehm_hash(b), h);
}

TEST_F(SameContent, DifferentSizesAreNotEqual) {
    ehm_map *a = maps_[0].get();
    ehm_map *b = maps_[1].get();
    const uint64_t h = ehm_hash(a);
    ASSERT_EQ(erase(b, key_of(0)), EHM_OK);
    EXPECT_EQ(ehm_equal(a, b), 0);
    EXPECT_EQ(ehm_equal(b, a), 0);
    EXPECT_NE(ehm_hash(b), h);
    ASSERT_EQ(put(b, key_of(0), value_of(0)), EHM_OK);
    ASSERT_EQ(put(b, "extra", ""), EHM_OK);
    EXPECT_EQ(ehm_equal(a, b), 0);
    EXPECT_EQ(ehm_equal(b, a), 0);
    EXPECT_NE(ehm_hash(b), h);
}

TEST_F(SameContent, SameSizeDifferentKeyIsNotEqual) {
    ehm_map *a = maps_[0].get();
    ehm_map *b = maps_[1].get();
    ASSERT_EQ(erase(b, key_of(0)), EHM_OK);
    ASSERT_EQ(put(b, "other", value_of(0)), EHM_OK);
    EXPECT_EQ(ehm_equal(a, b), 0);
    EXPECT_EQ(ehm_equal(b, a), 0);
    EXPECT_NE(ehm_hash(b), ehm_hash(a));
}

TEST_F(SameContent, HashSurvivesReserveAndClone) {
    const uint64_t h = ehm_hash(maps_[0].get());
    ASSERT_EQ(ehm_reserve(maps_[0].get(), 100000), EHM_OK);
    EXPECT_EQ(ehm_hash(maps_[0].get()), h);
    MapPtr copy = clone_map(maps_[2].get());
    ASSERT_NE(copy, nullptr);
    EXPECT_EQ(ehm_hash(copy.get()), h);
}

TEST(Equal, EmptyMapsAreEqualAndHashEqual) {
    MapPtr a = make_map(seeded_config(1));
    MapPtr b = make_map(seeded_config(2, 1000));
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 1);
    EXPECT_EQ(ehm_hash(a.get()), ehm_hash(b.get()));
    fill(a.get(), 10);
    for (size_t i = 0; i < 10; ++i) ASSERT_EQ(erase(a.get(), key_of(i)), EHM_OK);
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 1);
    EXPECT_EQ(ehm_hash(a.get()), ehm_hash(b.get()));
}

TEST(Equal, MapEqualsItself) {
    MapPtr a = make_map(nullptr);
    ASSERT_NE(a, nullptr);
    fill(a.get(), 100);
    EXPECT_EQ(ehm_equal(a.get(), a.get()), 1);
}

TEST(Equal, EmptyKeyAndEmptyValueTakePart) {
    MapPtr a = make_map(seeded_config(1));
    MapPtr b = make_map(seeded_config(2));
    ASSERT_EQ(ehm_put(a.get(), nullptr, 0, nullptr, 0), EHM_OK);
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 0);
    EXPECT_NE(ehm_hash(a.get()), ehm_hash(b.get()));
    ASSERT_EQ(ehm_put(b.get(), nullptr, 0, "x", 1), EHM_OK);
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 0);
    ASSERT_EQ(ehm_put(b.get(), nullptr, 0, nullptr, 0), EHM_OK);
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 1);
    EXPECT_EQ(ehm_hash(a.get()), ehm_hash(b.get()));
}

TEST(Equal, KeyValueBoundaryMatters) {
    MapPtr a = make_map(seeded_config(1));
    MapPtr b = make_map(seeded_config(1));
    ASSERT_EQ(put(a.get(), "ab", "c"), EHM_OK);
    ASSERT_EQ(put(b.get(), "a", "bc"), EHM_OK);
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 0);
    EXPECT_NE(ehm_hash(a.get()), ehm_hash(b.get()));
}

TEST(Equal, ValuePrefixIsNotEqual) {
    MapPtr a = make_map(seeded_config(1));
    MapPtr b = make_map(seeded_config(1));
    ASSERT_EQ(put(a.get(), "k", "abc"), EHM_OK);
    ASSERT_EQ(put(b.get(), "k", "ab"), EHM_OK);
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 0);
    EXPECT_EQ(ehm_equal(b.get(), a.get()), 0);
}

TEST(Equal, NullArgumentsAreInvalid) {
    MapPtr a = make_map(nullptr);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(ehm_equal(nullptr, a.get()), EHM_EINVAL);
    EXPECT_EQ(ehm_equal(a.get(), nullptr), EHM_EINVAL);
    EXPECT_EQ(ehm_equal(nullptr, nullptr), EHM_EINVAL);
}

TEST(Hash, NullIsZero) {
    EXPECT_EQ(ehm_hash(nullptr), 0u);
}

TEST(Hash, DoesNotChangeTheMap) {
    MapPtr a = make_map(seeded_config(4));
    fill(a.get(), 300);
    const Snapshot before = snapshot(a.get());
    const uint64_t h = ehm_hash(a.get());
    EXPECT_EQ(ehm_hash(a.get()), h);
    EXPECT_TRUE(unchanged(before, a.get()));
}

TEST(Hash, FixedSizeMapsHashByContent) {
    MapPtr a = make_map(fixed_size_config(8, 8));
    MapPtr b = make_map(fixed_size_config(8, 8));
    for (uint64_t i = 0; i < 500; ++i) {
        ASSERT_EQ(put(a.get(), fixed_blob(i, 8), fixed_blob(~i, 8)), EHM_OK);
        ASSERT_EQ(put(b.get(), fixed_blob(499 - i, 8), fixed_blob(~(499 - i), 8)), EHM_OK);
    }
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 1);
    EXPECT_EQ(ehm_hash(a.get()), ehm_hash(b.get()));
}

// ---- Clone --------------------------------------------------------------

TEST(Clone, IsEqualDeepCopy) {
    MapPtr src = make_map(seeded_config(21));
    ASSERT_NE(src, nullptr);
    const Contents model = fill(src.get(), 2000);
    ASSERT_EQ(ehm_put(src.get(), nullptr, 0, nullptr, 0), EHM_OK);
    Contents with_empty = model;
    with_empty[""] = "";

    MapPtr copy = clone_map(src.get());
    ASSERT_NE(copy, nullptr);
    ASSERT_NE(copy.get(), src.get());
    EXPECT_EQ(ehm_equal(src.get(), copy.get()), 1);
    EXPECT_EQ(ehm_hash(src.get()), ehm_hash(copy.get()));
    EXPECT_TRUE(holds_exactly(copy.get(), with_empty));

    // Mutating the clone leaves the source alone.
    const Snapshot src_before = snapshot(src.get());
    ASSERT_EQ(put(copy.get(), key_of(1), "changed"), EHM_OK);
    ASSERT_EQ(erase(copy.get(), key_of(2)), EHM_OK);
    ASSERT_EQ(put(copy.get(), "new", "entry"), EHM_OK);
    fill(copy.get(), 5000, 100000);
    EXPECT_TRUE(unchanged(src_before, src.get()));
    EXPECT_EQ(ehm_equal(src.get(), copy.get()), 0);

    // And the other way round; then the clone outlives its source.
    const Snapshot copy_before = snapshot(copy.get());
    ASSERT_EQ(ehm_clear(src.get()), EHM_OK);
    src.reset();
    EXPECT_TRUE(unchanged(copy_before, copy.get()));
    EXPECT_EQ(get(copy.get(), key_of(1)), std::string("changed"));
}

TEST(Clone, EmptyMap) {
    MapPtr src = make_map(nullptr);
    MapPtr copy = clone_map(src.get());
    ASSERT_NE(copy, nullptr);
    EXPECT_EQ(ehm_size(copy.get()), 0u);
    EXPECT_EQ(ehm_equal(src.get(), copy.get()), 1);
    fill(copy.get(), 100);
    EXPECT_EQ(ehm_size(src.get()), 0u);
}

TEST(Clone, KeepsFixedSizes) {
    MapPtr src = make_map(fixed_size_config(5, 3));
    ASSERT_NE(src, nullptr);
    for (uint64_t i = 0; i < 200; ++i) {
        ASSERT_EQ(put(src.get(), fixed_blob(i, 5), fixed_blob(i * 5, 3)), EHM_OK);
    }
    MapPtr copy = clone_map(src.get());
    ASSERT_NE(copy, nullptr);
    EXPECT_EQ(ehm_equal(src.get(), copy.get()), 1);
    EXPECT_EQ(put(copy.get(), "1234", "abc"), EHM_EINVAL);
    EXPECT_EQ(put(copy.get(), "12345", "ab"), EHM_EINVAL);
    EXPECT_EQ(put(copy.get(), "12345", "abc"), EHM_OK);
    EXPECT_EQ(ehm_size(copy.get()), 201u);
    EXPECT_EQ(ehm_size(src.get()), 200u);
}

TEST(Clone, RemovedEntriesDoNotReappear) {
    MapPtr src = make_map(seeded_config(8, 4000));
    ASSERT_NE(src, nullptr);
    Contents model = fill(src.get(), 1000);
    for (size_t i = 0; i < 1000; i += 2) {
        ASSERT_EQ(erase(src.get(), key_of(i)), EHM_OK);
        model.erase(key_of(i));
    }
    MapPtr copy = clone_map(src.get());
    ASSERT_NE(copy, nullptr);
    EXPECT_TRUE(holds_exactly(copy.get(), model));
    EXPECT_EQ(contents_of(copy.get()), model);
    for (size_t i = 0; i < 1000; i += 2) EXPECT_EQ(contains(copy.get(), key_of(i)), 0);
}

TEST(Clone, UsesTheSourceAllocator) {
    TestAllocator alloc;
    const ehm_config cfg = default_config(alloc.get());
    {
        MapPtr src = make_map(cfg);
        ASSERT_NE(src, nullptr);
        fill(src.get(), 500);
        const size_t before = alloc.live_bytes();
        MapPtr copy = clone_map(src.get());
        ASSERT_NE(copy, nullptr);
        EXPECT_GT(alloc.live_bytes(), before);
        EXPECT_EQ(alloc.live_bytes(),
                  stats_of(src.get()).memory_bytes + stats_of(copy.get()).memory_bytes);
    }
    EXPECT_EQ(alloc.live_bytes(), 0u);
    EXPECT_EQ(alloc.bad_frees(), 0u);
}

TEST(Clone, BadArguments) {
    ehm_map *out = sentinel_map();
    EXPECT_EQ(ehm_clone(&out, nullptr), EHM_EINVAL);
    EXPECT_EQ(out, nullptr);
    MapPtr src = make_map(nullptr);
    ASSERT_NE(src, nullptr);
    EXPECT_EQ(ehm_clone(nullptr, src.get()), EHM_EINVAL);
}

// ---- contains_value -----------------------------------------------------

TEST(ContainsValue, FindsPresentValuesOnly) {
    MapPtr map = make_map(seeded_config(2));
    ASSERT_NE(map, nullptr);
    EXPECT_EQ(ehm_contains_value(map.get(), "x", 1), 0);
    EXPECT_EQ(ehm_contains_value(map.get(), nullptr, 0), 0);
    fill(map.get(), 300);
    for (size_t i = 0; i < 300; i += 7) {
        const std::string v = value_of(i);
        EXPECT_EQ(ehm_contains_value(map.get(), v.data(), v.size()), 1) << i;
    }
    const std::string absent = "no such value";
    EXPECT_EQ(ehm_contains_value(map.get(), absent.data(), absent.size()), 0);
    // A prefix of a stored value is a different value.
    const std::string v5 = value_of(5);
    EXPECT_EQ(ehm_contains_value(map.get(), v5.data(), v5.size() - 1), 0);
    // Keys are not values.
    EXPECT_EQ(ehm_contains_value(map.get(), key_of(5).data(), key_of(5).size()), 0);
    EXPECT_EQ(ehm_contains_value(map.get(), nullptr, 0), 0);
}

TEST(ContainsValue, EmptyValue) {
    MapPtr map = make_map(nullptr);
    ASSERT_EQ(put(map.get(), "a", "1"), EHM_OK);
    EXPECT_EQ(ehm_contains_value(map.get(), nullptr, 0), 0);
    ASSERT_EQ(put(map.get(), "b", ""), EHM_OK);
    EXPECT_EQ(ehm_contains_value(map.get(), nullptr, 0), 1);
    EXPECT_EQ(ehm_contains_value(map.get(), "z", 0), 1);
}

TEST(ContainsValue, FollowsRemovalAndReplacement) {
    MapPtr map = make_map(nullptr);
    ASSERT_EQ(put(map.get(), "k1", "shared"), EHM_OK);
    ASSERT_EQ(put(map.get(), "k2", "shared"), EHM_OK);
    ASSERT_EQ(erase(map.get(), "k1"), EHM_OK);
    EXPECT_EQ(ehm_contains_value(map.get(), "shared", 6), 1);
    ASSERT_EQ(put(map.get(), "k2", "other"), EHM_OK);
    EXPECT_EQ(ehm_contains_value(map.get(), "shared", 6), 0);
    EXPECT_EQ(ehm_contains_value(map.get(), "other", 5), 1);
    ASSERT_EQ(ehm_clear(map.get()), EHM_OK);
    EXPECT_EQ(ehm_contains_value(map.get(), "other", 5), 0);
}

TEST(ContainsValue, BadArguments) {
    MapPtr map = make_map(nullptr);
    ASSERT_EQ(put(map.get(), "a", "1"), EHM_OK);
    EXPECT_EQ(ehm_contains_value(nullptr, "1", 1), EHM_EINVAL);
    EXPECT_EQ(ehm_contains_value(map.get(), nullptr, 1), EHM_EINVAL);
}

} // namespace
