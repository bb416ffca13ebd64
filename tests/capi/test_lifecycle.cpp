// ehm_create / ehm_destroy and the handle-level queries on fresh maps.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

TEST(Lifecycle, CreateWithNullConfigGivesEmptyMap) {
    ehm_map *map = sentinel_map();
    ASSERT_EQ(ehm_create(&map, nullptr), EHM_OK);
    ASSERT_NE(map, nullptr);
    ASSERT_NE(map, sentinel_map());
    EXPECT_EQ(ehm_size(map), 0u);
    EXPECT_GE(ehm_capacity(map), ehm_size(map));
    EXPECT_EQ(ehm_contains(map, "x", 1), 0);
    ehm_destroy(map);
}

TEST(Lifecycle, CreateWithInitializedConfigGivesEmptyMap) {
    const ehm_config cfg = default_config();
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    EXPECT_EQ(ehm_size(map.get()), 0u);
    EXPECT_EQ(stats_of(map.get()).size, 0u);
    EXPECT_EQ(stats_of(map.get()).rebuilds, 0u);
}

TEST(Lifecycle, NullConfigBehavesLikeDefaultConfig) {
    const ehm_config cfg = default_config();
    MapPtr with_null = make_map(nullptr);
    MapPtr with_init = make_map(cfg);
    ASSERT_NE(with_null, nullptr);
    ASSERT_NE(with_init, nullptr);
    EXPECT_EQ(ehm_capacity(with_null.get()), ehm_capacity(with_init.get()));
    const ehm_stats a = stats_of(with_null.get()), b = stats_of(with_init.get());
    EXPECT_EQ(a.capacity, b.capacity);
    EXPECT_EQ(a.probe_width, b.probe_width);
    EXPECT_EQ(a.levels, b.levels);
}

TEST(Lifecycle, DestroyNullIsNoOp) {
    ehm_destroy(nullptr);
    SUCCEED();
}

TEST(Lifecycle, SizeAndCapacityOfNullAreZero) {
    EXPECT_EQ(ehm_size(nullptr), 0u);
    EXPECT_EQ(ehm_capacity(nullptr), 0u);
}

TEST(Lifecycle, CreateNullOutIsInvalid) {
    const ehm_config cfg = default_config();
    EXPECT_EQ(ehm_create(nullptr, &cfg), EHM_EINVAL);
    EXPECT_EQ(ehm_create(nullptr, nullptr), EHM_EINVAL);
}

TEST(Lifecycle, DestroyWithEntriesFreesEverything) {
    TestAllocator alloc;
    {
        const ehm_config cfg = default_config(alloc.get());
        MapPtr map = make_map(cfg);
        ASSERT_NE(map, nullptr);
        fill(map.get(), 5000);
        EXPECT_GT(alloc.live_bytes(), 0u);
    }
    EXPECT_EQ(alloc.live_bytes(), 0u);
    EXPECT_EQ(alloc.live_blocks(), 0u);
    EXPECT_EQ(alloc.bad_frees(), 0u);
}

TEST(Lifecycle, ManyMapsAreIndependent) {
    std::vector<MapPtr> maps;
    for (size_t m = 0; m < 16; ++m) {
        maps.push_back(make_map(nullptr));
        ASSERT_NE(maps.back(), nullptr);
        for (size_t i = 0; i <= m; ++i) {
            ASSERT_EQ(put(maps.back().get(), key_of(i), std::to_string(m)), EHM_OK);
        }
    }
    for (size_t m = 0; m < maps.size(); ++m) {
        EXPECT_EQ(ehm_size(maps[m].get()), m + 1);
        EXPECT_EQ(get(maps[m].get(), key_of(0)), std::to_string(m));
        EXPECT_EQ(contains(maps[m].get(), key_of(m + 1)), 0);
    }
}

class CapacityHint : public ::testing::TestWithParam<std::tuple<uint64_t, double>> {};

TEST_P(CapacityHint, HoldsThatManyEntriesWithoutRebuild) {
    const auto [capacity, delta] = GetParam();
    ehm_config cfg = seeded_config(7, capacity);
    cfg.delta = delta;
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    expect_fills_without_rebuild(map.get(), capacity);
}

INSTANTIATE_TEST_SUITE_P(Lifecycle, CapacityHint,
                         ::testing::Combine(::testing::Values<uint64_t>(1, 2, 7, 64, 100, 1000,
                                                                        4096, 20000),
                                            ::testing::Values(EHM_DEFAULT_DELTA, 0.01, 0.1, 0.5)));

} // namespace
