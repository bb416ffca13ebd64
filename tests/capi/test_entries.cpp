// put / get / remove / contains on variable-length and fixed-size maps.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

const void *const kSentinelPtr = reinterpret_cast<const void *>(uintptr_t{0x5EED});
const size_t kSentinelLen = 0xDEADBEEF;

using Entries = SeededMapTest<11>;

TEST_F(Entries, PutThenGetReturnsValue) {
    ASSERT_EQ(put(m(), "alpha", "one"), EHM_OK);
    const void *value = nullptr;
    size_t len = 0;
    ASSERT_EQ(ehm_get(m(), "alpha", 5, &value, &len), EHM_OK);
    ASSERT_EQ(len, 3u);
    EXPECT_EQ(std::memcmp(value, "one", 3), 0);
    EXPECT_EQ(ehm_size(m()), 1u);
}

TEST_F(Entries, PutExistingKeyReplacesValue) {
    ASSERT_EQ(put(m(), "k", "short"), EHM_OK);
    ASSERT_EQ(put(m(), "k", std::string(1000, 'L')), EHM_OK);
    EXPECT_EQ(ehm_size(m()), 1u);
    EXPECT_EQ(get(m(), "k"), std::string(1000, 'L'));
    ASSERT_EQ(put(m(), "k", "s"), EHM_OK);
    EXPECT_EQ(ehm_size(m()), 1u);
    EXPECT_EQ(get(m(), "k"), std::string("s"));
    ASSERT_EQ(put(m(), "k", ""), EHM_OK);
    EXPECT_EQ(get(m(), "k"), std::string());
}

TEST_F(Entries, GetAbsentKeyIsNotFoundAndLeavesOutputsUntouched) {
    fill(m(), 50);
    const void *value = kSentinelPtr;
    size_t len = kSentinelLen;
    EXPECT_EQ(ehm_get(m(), "absent", 6, &value, &len), EHM_NOTFOUND);
    EXPECT_EQ(value, kSentinelPtr);
    EXPECT_EQ(len, kSentinelLen);
}

TEST_F(Entries, GetOnEmptyMapIsNotFound) {
    const void *value = kSentinelPtr;
    size_t len = kSentinelLen;
    EXPECT_EQ(ehm_get(m(), "a", 1, &value, &len), EHM_NOTFOUND);
    EXPECT_EQ(ehm_get(m(), nullptr, 0, &value, &len), EHM_NOTFOUND);
    EXPECT_EQ(value, kSentinelPtr);
    EXPECT_EQ(len, kSentinelLen);
}

TEST_F(Entries, GetAcceptsNullOutputPointers) {
    ASSERT_EQ(put(m(), "key", "value"), EHM_OK);
    const void *value = kSentinelPtr;
    size_t len = kSentinelLen;
    EXPECT_EQ(ehm_get(m(), "key", 3, nullptr, nullptr), EHM_OK);
    EXPECT_EQ(ehm_get(m(), "key", 3, &value, nullptr), EHM_OK);
    ASSERT_NE(value, kSentinelPtr);
    EXPECT_EQ(std::memcmp(value, "value", 5), 0);
    EXPECT_EQ(ehm_get(m(), "key", 3, nullptr, &len), EHM_OK);
    EXPECT_EQ(len, 5u);
    EXPECT_EQ(ehm_get(m(), "nope", 4, nullptr, nullptr), EHM_NOTFOUND);
}

