// ehm_config: defaults, struct_size versioning, delta, flags and seeds.
#include "capi_util.hpp"

#include <cmath>
#include <limits>

namespace {

using namespace ehmtest;

// A caller compiled against a newer header: the same prefix plus a tail.
struct NewerConfig {
    ehm_config cfg;
    unsigned char tail[24];
};

int try_create(const ehm_config &cfg, ehm_map **out) {
    *out = sentinel_map();
    return ehm_create(out, &cfg);
}

// Creating a map from `cfg` fails with `code` and leaves *out NULL.
void expect_create_fails(const ehm_config &cfg, int code) {
    ehm_map *out = nullptr;
    EXPECT_EQ(try_create(cfg, &out), code);
    EXPECT_EQ(out, nullptr);
}

TEST(Config, InitFillsDefaults) {
    ehm_config cfg;
    std::memset(&cfg, 0xAB, sizeof cfg);
    ehm_config_init(&cfg);
    EXPECT_EQ(cfg.struct_size, sizeof(ehm_config));
    EXPECT_EQ(cfg.flags, 0u);
    EXPECT_EQ(cfg.capacity, 0u);
    EXPECT_EQ(cfg.delta, EHM_DEFAULT_DELTA);
    EXPECT_EQ(cfg.key_size, 0u);
    EXPECT_EQ(cfg.value_size, 0u);
    EXPECT_EQ(cfg.allocator, nullptr);
}

TEST(Config, InitNullIsNoOp) {
    ehm_config_init(nullptr);
    SUCCEED();
}

TEST(Config, DefaultDeltaIsOneThirtySecond) {
    EXPECT_EQ(EHM_DEFAULT_DELTA, 1.0 / 32.0);
}

TEST(Config, NewerStructWithZeroTailIsAccepted) {
    NewerConfig n;
    std::memset(&n, 0, sizeof n);
    ehm_config_init(&n.cfg);
    n.cfg.struct_size = sizeof n;
    n.cfg.key_size = 4;
    ehm_map *out = nullptr;
    ASSERT_EQ(try_create(n.cfg, &out), EHM_OK);
    MapPtr map(out);
    ASSERT_NE(map, nullptr);
    // The known fields were honoured.
    EXPECT_EQ(put(map.get(), "abcd", "v"), EHM_OK);
    EXPECT_EQ(put(map.get(), "abc", "v"), EHM_EINVAL);
}

TEST(Config, NewerStructWithNonZeroTailIsVersionError) {
    for (size_t pos : {size_t{0}, size_t{7}, sizeof(NewerConfig::tail) - 1}) {
        NewerConfig n;
        std::memset(&n, 0, sizeof n);
        ehm_config_init(&n.cfg);
        n.cfg.struct_size = sizeof n;
        n.tail[pos] = 0x80;
        SCOPED_TRACE(pos);
        expect_create_fails(n.cfg, EHM_EVERSION);
    }
}

TEST(Config, OlderStructSizeIsInvalid) {
    for (uint32_t size : {0u, 4u, 8u, static_cast<uint32_t>(sizeof(ehm_config) - 8),
                          static_cast<uint32_t>(sizeof(ehm_config) - 1)}) {
        SCOPED_TRACE(size);
        ehm_config cfg = default_config();
        cfg.struct_size = size;
        expect_create_fails(cfg, EHM_EINVAL);
    }
}

TEST(Config, InvalidDeltas) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (double delta : {0.0, -0.0, 1.0, nan, -nan, -0.5, -1e-300, 1.5, 1.0000001, inf, -inf}) {
        SCOPED_TRACE(delta);
        ehm_config cfg = default_config();
        cfg.delta = delta;
        expect_create_fails(cfg, EHM_EINVAL);
    }
}

TEST(Config, UnknownFlagsAreInvalid) {
    for (uint32_t flags : {4u, 8u, 0x100u, 0x80000000u, EHM_FLAG_FIXED_SEED | 4u,
                           EHM_FLAG_FIXED_SEED | EHM_FLAG_NO_HUGE_PAGES | 0x40u, 0xFFFFFFFFu}) {
        SCOPED_TRACE(flags);
        ehm_config cfg = default_config();
        cfg.flags = flags;
        expect_create_fails(cfg, EHM_EINVAL);
    }
}

TEST(Config, UnrepresentableCapacityIsTooBig) {
    for (uint64_t cap : {UINT64_MAX, UINT64_MAX - 1, uint64_t{1} << 63, uint64_t{SIZE_MAX}}) {
        SCOPED_TRACE(cap);
        ehm_config cfg = default_config();
        cfg.capacity = cap;
        expect_create_fails(cfg, EHM_ETOOBIG);
    }
}

TEST(Config, AllocatorWithoutFunctionsIsInvalid) {
    TestAllocator alloc;
    ehm_allocator no_alloc = *alloc.get();
    no_alloc.alloc = nullptr;
    ehm_allocator no_free = *alloc.get();
    no_free.free = nullptr;
    for (const ehm_allocator *a : {&no_alloc, &no_free}) {
        expect_create_fails(default_config(a), EHM_EINVAL);
    }
}

class ValidDelta : public ::testing::TestWithParam<double> {};

