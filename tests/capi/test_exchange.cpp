// ehm_exchange and ehm_remove_copy (1.2): a put and a remove that hand back
// the value they replace or remove, with one lookup.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

using Exchange = SeededMapTest<23>;

int exchange(ehm_map *map, const std::string &key, const std::string &value, std::string &old) {
    char buf[512];
    size_t old_len = 0xBAD;
    const int rc = ehm_exchange(map, key.data(), key.size(), value.data(), value.size(), buf,
                                sizeof buf, &old_len);
    if (rc == 1) old.assign(buf, old_len);
    return rc;
}

TEST_F(Exchange, InsertsAnAbsentKeyAndReportsNoOldValue) {
    char buf[4] = {'x', 'x', 'x', 'x'};
    size_t old_len = 0xBAD;
    EXPECT_EQ(ehm_exchange(m(), "k", 1, "v", 1, buf, sizeof buf, &old_len), 0);
    EXPECT_STREQ(ehm_last_error(), "");
    EXPECT_EQ(old_len, 0xBADu);
    EXPECT_EQ(buf[0], 'x');
    EXPECT_EQ(get(m(), "k"), std::string("v"));
}

TEST_F(Exchange, ReplacesAPresentKeyAndHandsBackItsValue) {
    fill(m(), 100);
    std::string old;
    for (size_t i = 0; i < 100; ++i) {
        ASSERT_EQ(exchange(m(), key_of(i), "new" + std::to_string(i), old), 1) << i;
        EXPECT_EQ(old, value_of(i));
    }
    for (size_t i = 0; i < 100; ++i) EXPECT_EQ(get(m(), key_of(i)), "new" + std::to_string(i));
    EXPECT_EQ(ehm_size(m()), 100u);
}

TEST_F(Exchange, ShortBufferIsRangeAndChangesNothing) {
    ASSERT_EQ(put(m(), "k", "a fairly long value"), EHM_OK);
    const Snapshot before = snapshot(m());
    char buf[4];
    size_t old_len = 0;
    EXPECT_EQ(ehm_exchange(m(), "k", 1, "x", 1, buf, sizeof buf, &old_len), EHM_ERANGE);
    EXPECT_EQ(old_len, 19u);
    EXPECT_STREQ(ehm_last_error(), "ehm_exchange: old_buf_len is 4 but the value it would "
                                   "replace is 19 bytes; nothing changed");
    EXPECT_TRUE(unchanged(before, m()));
    old_len = 0;
    EXPECT_EQ(ehm_exchange(m(), "k", 1, "x", 1, nullptr, 0, &old_len), EHM_ERANGE);
    EXPECT_EQ(old_len, 19u);
    EXPECT_TRUE(unchanged(before, m()));
}

TEST_F(Exchange, BadArgumentsAreRejectedWithAMessage) {
    size_t old_len = 0;
    char buf[8];
    EXPECT_EQ(ehm_exchange(nullptr, "k", 1, "v", 1, buf, 8, &old_len), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_exchange: map is NULL");
    EXPECT_EQ(ehm_exchange(m(), "k", 1, "v", 1, buf, 8, nullptr), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_exchange: old_len is NULL");
    EXPECT_EQ(ehm_exchange(m(), "k", 1, "v", 1, nullptr, 8, &old_len), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_exchange: old_buf is NULL with old_buf_len 8; NULL is "
                                   "allowed only with length 0");
    EXPECT_EQ(ehm_exchange(m(), "k", 1, nullptr, 3, buf, 8, &old_len), EHM_EINVAL);
    EXPECT_STREQ(
        ehm_last_error(),
        "ehm_exchange: value is NULL with value_len 3; NULL is allowed only with length 0");
    EXPECT_EQ(ehm_size(m()), 0u);
}

using RemoveCopy = SeededMapTest<24>;

TEST_F(RemoveCopy, RemovesAndHandsBackTheValue) {
    const Contents added = fill(m(), 200);
    std::vector<char> buf(512);
    for (const auto &[k, v] : added) {
        size_t len = 0;
        ASSERT_EQ(ehm_remove_copy(m(), k.data(), k.size(), buf.data(), buf.size(), &len), EHM_OK);
        EXPECT_STREQ(ehm_last_error(), "");
        EXPECT_EQ(std::string(buf.data(), len), v);
        EXPECT_EQ(contains(m(), k), 0);
    }
    EXPECT_EQ(ehm_size(m()), 0u);
}

TEST_F(RemoveCopy, AbsentKeyIsNotFoundAndLeavesOutputsAlone) {
    fill(m(), 10);
    char buf[4] = {'x', 'x', 'x', 'x'};
    size_t len = 0xBAD;
    EXPECT_EQ(ehm_remove_copy(m(), "absent", 6, buf, sizeof buf, &len), EHM_NOTFOUND);
    EXPECT_STREQ(ehm_last_error(), "");
    EXPECT_EQ(len, 0xBADu);
    EXPECT_EQ(buf[0], 'x');
    EXPECT_EQ(ehm_size(m()), 10u);
}

TEST_F(RemoveCopy, ShortBufferIsRangeAndRemovesNothing) {
    ASSERT_EQ(put(m(), "k", "twelve bytes"), EHM_OK);
    const Snapshot before = snapshot(m());
    size_t len = 0;
    EXPECT_EQ(ehm_remove_copy(m(), "k", 1, nullptr, 0, &len), EHM_ERANGE);
    EXPECT_EQ(len, 12u);
    EXPECT_STREQ(ehm_last_error(),
                 "ehm_remove_copy: buf_len is 0 but the value is 12 bytes; nothing removed");
    EXPECT_TRUE(unchanged(before, m()));
    char buf[12];
    EXPECT_EQ(ehm_remove_copy(m(), "k", 1, buf, sizeof buf, &len), EHM_OK);
    EXPECT_EQ(std::string(buf, len), "twelve bytes");
}

TEST_F(RemoveCopy, BadArgumentsAreRejectedWithAMessage) {
    ASSERT_EQ(put(m(), "k", "v"), EHM_OK);
    char buf[8];
    size_t len = 0;
    EXPECT_EQ(ehm_remove_copy(nullptr, "k", 1, buf, 8, &len), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_remove_copy: map is NULL");
    EXPECT_EQ(ehm_remove_copy(m(), "k", 1, buf, 8, nullptr), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_remove_copy: value_len is NULL");
    EXPECT_EQ(ehm_remove_copy(m(), "k", 1, nullptr, 8, &len), EHM_EINVAL);
    EXPECT_STREQ(ehm_last_error(), "ehm_remove_copy: buf is NULL with buf_len 8; NULL is "
                                   "allowed only with length 0");
    EXPECT_EQ(ehm_size(m()), 1u);
}

} // namespace
