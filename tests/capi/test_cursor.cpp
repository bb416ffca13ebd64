// Cursor misuse: a cursor made before an insertion, a rebuild or a clear is
// refused with EHM_EINVAL and an ehm_last_error message, instead of silently
// skipping or repeating entries. Removals, and replacing a value, keep it.
#include "capi_util.hpp"

#include <limits>

namespace {

using namespace ehmtest;

using Cursor = SeededMapTest<31>;

// Advances the cursor over `steps` entries.
size_t advanced(const ehm_map *map, size_t steps) {
    size_t cursor = 0;
    for (size_t i = 0; i < steps; ++i)
        EXPECT_EQ(ehm_next(map, &cursor, nullptr, nullptr, nullptr, nullptr), EHM_OK);
    return cursor;
}

TEST_F(Cursor, AnInsertionInvalidatesIt) {
    fill(m(), 100);
    size_t cursor = advanced(m(), 10);
    ASSERT_EQ(put(m(), "new key", "v"), EHM_OK);
    const size_t before = cursor;
    const void *key = nullptr;
    EXPECT_EQ(ehm_next(m(), &cursor, &key, nullptr, nullptr, nullptr), EHM_EINVAL);
    EXPECT_EQ(cursor, before) << "nothing written";
    EXPECT_EQ(key, nullptr);
    const std::string message = ehm_last_error();
    EXPECT_EQ(message.rfind("ehm_next: *cursor carries generation tag ", 0), 0u) << message;
    EXPECT_NE(message.find("start again with *cursor = 0"), std::string::npos) << message;
    cursor = 0;
    EXPECT_EQ(entries_in_order(m()).size(), 101u) << "a fresh cursor walks the map";
}

TEST_F(Cursor, InsertAndUpsertOfANewKeyInvalidateIt) {
    fill(m(), 50);
    size_t cursor = advanced(m(), 5);
    ASSERT_EQ(ehm_insert(m(), "k", 1, "v", 1), EHM_OK);
    EXPECT_EQ(ehm_next(m(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_EINVAL);
    cursor = advanced(m(), 5);
    ASSERT_EQ(ehm_insert(m(), "k", 1, "w", 1), EHM_EXISTS);
    EXPECT_EQ(ehm_next(m(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_OK)
        << "EHM_EXISTS changed nothing";
}

TEST_F(Cursor, ClearAndRebuildsInvalidateIt) {
    fill(m(), 100);
    size_t cursor = advanced(m(), 3);
    ASSERT_EQ(ehm_reserve(m(), 100000), EHM_OK);
    EXPECT_EQ(ehm_next(m(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_EINVAL);
    cursor = advanced(m(), 3);
    ASSERT_EQ(ehm_clear(m()), EHM_OK);
    EXPECT_EQ(ehm_next(m(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_EINVAL);
}

TEST_F(Cursor, RemovalsAndReplacementsKeepIt) {
    const Contents added = fill(m(), 200);
    size_t cursor = 0, visited = 0;
    const void *key = nullptr;
    size_t key_len = 0;
    int rc;
    while ((rc = ehm_next(m(), &cursor, &key, &key_len, nullptr, nullptr)) == EHM_OK) {
        ++visited;
        const std::string k(static_cast<const char *>(key), key_len);
        if (visited % 3 == 0) {
            ASSERT_EQ(ehm_remove(m(), key, key_len), EHM_OK); // the entry just returned
        } else {
            ASSERT_EQ(put(m(), k, "replaced"), EHM_OK); // a present key: no insertion
        }
    }
    EXPECT_EQ(rc, EHM_ITEROVER);
    EXPECT_EQ(visited, 200u);
    EXPECT_EQ(ehm_size(m()), 200u - 200u / 3);
}

TEST_F(Cursor, FinishedAndOutOfRangeCursorsStayOver) {
    fill(m(), 10);
    size_t cursor = 0;
    while (ehm_next(m(), &cursor, nullptr, nullptr, nullptr, nullptr) == EHM_OK) {
    }
    EXPECT_EQ(ehm_next(m(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_ITEROVER);
    size_t far = std::numeric_limits<size_t>::max();
    EXPECT_EQ(ehm_next(m(), &far, nullptr, nullptr, nullptr, nullptr), EHM_ITEROVER);
    EXPECT_STREQ(ehm_last_error(), "");
}

} // namespace