TEST_F(Entries, EmptyKeyIsARealKey) {
    EXPECT_EQ(ehm_contains(m(), nullptr, 0), 0);
    ASSERT_EQ(ehm_put(m(), nullptr, 0, "empty", 5), EHM_OK);
    EXPECT_EQ(ehm_size(m()), 1u);
    EXPECT_EQ(ehm_contains(m(), nullptr, 0), 1);
    // A non-NULL pointer with length 0 names the same empty key.
    const char buf[1] = {'x'};
    EXPECT_EQ(ehm_contains(m(), buf, 0), 1);
    EXPECT_EQ(get(m(), std::string()), std::string("empty"));
    ASSERT_EQ(ehm_put(m(), buf, 0, "again", 5), EHM_OK);
    EXPECT_EQ(ehm_size(m()), 1u);
    EXPECT_EQ(get(m(), std::string()), std::string("again"));
    // The empty key does not collide with short keys.
    EXPECT_EQ(ehm_contains(m(), "\0", 1), 0);
    EXPECT_EQ(ehm_remove(m(), nullptr, 0), EHM_OK);
    EXPECT_EQ(ehm_contains(m(), nullptr, 0), 0);
    EXPECT_EQ(ehm_size(m()), 0u);
}

TEST_F(Entries, EmptyValueIsARealValue) {
    ASSERT_EQ(ehm_put(m(), "k", 1, nullptr, 0), EHM_OK);
    const void *value = nullptr;
    size_t len = kSentinelLen;
    ASSERT_EQ(ehm_get(m(), "k", 1, &value, &len), EHM_OK);
    EXPECT_EQ(len, 0u);
    EXPECT_EQ(ehm_contains(m(), "k", 1), 1);
    ASSERT_EQ(ehm_put(m(), nullptr, 0, nullptr, 0), EHM_OK);
    EXPECT_EQ(ehm_size(m()), 2u);
    len = kSentinelLen;
    ASSERT_EQ(ehm_get(m(), nullptr, 0, nullptr, &len), EHM_OK);
    EXPECT_EQ(len, 0u);
}

TEST_F(Entries, KeysDifferingInLengthOrEmbeddedNulAreDistinct) {
    const std::vector<std::string> keys = {
        std::string(),        std::string("a"),       std::string("ab"),     std::string("abc"),
        std::string("\0", 1), std::string("\0\0", 2), std::string("a\0", 2), std::string("\0a", 2),
    };
    for (size_t i = 0; i < keys.size(); ++i) ASSERT_EQ(put(m(), keys[i], value_of(i)), EHM_OK);
    EXPECT_EQ(ehm_size(m()), keys.size());
    for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(get(m(), keys[i]), value_of(i)) << i;
}

TEST_F(Entries, MapCopiesKeyAndValue) {
    std::string key = "mutable-key", value = "mutable-value";
    ASSERT_EQ(put(m(), key, value), EHM_OK);
    std::fill(key.begin(), key.end(), 'X');
    std::fill(value.begin(), value.end(), 'Y');
    EXPECT_EQ(get(m(), "mutable-key"), std::string("mutable-value"));
    EXPECT_EQ(contains(m(), key), 0);
}

TEST_F(Entries, ViewSurvivesOtherLookups) {
    const Contents added = fill(m(), 200);
    const void *value = nullptr;
    size_t len = 0;
    ASSERT_EQ(ehm_get(m(), key_of(3).data(), key_of(3).size(), &value, &len), EHM_OK);
    for (size_t i = 0; i < 200; ++i) ASSERT_EQ(contains(m(), key_of(i)), 1);
    ASSERT_TRUE(holds_exactly(m(), added));
    ASSERT_EQ(len, value_of(3).size());
    EXPECT_EQ(std::memcmp(value, value_of(3).data(), len), 0);
}

TEST_F(Entries, LargeValuesRoundTrip) {
    std::string big(1 << 20, '\0');
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 + 7);
    std::string big_key(100000, 'k');
    big_key[5000] = 'q';
    ASSERT_EQ(put(m(), big_key, big), EHM_OK);
    EXPECT_EQ(get(m(), big_key), big);
    big_key[5000] = 'k';
    EXPECT_EQ(contains(m(), big_key), 0);
}

