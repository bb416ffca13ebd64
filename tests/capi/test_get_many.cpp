// ehm_get_many: the same answers as ehm_get for every key layout and batch
// length, and bad input rejected before anything is written.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

const void *const kUntouchedValue = &kUntouchedValue;
const size_t kUntouchedLen = 0xDEADBEEF;
const int kUntouchedStatus = 12345;

// Distinct keys of `key_size` bytes (0: lengths 8..48), built from an index.
std::string key_bytes(uint32_t key_size, uint64_t i) {
    const size_t len = key_size != 0 ? key_size : 8 + i % 41;
    std::string k(len, '\0');
    for (size_t b = 0; b < len; ++b) k[b] = static_cast<char>((i * 131 + b * 7) >> (b % 3));
    std::memcpy(&k[0], &i, std::min<size_t>(len, 8)); // distinct: every key has 4 bytes or more
    return k;
}

struct Batch {
    std::vector<std::string> keys;
    std::vector<const void *> key_ptrs;
    std::vector<size_t> key_lens;
    std::vector<const void *> values;
    std::vector<size_t> value_lens;
    std::vector<int> statuses;

    explicit Batch(std::vector<std::string> k) : keys(std::move(k)) {
        for (const std::string &key : keys) {
            key_ptrs.push_back(key.data());
            key_lens.push_back(key.size());
        }
        values.assign(keys.size(), kUntouchedValue);
        value_lens.assign(keys.size(), kUntouchedLen);
        statuses.assign(keys.size(), kUntouchedStatus);
    }
    int run(const ehm_map *map) {
        return ehm_get_many(map, keys.size(), key_ptrs.data(), key_lens.data(), values.data(),
                            value_lens.data(), statuses.data());
    }
    bool untouched() const {
        for (size_t i = 0; i < keys.size(); ++i)
            if (values[i] != kUntouchedValue || value_lens[i] != kUntouchedLen ||
                statuses[i] != kUntouchedStatus)
                return false;
        return true;
    }
};

// Every answer of one call agrees with ehm_get for the same key.
void expect_same_as_get(const ehm_map *map, const Batch &batch) {
    for (size_t i = 0; i < batch.keys.size(); ++i) {
        const void *value = kUntouchedValue;
        size_t len = kUntouchedLen;
        const int single = ehm_get(map, batch.key_ptrs[i], batch.key_lens[i], &value, &len);
        ASSERT_EQ(batch.statuses[i], single) << "key " << i;
        EXPECT_EQ(batch.values[i], value) << "key " << i;
        EXPECT_EQ(batch.value_lens[i], len) << "key " << i;
    }
}

class GetMany : public ::testing::TestWithParam<std::pair<uint32_t, uint32_t>> {};

// Half of the keys present, interleaved with absent ones, over lengths that
// cross the internal batch (16) and chunk (64) sizes.
TEST_P(GetMany, AgreesWithGetForHitsAndMisses) {
    const auto [key_size, value_size] = GetParam();
    MapPtr map = make_map(fixed_size_config(key_size, value_size));
    ASSERT_TRUE(map);
    const uint64_t n = 3000;
    for (uint64_t i = 0; i < n; i += 2) {
        const std::string key = key_bytes(key_size, i);
        const std::string value(value_size != 0 ? value_size : i % 9, static_cast<char>(i));
        ASSERT_EQ(ehm_put(map.get(), key.data(), key.size(), value.data(), value.size()), EHM_OK);
    }
    for (size_t count :
         {size_t{1}, size_t{15}, size_t{16}, size_t{17}, size_t{64}, size_t{65}, size_t{n}}) {
        std::vector<std::string> keys;
        for (uint64_t i = 0; i < count; ++i) keys.push_back(key_bytes(key_size, i));
        Batch batch(keys);
        ASSERT_EQ(batch.run(map.get()), EHM_OK) << count;
        ASSERT_NO_FATAL_FAILURE(expect_same_as_get(map.get(), batch)) << count;
        const auto hits = std::count(batch.statuses.begin(), batch.statuses.end(), EHM_OK);
        EXPECT_EQ(static_cast<size_t>(hits), (count + 1) / 2) << count;
    }
}