TEST_P(ValidDelta, MapWorks) {
    ehm_config cfg = seeded_config(99);
    cfg.delta = GetParam();
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    Contents model = fill(map.get(), 3000);
    for (size_t i = 0; i < 3000; i += 4) {
        ASSERT_EQ(erase(map.get(), key_of(i)), EHM_OK);
        model.erase(key_of(i));
    }
    const Contents more = fill(map.get(), 1000, 3000);
    model.insert(more.begin(), more.end());
    EXPECT_TRUE(holds_exactly(map.get(), model));
    EXPECT_EQ(contents_of(map.get()), model);
    EXPECT_GE(ehm_capacity(map.get()), ehm_size(map.get()));
}

INSTANTIATE_TEST_SUITE_P(Config, ValidDelta,
                         ::testing::Values(0.001, 0.01, EHM_DEFAULT_DELTA, 0.1, 0.25, 0.5, 0.75,
                                           0.9, 0.99));

// ---- Seeds ------------------------------------------------------------------

// What a seed can influence from the outside: iteration order and the probe
// count of every key.
struct Layout {
    std::vector<std::string> order;
    std::vector<uint64_t> probes;
    bool operator==(const Layout &o) const { return order == o.order && probes == o.probes; }
};

Layout layout_of(const ehm_map *map, size_t probe_keys) {
    Layout l;
    for (auto &e : entries_in_order(map)) l.order.push_back(std::move(e.first));
    for (size_t i = 0; i < probe_keys; ++i) {
        uint64_t p = 0;
        const std::string k = key_of(i);
        (void)ehm_probe_count(map, k.data(), k.size(), &p);
        l.probes.push_back(p);
    }
    return l;
}

// The same sequence of calls on a map: fills close to the hinted capacity,
// then removes and re-adds, so that probe sequences and tombstones matter.
void run_sequence(ehm_map *map) {
    fill(map, 1900);
    for (size_t i = 0; i < 1900; i += 3) ASSERT_EQ(erase(map, key_of(i)), EHM_OK);
    fill(map, 2500, 1900);
    for (size_t i = 0; i < 300; ++i) ASSERT_EQ(put(map, key_of(i), "again"), EHM_OK);
}

// Makes *a from cfg_a and *b from cfg_b, then runs the sequence on both.
void make_two_and_run(const ehm_config &cfg_a, const ehm_config &cfg_b, MapPtr *a, MapPtr *b) {
    *a = make_map(cfg_a);
    *b = make_map(cfg_b);
    ASSERT_NE(*a, nullptr);
    ASSERT_NE(*b, nullptr);
    run_sequence(a->get());
    run_sequence(b->get());
}

TEST(Seed, FixedSeedIsReproducible) {
    const ehm_config cfg = seeded_config(0x1234567890ABCDEFull, 2000);
    MapPtr a, b;
    ASSERT_NO_FATAL_FAILURE(make_two_and_run(cfg, cfg, &a, &b));
    EXPECT_TRUE(layout_of(a.get(), 5000) == layout_of(b.get(), 5000));
    EXPECT_TRUE(same_stats(stats_of(a.get()), stats_of(b.get())));
}

TEST(Seed, FixedSeedIsReproducibleForFixedSizeMaps) {
    ehm_config cfg = seeded_config(42, 1000);
    cfg.key_size = 8;
    cfg.value_size = 8;
    MapPtr a = make_map(cfg);
    MapPtr b = make_map(cfg);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    for (uint64_t i = 0; i < 3000; ++i) {
        ASSERT_EQ(ehm_put(a.get(), &i, 8, &i, 8), EHM_OK);
        ASSERT_EQ(ehm_put(b.get(), &i, 8, &i, 8), EHM_OK);
    }
    const auto ea = entries_in_order(a.get());
    EXPECT_EQ(ea, entries_in_order(b.get()));
}

TEST(Seed, DifferentFixedSeedsGiveDifferentLayouts) {
    MapPtr a, b;
    ASSERT_NO_FATAL_FAILURE(
        make_two_and_run(seeded_config(1, 2000), seeded_config(2, 2000), &a, &b));
    EXPECT_FALSE(layout_of(a.get(), 5000) == layout_of(b.get(), 5000));
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 1);
}

TEST(Seed, SeedIsIgnoredWithoutTheFlag) {
    // Without EHM_FLAG_FIXED_SEED each map draws its own seed, so two maps
    // built alike still differ in layout.
    ehm_config cfg = default_config();
    cfg.seed = 77;
    cfg.capacity = 2000;
    MapPtr a, b;
    ASSERT_NO_FATAL_FAILURE(make_two_and_run(cfg, cfg, &a, &b));
    EXPECT_FALSE(layout_of(a.get(), 5000) == layout_of(b.get(), 5000));
    EXPECT_EQ(ehm_equal(a.get(), b.get()), 1);
    EXPECT_EQ(ehm_hash(a.get()), ehm_hash(b.get()));
}

TEST(Seed, DefaultMapsWork) {
    MapPtr a = make_map(nullptr);
    ASSERT_NE(a, nullptr);
    const Contents model = fill(a.get(), 10000);
    EXPECT_TRUE(holds_exactly(a.get(), model));
    EXPECT_EQ(contents_of(a.get()), model);
}

} // namespace
