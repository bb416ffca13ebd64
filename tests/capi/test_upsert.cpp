// ehm_upsert (1.2): find or insert with a zeroed fixed-size value, and a
// writable pointer to it.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

uint64_t as_u64(const void *p) {
    uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Inline entries (8 + 8 bytes) and node entries (variable keys).
class Upsert : public ::testing::TestWithParam<uint32_t> {
protected:
    void SetUp() override {
        ehm_config cfg = seeded_config(22);
        cfg.key_size = GetParam();
        cfg.value_size = 8;
        map_ = make_map(cfg);
        ASSERT_NE(map_, nullptr);
    }
    std::string key(uint64_t i) const {
        return GetParam() != 0 ? fixed_blob(i, GetParam()) : key_of(i);
    }
    ehm_map *m() { return map_.get(); }
    MapPtr map_;
};

TEST_P(Upsert, InsertsAZeroedValueThenFindsIt) {
    const std::string k = key(1);
    void *value = nullptr;
    int inserted = -1;
    ASSERT_EQ(ehm_upsert(m(), k.data(), k.size(), &value, &inserted), EHM_OK);
    EXPECT_STREQ(ehm_last_error(), "");
    EXPECT_EQ(inserted, 1);
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(as_u64(value), 0u);
    const uint64_t seven = 7;
    std::memcpy(value, &seven, 8);
    void *again = nullptr;
    ASSERT_EQ(ehm_upsert(m(), k.data(), k.size(), &again, &inserted), EHM_OK);
    EXPECT_EQ(inserted, 0);
    EXPECT_EQ(again, value) << "no mutation in between: the same bytes";
    EXPECT_EQ(as_u64(again), 7u);
    EXPECT_EQ(ehm_size(m()), 1u);
    EXPECT_EQ(get(m(), k), std::string(reinterpret_cast<const char *>(&seven), 8));
}

TEST_P(Upsert, CountsInOneCall) {
    // Key i is counted i % 7 + 1 times, across many growths.
    for (int round = 0; round < 7; ++round) {
        for (uint64_t i = 0; i < 3000; ++i) {
            if (i % 7 < static_cast<uint64_t>(round)) continue;
            const std::string k = key(i);
            void *value = nullptr;
            ASSERT_EQ(ehm_upsert(m(), k.data(), k.size(), &value, nullptr), EHM_OK);
            uint64_t count = as_u64(value) + 1;
            std::memcpy(value, &count, 8);
        }
    }
    EXPECT_EQ(ehm_size(m()), 3000u);
    for (uint64_t i = 0; i < 3000; ++i) {
        const std::string k = key(i);
        const void *value = nullptr;
        ASSERT_EQ(ehm_get(m(), k.data(), k.size(), &value, nullptr), EHM_OK);
        EXPECT_EQ(as_u64(value), i % 7 + 1) << i;
    }
}

TEST_P(Upsert, InsertedMayBeNull) {
    const std::string k = key(3);
    void *value = nullptr;
    EXPECT_EQ(ehm_upsert(m(), k.data(), k.size(), &value, nullptr), EHM_OK);
    EXPECT_NE(value, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Layouts, Upsert, ::testing::Values(8u, 0u), [](const auto &info) {
    return info.param != 0 ? std::string("inline") : std::string("node");
});

TEST(UpsertArguments, VariableValuesAreRejected) {
    MapPtr map = make_map(seeded_config(1));
    ASSERT_NE(map, nullptr);
    void *value = reinterpret_cast<void *>(uintptr_t{0xBAD});
    int inserted = 5;
    EXPECT_EQ(ehm_upsert(map.get(), "k", 1, &value, &inserted), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_upsert: the map's value_size is 0 (variable-length "
                                   "values); ehm_upsert needs a fixed value_size");
    EXPECT_EQ(value, reinterpret_cast<void *>(uintptr_t{0xBAD}));
    EXPECT_EQ(inserted, 5);
    EXPECT_EQ(ehm_size(map.get()), 0u);
}

TEST(UpsertArguments, BadArgumentsAreRejectedWithAMessage) {
    void *value = nullptr;
    EXPECT_EQ(ehm_upsert(nullptr, "k", 1, &value, nullptr), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_upsert: map is NULL");
    MapPtr map = make_map(fixed_size_config(4, 8));
    ASSERT_NE(map, nullptr);
    EXPECT_EQ(ehm_upsert(map.get(), "1234", 4, nullptr, nullptr), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_upsert: value is NULL");
    EXPECT_EQ(ehm_upsert(map.get(), "123", 3, &value, nullptr), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_upsert: key_len is 3 but the map's key_size is 4");
    EXPECT_EQ(ehm_size(map.get()), 0u);
}

TEST(UpsertAllocation, NoMemoryChangesNothingAndLeavesValueUntouched) {
    TestAllocator alloc;
    ehm_config cfg = default_config(alloc.get());
    cfg.key_size = 8;
    cfg.value_size = 8;
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    // Fill up to the growth point, then fail the growth.
    uint64_t i = 0;
    for (;; ++i) {
        const size_t capacity = ehm_capacity(map.get());
        const std::string k = fixed_blob(i, 8);
        alloc.fail_always(true);
        void *value = reinterpret_cast<void *>(uintptr_t{0xBAD});
        int inserted = 5;
        const int rc = ehm_upsert(map.get(), k.data(), 8, &value, &inserted);
        alloc.never_fail();
        if (rc == EHM_OK) {
            ASSERT_EQ(ehm_capacity(map.get()), capacity);
            continue;
        }
        ASSERT_EQ(rc, EHM_ENOMEM);
        EXPECT_STREQ(ehm_last_error(),
                     "ehm_upsert: the allocator returned NULL; the map is unchanged");
        EXPECT_EQ(value, reinterpret_cast<void *>(uintptr_t{0xBAD}));
        EXPECT_EQ(inserted, 5);
        EXPECT_EQ(ehm_size(map.get()), i);
        EXPECT_EQ(ehm_contains(map.get(), k.data(), 8), 0);
        break;
    }
    EXPECT_GT(i, 0u);
}

} // namespace
