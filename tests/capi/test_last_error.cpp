// ehm_last_error (1.2): why this thread's last call failed, naming the
// argument and the expected and given values; "" after a call that did not
// fail, and after the outcomes EHM_NOTFOUND, EHM_ITEROVER and EHM_EXISTS.
#include "capi_util.hpp"

#include <cmath>
#include <limits>
#include <thread>

namespace {

using namespace ehmtest;

std::string last() {
    return ehm_last_error();
}

TEST(LastError, EmptyOnAFreshThread) {
    std::string seen = "unset";
    std::thread([&] { seen = ehm_last_error(); }).join();
    EXPECT_EQ(seen, "");
}

TEST(LastError, ClearedByTheNextCallThatDoesNotFail) {
    MapPtr map = make_map(fixed_size_config(8, 8));
    ASSERT_NE(map, nullptr);
    EXPECT_EQ(ehm_put(map.get(), "abc", 3, "12345678", 8), EHM_EINVAL);
    EXPECT_NE(last(), "");
    EXPECT_EQ(ehm_put(map.get(), "abcdefgh", 8, "12345678", 8), EHM_OK);
    EXPECT_EQ(last(), "");
    EXPECT_EQ(ehm_put(map.get(), "abc", 3, "12345678", 8), EHM_EINVAL);
    EXPECT_EQ(ehm_get(map.get(), "abcdefgh", 8, nullptr, nullptr), EHM_OK);
    EXPECT_EQ(last(), "") << "a lookup clears it too";
    EXPECT_EQ(ehm_put(map.get(), "abc", 3, "12345678", 8), EHM_EINVAL);
    EXPECT_EQ(ehm_size(map.get()), 1u);
    EXPECT_EQ(last(), "") << "every ehm_* call but the describing ones";
}

TEST(LastError, DescribingCallsKeepIt) {
    EXPECT_EQ(ehm_create(nullptr, nullptr), EHM_EINVAL);
    const std::string message = last();
    EXPECT_EQ(message, "ehm_create: out is NULL");
    ehm_strerror(EHM_EINVAL);
    ehm_version();
    ehm_version_string();
    EXPECT_EQ(last(), message);
    EXPECT_EQ(last(), message) << "reading it does not clear it";
}

TEST(LastError, OutcomesAreNotFailures) {
    MapPtr map = make_map(seeded_config(3));
    ASSERT_NE(map, nullptr);
    ASSERT_EQ(put(map.get(), "k", "v"), EHM_OK);
    EXPECT_EQ(ehm_put(nullptr, "k", 1, "v", 1), EHM_EINVAL);
    EXPECT_EQ(ehm_get(map.get(), "absent", 6, nullptr, nullptr), EHM_NOTFOUND);
    EXPECT_EQ(last(), "");
    EXPECT_EQ(ehm_put(nullptr, "k", 1, "v", 1), EHM_EINVAL);
    EXPECT_EQ(ehm_remove(map.get(), "absent", 6), EHM_NOTFOUND);
    EXPECT_EQ(last(), "");
    EXPECT_EQ(ehm_put(nullptr, "k", 1, "v", 1), EHM_EINVAL);
    EXPECT_EQ(ehm_insert(map.get(), "k", 1, "w", 1), EHM_EXISTS);
    EXPECT_EQ(last(), "");
    EXPECT_EQ(ehm_put(nullptr, "k", 1, "v", 1), EHM_EINVAL);
    size_t cursor = 0;
    EXPECT_EQ(ehm_next(map.get(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_OK);
    EXPECT_EQ(ehm_next(map.get(), &cursor, nullptr, nullptr, nullptr, nullptr), EHM_ITEROVER);
    EXPECT_EQ(last(), "");
}

TEST(LastError, PerThread) {
    EXPECT_EQ(ehm_put(nullptr, "k", 1, "v", 1), EHM_EINVAL);
    const std::string mine = last();
    std::string theirs;
    std::thread([&] {
        MapPtr map = make_map(fixed_size_config(4, 4));
        EXPECT_EQ(ehm_get(map.get(), "12", 2, nullptr, nullptr), EHM_EINVAL);
        theirs = ehm_last_error();
    }).join();
    EXPECT_EQ(mine, "ehm_put: map is NULL");
    EXPECT_EQ(theirs, "ehm_get: key_len is 2 but the map's key_size is 4");
    EXPECT_EQ(last(), mine);
}

TEST(LastError, ConfigMessagesNameTheFieldAndItsRange) {
    ehm_config cfg;
    ehm_config_init(&cfg);
    ehm_map *out = nullptr;
    cfg.struct_size = 0;
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_create: cfg->struct_size is 0, below the smallest layout (48 bytes); "
                      "ehm_config_init fills it");
    ehm_config_init(&cfg);
    cfg.delta = 1.5;
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_create: cfg->delta is 1.5; it must lie in (0, 1)");
    cfg.delta = std::nan("");
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_create: cfg->delta is nan; it must lie in (0, 1)");
    ehm_config_init(&cfg);
    cfg.flags = 6;
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_create: cfg->flags is 0x6; the known bits are EHM_FLAG_FIXED_SEED "
                      "(0x1) and EHM_FLAG_NO_HUGE_PAGES (0x2)");
    ehm_config_init(&cfg);
    cfg.capacity = std::numeric_limits<uint64_t>::max();
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_ETOOBIG);
    EXPECT_EQ(last(), "ehm_create: cfg->capacity is 18446744073709551615, beyond the largest "
                      "supported capacity");
    ehm_config_init(&cfg);
    ehm_allocator half{};
    cfg.allocator = &half;
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_create: cfg->allocator->alloc is NULL");
    EXPECT_EQ(out, nullptr);
}