TEST_F(Entries, RemovePresentKey) {
    const Contents added = fill(m(), 100);
    ASSERT_EQ(erase(m(), key_of(42)), EHM_OK);
    EXPECT_EQ(ehm_size(m()), 99u);
    EXPECT_EQ(contains(m(), key_of(42)), 0);
    const void *value = kSentinelPtr;
    EXPECT_EQ(ehm_get(m(), key_of(42).data(), key_of(42).size(), &value, nullptr), EHM_NOTFOUND);
    EXPECT_EQ(value, kSentinelPtr);
    Contents rest = added;
    rest.erase(key_of(42));
    EXPECT_TRUE(holds_exactly(m(), rest));
}

TEST_F(Entries, RemoveAbsentKeyIsNotFound) {
    fill(m(), 10);
    EXPECT_EQ(erase(m(), "absent"), EHM_NOTFOUND);
    EXPECT_EQ(ehm_remove(m(), nullptr, 0), EHM_NOTFOUND);
    EXPECT_EQ(ehm_size(m()), 10u);
    ASSERT_EQ(erase(m(), key_of(1)), EHM_OK);
    EXPECT_EQ(erase(m(), key_of(1)), EHM_NOTFOUND);
    EXPECT_EQ(ehm_size(m()), 9u);
}

TEST_F(Entries, ReinsertAfterRemove) {
    fill(m(), 100);
    for (size_t i = 0; i < 100; i += 2) ASSERT_EQ(erase(m(), key_of(i)), EHM_OK);
    for (size_t i = 0; i < 100; i += 2) ASSERT_EQ(put(m(), key_of(i), "back"), EHM_OK);
    EXPECT_EQ(ehm_size(m()), 100u);
    for (size_t i = 0; i < 100; ++i) {
        EXPECT_EQ(get(m(), key_of(i)), i % 2 == 0 ? std::string("back") : value_of(i));
    }
}

TEST_F(Entries, ContainsReturnsExactlyOneOrZero) {
    ASSERT_EQ(put(m(), "here", "x"), EHM_OK);
    EXPECT_EQ(ehm_contains(m(), "here", 4), 1);
    EXPECT_EQ(ehm_contains(m(), "her", 3), 0);
    EXPECT_EQ(ehm_contains(m(), "there", 5), 0);
}

TEST_F(Entries, ChurnKeepsSizeConsistent) {
    Contents model;
    for (size_t round = 0; round < 20; ++round) {
        for (size_t i = 0; i < 500; ++i) {
            const size_t k = (i * 7 + round * 131) % 1500;
            if ((i + round) % 3 == 0) {
                const int rc = erase(m(), key_of(k));
                ASSERT_EQ(rc, model.erase(key_of(k)) ? EHM_OK : EHM_NOTFOUND);
            } else {
                const std::string v = value_of(k + round);
                ASSERT_EQ(put(m(), key_of(k), v), EHM_OK);
                model[key_of(k)] = v;
            }
        }
        ASSERT_TRUE(holds_exactly(m(), model)) << "round " << round;
    }
    EXPECT_EQ(contents_of(m()), model);
}

// ---- Fixed-size maps ----------------------------------------------------

class FixedSize : public ::testing::TestWithParam<std::pair<uint32_t, uint32_t>> {};

