// ehm_insert (1.2): inserts only an absent key; a present one is EHM_EXISTS
// with nothing changed.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

using Insert = SeededMapTest<21>;

int insert(ehm_map *map, const std::string &key, const std::string &value) {
    return ehm_insert(map, key.data(), key.size(), value.data(), value.size());
}

TEST_F(Insert, AbsentKeyIsInserted) {
    EXPECT_EQ(insert(m(), "alpha", "one"), EHM_OK);
    EXPECT_STREQ(ehm_last_error(), "");
    EXPECT_EQ(get(m(), "alpha"), std::string("one"));
    EXPECT_EQ(ehm_size(m()), 1u);
    EXPECT_EQ(insert(m(), "", ""), EHM_OK) << "the empty key and value";
    EXPECT_EQ(get(m(), ""), std::string());
}

TEST_F(Insert, PresentKeyIsExistsAndKeepsItsValue) {
    fill(m(), 100);
    const Snapshot before = snapshot(m());
    for (size_t i = 0; i < 100; ++i) {
        EXPECT_EQ(insert(m(), key_of(i), "other"), EHM_EXISTS) << i;
        EXPECT_STREQ(ehm_last_error(), "") << "EHM_EXISTS is an outcome, not a failure";
    }
    EXPECT_TRUE(unchanged(before, m()));
}

TEST_F(Insert, GrowsLikePut) {
    Contents expected;
    for (size_t i = 0; i < 5000; ++i) {
        ASSERT_EQ(insert(m(), key_of(i), value_of(i)), EHM_OK) << i;
        expected[key_of(i)] = value_of(i);
    }
    EXPECT_TRUE(holds_exactly(m(), expected));
    EXPECT_GT(stats_of(m()).rebuilds, 0u);
}

TEST_F(Insert, ReusesTheSlotOfARemovedKey) {
    fill(m(), 50);
    ASSERT_EQ(erase(m(), key_of(7)), EHM_OK);
    EXPECT_EQ(insert(m(), key_of(7), "back"), EHM_OK);
    EXPECT_EQ(get(m(), key_of(7)), std::string("back"));
    EXPECT_EQ(ehm_size(m()), 50u);
}

TEST(InsertArguments, BadArgumentsAreRejectedWithAMessage) {
    EXPECT_EQ(ehm_insert(nullptr, "k", 1, "v", 1), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_insert: map is NULL");
    MapPtr map = make_map(fixed_size_config(8, 4));
    ASSERT_NE(map, nullptr);
    const Snapshot before = snapshot(map.get());
    EXPECT_EQ(ehm_insert(map.get(), "1234", 4, "vvvv", 4), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_insert: key_len is 4 but the map's key_size is 8");
    EXPECT_EQ(ehm_insert(map.get(), "12345678", 8, "vv", 2), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_insert: value_len is 2 but the map's value_size is 4");
    EXPECT_EQ(ehm_insert(map.get(), nullptr, 8, "vvvv", 4), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(),
                 "ehm_insert: key is NULL with key_len 8; NULL is allowed only with length 0");
    EXPECT_TRUE(unchanged(before, map.get()));
}

TEST(InsertAllocation, NoMemoryChangesNothing) {
    TestAllocator alloc;
    const ehm_config cfg = default_config(alloc.get());
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    fill(map.get(), 30);
    const Snapshot before = snapshot(map.get());
    alloc.fail_always(true);
    EXPECT_EQ(insert(map.get(), "new key", "value"), EHM_ENOMEM);
    EXPECT_STREQ(ehm_last_error(), "ehm_insert: the allocator returned NULL; the map is unchanged");
    EXPECT_EQ(insert(map.get(), key_of(3), "value"), EHM_EXISTS)
        << "a present key allocates nothing";
    alloc.never_fail();
    EXPECT_TRUE(unchanged(before, map.get()));
}

} // namespace