TEST(LastError, NewerStructTailIsNamed) {
    struct {
        ehm_config cfg;
        unsigned char tail[8];
    } newer;
    std::memset(&newer, 0, sizeof newer);
    ehm_config_init(&newer.cfg);
    newer.cfg.struct_size = sizeof newer;
    newer.tail[2] = 1;
    ehm_map *out = nullptr;
    EXPECT_EQ(ehm_create(&out, &newer.cfg), EHM_EVERSION);
    const std::string expected = "ehm_create: cfg->struct_size is " + std::to_string(sizeof newer) +
                                 " and byte " + std::to_string(sizeof(ehm_config) + 2) +
                                 " is non-zero, beyond the " + std::to_string(sizeof(ehm_config)) +
                                 " bytes this library knows";
    EXPECT_EQ(last(), expected);

    MapPtr map = make_map(seeded_config(1));
    ehm_stats stats{};
    stats.struct_size = 8;
    EXPECT_EQ(ehm_stats_get(map.get(), &stats), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_stats_get: out->struct_size is 8, below the smallest layout (80 "
                      "bytes); set it to sizeof(ehm_stats)");
}

TEST(LastError, EntryMessagesNameTheArgument) {
    MapPtr map = make_map(fixed_size_config(8, 16));
    ASSERT_NE(map, nullptr);
    const std::string k = fixed_blob(1, 8), v = fixed_blob(1, 16);
    EXPECT_EQ(ehm_put(map.get(), k.data(), 8, v.data(), 15), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_put: value_len is 15 but the map's value_size is 16");
    EXPECT_EQ(ehm_remove(map.get(), k.data(), 9), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_remove: key_len is 9 but the map's key_size is 8");
    EXPECT_EQ(ehm_contains(map.get(), nullptr, 8), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_contains: key is NULL with key_len 8; NULL is allowed only with "
                      "length 0");
    EXPECT_EQ(ehm_contains_value(map.get(), v.data(), 3), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_contains_value: value_len is 3 but the map's value_size is 16");
    ASSERT_EQ(ehm_put(map.get(), k.data(), 8, v.data(), 16), EHM_OK);
    char buf[4];
    size_t len = 0;
    EXPECT_EQ(ehm_get_copy(map.get(), k.data(), 8, buf, sizeof buf, &len), EHM_ERANGE);
    EXPECT_EQ(last(), "ehm_get_copy: buf_len is 4 but the value is 16 bytes");
    EXPECT_EQ(ehm_get_copy(map.get(), k.data(), 8, buf, sizeof buf, nullptr), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_get_copy: value_len is NULL");
    const void *keys[2] = {k.data(), k.data()};
    const size_t lens[2] = {8, 7};
    int statuses[2];
    EXPECT_EQ(ehm_get_many(map.get(), 2, keys, lens, nullptr, nullptr, statuses), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_get_many: key_lens[1] is 7 but the map's key_size is 8");
    EXPECT_EQ(ehm_get_many(map.get(), 2, keys, lens, nullptr, nullptr, nullptr), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_get_many: statuses is NULL");
    EXPECT_EQ(ehm_next(map.get(), nullptr, nullptr, nullptr, nullptr, nullptr), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_next: cursor is NULL");
    EXPECT_EQ(ehm_probe_count(map.get(), k.data(), 8, nullptr), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_probe_count: probes is NULL");
    EXPECT_EQ(ehm_equal(map.get(), nullptr), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_equal: b is NULL");
    EXPECT_EQ(ehm_clone(nullptr, map.get()), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_clone: out is NULL");
    EXPECT_EQ(ehm_clear(nullptr), EHM_EINVAL);
    EXPECT_EQ(last(), "ehm_clear: map is NULL");
}

TEST(LastError, CapacityAndMemoryFailures) {
    MapPtr map = make_map(seeded_config(5));
    ASSERT_NE(map, nullptr);
    EXPECT_EQ(ehm_reserve(map.get(), std::numeric_limits<size_t>::max()), EHM_ETOOBIG);
    EXPECT_EQ(last(), "ehm_reserve: entries is " +
                          std::to_string(std::numeric_limits<size_t>::max()) +
                          ", beyond the largest supported capacity; the map is unchanged");
    TestAllocator alloc;
    const ehm_config cfg = default_config(alloc.get());
    MapPtr counted = make_map(cfg);
    ASSERT_NE(counted, nullptr);
    alloc.fail_always(true);
    EXPECT_EQ(put(counted.get(), "k", "v"), EHM_ENOMEM);
    EXPECT_EQ(last(), "ehm_put: the allocator returned NULL; the map is unchanged");
    ehm_map *copy = nullptr;
    EXPECT_EQ(ehm_clone(&copy, counted.get()), EHM_ENOMEM);
    EXPECT_EQ(last(), "ehm_clone: the allocator returned NULL; *out is NULL");
    EXPECT_EQ(copy, nullptr);
    ehm_config failing = default_config(alloc.get());
    ehm_map *created = sentinel_map();
    EXPECT_EQ(ehm_create(&created, &failing), EHM_ENOMEM);
    EXPECT_EQ(last(), "ehm_create: the allocator returned NULL; *out is NULL");
    EXPECT_EQ(created, nullptr);
    alloc.never_fail();
}

} // namespace