TEST_P(FixedSize, StoresExactLengthsAndRejectsOthers) {
    const auto [ks, vs] = GetParam();
    MapPtr map = make_map(fixed_size_config(ks, vs));
    ASSERT_NE(map, nullptr);
    Contents model;
    for (uint64_t i = 0; i < 1000; ++i) {
        const std::string k = fixed_blob(i, ks), v = fixed_blob(i * 3 + 1, vs);
        ASSERT_EQ(put(map.get(), k, v), EHM_OK) << i;
        model[k] = v;
    }
    ASSERT_TRUE(holds_exactly(map.get(), model));
    for (const auto &[k, v] : entries_in_order(map.get())) {
        EXPECT_EQ(k.size(), ks);
        EXPECT_EQ(v.size(), vs);
    }

    const std::string long_buf(ks + vs + 16, 'w');
    const std::string key = model.begin()->first, value = model.begin()->second;
    const Snapshot before = snapshot(map.get());
    for (size_t bad : {size_t{0}, size_t{ks} - 1, size_t{ks} + 1, size_t{ks} * 2}) {
        if (bad == ks) continue;
        EXPECT_EQ(ehm_put(map.get(), long_buf.data(), bad, value.data(), vs), EHM_EINVAL) << bad;
        EXPECT_EQ(ehm_get(map.get(), long_buf.data(), bad, nullptr, nullptr), EHM_EINVAL);
        EXPECT_EQ(ehm_contains(map.get(), long_buf.data(), bad), EHM_EINVAL);
        EXPECT_EQ(ehm_remove(map.get(), long_buf.data(), bad), EHM_EINVAL);
        size_t len = kSentinelLen;
        char buf[64];
        EXPECT_EQ(ehm_get_copy(map.get(), long_buf.data(), bad, buf, sizeof buf, &len), EHM_EINVAL);
        EXPECT_EQ(len, kSentinelLen);
        uint64_t probes = 12345;
        EXPECT_EQ(ehm_probe_count(map.get(), long_buf.data(), bad, &probes), EHM_EINVAL);
        EXPECT_EQ(probes, 12345u);
    }
    for (size_t bad : {size_t{0}, size_t{vs} - 1, size_t{vs} + 1, size_t{vs} * 2}) {
        if (bad == vs) continue;
        EXPECT_EQ(ehm_put(map.get(), key.data(), ks, long_buf.data(), bad), EHM_EINVAL) << bad;
        EXPECT_EQ(ehm_contains_value(map.get(), long_buf.data(), bad), EHM_EINVAL) << bad;
    }
    EXPECT_TRUE(unchanged(before, map.get()));

    EXPECT_EQ(ehm_contains_value(map.get(), value.data(), vs), 1);
    ASSERT_EQ(erase(map.get(), key), EHM_OK);
    EXPECT_EQ(ehm_size(map.get()), model.size() - 1);
}

INSTANTIATE_TEST_SUITE_P(Entries, FixedSize,
                         ::testing::Values(std::make_pair(8u, 8u), std::make_pair(5u, 3u),
                                           std::make_pair(1u, 1u), std::make_pair(4u, 64u),
                                           std::make_pair(24u, 2u)),
                         [](const auto &info) {
                             return "key" + std::to_string(info.param.first) + "_value" +
                                    std::to_string(info.param.second);
                         });

TEST(FixedKeyVariableValue, MixedModes) {
    MapPtr fk = make_map(fixed_size_config(4, 0));
    MapPtr fv = make_map(fixed_size_config(0, 4));
    ASSERT_NE(fk, nullptr);
    ASSERT_NE(fv, nullptr);
    EXPECT_EQ(put(fk.get(), "abcd", ""), EHM_OK);
    EXPECT_EQ(put(fk.get(), "abce", std::string(100, 'v')), EHM_OK);
    EXPECT_EQ(put(fk.get(), "abc", "x"), EHM_EINVAL);
    EXPECT_EQ(get(fk.get(), "abce"), std::string(100, 'v'));
    EXPECT_EQ(put(fv.get(), "", "1234"), EHM_OK);
    EXPECT_EQ(put(fv.get(), "a long key", "5678"), EHM_OK);
    EXPECT_EQ(put(fv.get(), "k", "123"), EHM_EINVAL);
    EXPECT_EQ(put(fv.get(), "k", ""), EHM_EINVAL);
    EXPECT_EQ(get(fv.get(), "a long key"), std::string("5678"));
    EXPECT_EQ(ehm_size(fk.get()), 2u);
    EXPECT_EQ(ehm_size(fv.get()), 2u);
}

} // namespace