INSTANTIATE_TEST_SUITE_P(Layouts, GetMany,
                         ::testing::Values(std::make_pair(8u, 8u), std::make_pair(4u, 4u),
                                           std::make_pair(16u, 8u), std::make_pair(12u, 20u),
                                           std::make_pair(200u, 8u), std::make_pair(0u, 0u),
                                           std::make_pair(8u, 0u)));

TEST(GetManyInput, NullOutputsAreAllowedAndStatusesStillSet) {
    MapPtr map = make_map();
    ASSERT_TRUE(map);
    ASSERT_EQ(put(map.get(), "here", "value"), EHM_OK);
    const char *keys[] = {"here", "gone"};
    const void *ptrs[] = {keys[0], keys[1]};
    const size_t lens[] = {4, 4};
    int statuses[] = {kUntouchedStatus, kUntouchedStatus};
    ASSERT_EQ(ehm_get_many(map.get(), 2, ptrs, lens, nullptr, nullptr, statuses), EHM_OK);
    EXPECT_EQ(statuses[0], EHM_OK);
    EXPECT_EQ(statuses[1], EHM_NOTFOUND);
}

TEST(GetManyInput, ZeroKeysIsANoOpEvenWithNullArrays) {
    MapPtr map = make_map();
    ASSERT_TRUE(map);
    EXPECT_EQ(ehm_get_many(map.get(), 0, nullptr, nullptr, nullptr, nullptr, nullptr), EHM_OK);
    EXPECT_EQ(ehm_get_many(nullptr, 0, nullptr, nullptr, nullptr, nullptr, nullptr), EHM_EINVAL);
}

TEST(GetManyInput, MissingArraysAreRejected) {
    MapPtr map = make_map();
    ASSERT_TRUE(map);
    Batch batch({"a", "b"});
    const size_t n = batch.keys.size();
    EXPECT_EQ(ehm_get_many(nullptr, n, batch.key_ptrs.data(), batch.key_lens.data(),
                           batch.values.data(), batch.value_lens.data(), batch.statuses.data()),
              EHM_EINVAL);
    EXPECT_EQ(ehm_get_many(map.get(), n, nullptr, batch.key_lens.data(), batch.values.data(),
                           batch.value_lens.data(), batch.statuses.data()),
              EHM_EINVAL);
    EXPECT_EQ(ehm_get_many(map.get(), n, batch.key_ptrs.data(), nullptr, batch.values.data(),
                           batch.value_lens.data(), batch.statuses.data()),
              EHM_EINVAL);
    EXPECT_EQ(ehm_get_many(map.get(), n, batch.key_ptrs.data(), batch.key_lens.data(),
                           batch.values.data(), batch.value_lens.data(), nullptr),
              EHM_EINVAL);
    EXPECT_TRUE(batch.untouched());
}

// One bad key anywhere fails the whole call, and no answer is written, not
// even for the good keys before it.
TEST(GetManyInput, ABadKeyFailsTheCallBeforeAnythingIsWritten) {
    MapPtr map = make_map(fixed_size_config(8, 8));
    ASSERT_TRUE(map);
    const uint64_t present = 7;
    ASSERT_EQ(ehm_put(map.get(), &present, 8, &present, 8), EHM_OK);
    std::vector<std::string> keys(100, std::string(reinterpret_cast<const char *>(&present), 8));
    for (size_t bad_at : {size_t{0}, size_t{50}, size_t{99}}) {
        Batch wrong_length(keys);
        wrong_length.key_lens[bad_at] = 4;
        EXPECT_EQ(wrong_length.run(map.get()), EHM_EINVAL) << bad_at;
        EXPECT_TRUE(wrong_length.untouched()) << bad_at;

        Batch null_data(keys);
        null_data.key_ptrs[bad_at] = nullptr;
        EXPECT_EQ(null_data.run(map.get()), EHM_EINVAL) << bad_at;
        EXPECT_TRUE(null_data.untouched()) << bad_at;
    }
    MapPtr variable = make_map();
    ASSERT_TRUE(variable);
    Batch too_long(keys);
    too_long.key_lens[60] = SIZE_MAX;
    EXPECT_EQ(too_long.run(variable.get()), EHM_ETOOBIG);
    EXPECT_TRUE(too_long.untouched());
}

} // namespace
