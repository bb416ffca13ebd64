// Keys and values that point into the map they are given: every mutating call
// reads its arguments before it changes or frees anything they may point to.
// Each test crosses every growth point of a map (and same-size rebuilds under
// churn) with arguments borrowed from the map itself, for inline and node
// layouts; under AddressSanitizer a read of freed memory fails the run.
#include "capi_util.hpp"

#include <tuple>

namespace {

using namespace ehmtest;

// How the aliased insertion is made.
enum class Op { put, insert, upsert, exchange };

const char *op_name(Op op) {
    switch (op) {
    case Op::put:
        return "put";
    case Op::insert:
        return "insert";
    case Op::upsert:
        return "upsert";
    case Op::exchange:
        return "exchange";
    }
    return "?";
}

struct Sizes {
    uint32_t key_size;   // 0: variable (keys of kVariableKey bytes)
    uint32_t value_size; // 0: variable (values of kVariableValue bytes)
};

constexpr size_t kVariableKey = 8;
constexpr size_t kVariableValue = 24;

// inline4/8/16 and inline_any keys, inline entries; node entries with fixed
// and with variable sizes.
const Sizes kLayouts[] = {{4, 4}, {8, 8}, {16, 16}, {12, 20}, {8, 200}, {0, 0}, {8, 0}};

size_t key_len(const Sizes &s) {
    return s.key_size != 0 ? s.key_size : kVariableKey;
}
size_t value_len(const Sizes &s) {
    return s.value_size != 0 ? s.value_size : kVariableValue;
}

// Entry k maps fixed_blob(k) to fixed_blob(k + 1): the first key_len bytes of
// every value are the next key, so a view of entry k's value is a pointer
// into the map that names a key not yet present.
class Aliasing : public ::testing::TestWithParam<std::tuple<Sizes, Op>> {
protected:
    void SetUp() override {
        const Sizes s = std::get<0>(GetParam());
        if (op() == Op::upsert && s.value_size == 0) GTEST_SKIP() << "upsert needs a value_size";
        ehm_config cfg = seeded_config(14);
        cfg.key_size = s.key_size;
        cfg.value_size = s.value_size;
        map_ = make_map(cfg);
        ASSERT_NE(map_, nullptr);
        kl_ = key_len(s);
        vl_ = value_len(s);
        const std::string k = fixed_blob(0, kl_), v = fixed_blob(1, vl_);
        ASSERT_EQ(ehm_put(m(), k.data(), kl_, v.data(), vl_), EHM_OK);
    }

    ehm_map *m() { return map_.get(); }
    Op op() const { return std::get<1>(GetParam()); }

    const void *value_view(uint64_t k) {
        const std::string key = fixed_blob(k, kl_);
        const void *value = nullptr;
        size_t len = 0;
        EXPECT_EQ(ehm_get(m(), key.data(), kl_, &value, &len), EHM_OK) << "entry " << k;
        EXPECT_EQ(len, vl_);
        return value;
    }

    // Inserts key `view[0..kl)` with value `value[0..vl)` by op(); for
    // upsert the value is written through the pointer it hands back.
    int insert_new(const void *key, const void *value) {
        switch (op()) {
        case Op::put:
            return ehm_put(m(), key, kl_, value, vl_);
        case Op::insert:
            return ehm_insert(m(), key, kl_, value, vl_);
        case Op::upsert: {
            // ehm_upsert takes no value: the caller's view of one is stale
            // once the call may have rebuilt, so it is copied first.
            const std::string bytes(static_cast<const char *>(value), vl_);
            void *slot = nullptr;
            int inserted = -1;
            const int rc = ehm_upsert(m(), key, kl_, &slot, &inserted);
            if (rc != EHM_OK) return rc;
            EXPECT_EQ(inserted, 1);
            const std::string zeros(vl_, '\0');
            EXPECT_EQ(std::memcmp(slot, zeros.data(), vl_), 0) << "a new value starts zeroed";
            std::memcpy(slot, bytes.data(), vl_);
            return rc;
        }
        case Op::exchange: {
            size_t old_len = 12345;
            const int rc = ehm_exchange(m(), key, kl_, value, vl_, nullptr, 0, &old_len);
            EXPECT_EQ(old_len, 12345u) << "an insertion reports no old value";
            return rc == 0 ? EHM_OK : (rc == 1 ? EHM_EXISTS : rc);
        }
        }
        return EHM_EINVAL;
    }

    // Inserts entry k + 1 with key and value both borrowed from entry k's
    // value, then gives it its own next key as its value.
    void chain_step(uint64_t k) {
        const void *view = value_view(k);
        ASSERT_EQ(insert_new(view, view), EHM_OK) << "entry " << k + 1;
        ASSERT_TRUE(holds(k + 1, k + 1));
        const std::string key = fixed_blob(k + 1, kl_), value = fixed_blob(k + 2, vl_);
        ASSERT_EQ(ehm_put(m(), key.data(), kl_, value.data(), vl_), EHM_OK);
    }

    bool holds(uint64_t k, uint64_t v) {
        return get(m(), fixed_blob(k, kl_)) == fixed_blob(v, vl_);
    }

    // Grows the map to `n` entries; `step(k)` inserts entry k + 1 from views.
    template <class Step>
    void grow_with(uint64_t n, const Step &step) {
        size_t capacity = ehm_capacity(m());
        int growths = 0;
        for (uint64_t k = 0; k + 1 < n; ++k) {
            step(k);
            ASSERT_TRUE(holds(k + 1, k + 2)) << "entry " << k + 1;
            ASSERT_EQ(ehm_size(m()), k + 2);
            if (ehm_capacity(m()) != capacity) ++growths;
            capacity = ehm_capacity(m());
        }
        EXPECT_GE(growths, 4);
        for (uint64_t k = 0; k < n; ++k) ASSERT_TRUE(holds(k, k + 1)) << "entry " << k;
    }

    MapPtr map_;
    size_t kl_ = 0, vl_ = 0;
};

constexpr uint64_t kEntries = 3000;

TEST_P(Aliasing, KeyFromTheMapAtEveryGrowth) {
    grow_with(kEntries, [&](uint64_t k) {
        const std::string value = fixed_blob(k + 2, vl_);
        ASSERT_EQ(insert_new(value_view(k), value.data()), EHM_OK) << "entry " << k + 1;
    });
}

TEST_P(Aliasing, ValueFromTheMapAtEveryGrowth) {
    grow_with(kEntries, [&](uint64_t k) {
        const std::string key = fixed_blob(k + 1, kl_), value = fixed_blob(k + 2, vl_);
        ASSERT_EQ(insert_new(key.data(), value_view(k)), EHM_OK) << "entry " << k + 1;
        ASSERT_TRUE(holds(k + 1, k + 1));
        ASSERT_EQ(ehm_put(m(), key.data(), kl_, value.data(), vl_), EHM_OK);
    });
}

TEST_P(Aliasing, KeyAndValueFromTheSameEntryAtEveryGrowth) {
    grow_with(kEntries, [&](uint64_t k) { chain_step(k); });
}

// Removals leave tombstones; the map rebuilds at its own size when they fill
// it, with the new key and value borrowed from the map.
TEST_P(Aliasing, KeyAndValueFromTheMapAtSameSizeRebuilds) {
    ASSERT_EQ(ehm_reserve(m(), 1000), EHM_OK);
    const size_t capacity = ehm_capacity(m());
    // Few enough that a rebuild keeps the size, enough that removals leave
    // more tombstones than insertions reuse.
    const uint64_t live = capacity * 2 / 5;
    for (uint64_t k = 0; k + 1 < live; ++k) chain_step(k);
    const uint64_t rebuilds = stats_of(m()).rebuilds;
    ASSERT_EQ(ehm_capacity(m()), capacity);
    uint64_t newest = live - 1, oldest = 0;
    while (stats_of(m()).rebuilds < rebuilds + 3) {
        ASSERT_LT(newest, 100 * capacity) << "no same-size rebuild";
        const std::string old_key = fixed_blob(oldest++, kl_);
        ASSERT_EQ(ehm_remove(m(), old_key.data(), kl_), EHM_OK);
        chain_step(newest++);
        ASSERT_EQ(ehm_size(m()), live);
    }
    EXPECT_EQ(ehm_capacity(m()), capacity);
    for (uint64_t k = oldest; k <= newest; ++k) ASSERT_TRUE(holds(k, k + 1)) << "entry " << k;
}

// Replacing a value with bytes from the map: its own value (same and other
// lengths for variable maps) and another entry's.
TEST_P(Aliasing, ReplaceWithValuesFromTheMap) {
    if (op() != Op::put && op() != Op::exchange) GTEST_SKIP() << "replaces nothing";
    for (uint64_t k = 0; k + 1 < 200; ++k) chain_step(k);
    for (uint64_t k = 1; k < 200; ++k) {
        const std::string key = fixed_blob(k, kl_);
        const void *own = value_view(k);
        std::vector<unsigned char> old(vl_);
        size_t old_len = 0;
        if (op() == Op::put) {
            ASSERT_EQ(ehm_put(m(), key.data(), kl_, own, vl_), EHM_OK);
        } else {
            ASSERT_EQ(
                ehm_exchange(m(), key.data(), kl_, own, vl_, old.data(), old.size(), &old_len), 1);
            ASSERT_EQ(old_len, vl_);
            EXPECT_EQ(std::string(old.begin(), old.end()), fixed_blob(k + 1, vl_));
        }
        ASSERT_TRUE(holds(k, k + 1));
        const void *other = value_view(k - 1);
        ASSERT_EQ(ehm_put(m(), key.data(), kl_, other, vl_), EHM_OK);
        ASSERT_EQ(get(m(), key), get(m(), fixed_blob(k - 1, kl_)));
        if (std::get<0>(GetParam()).value_size == 0) {
            // A shorter and a longer value taken from the entry's own node.
            const void *view = value_view(k);
            ASSERT_EQ(ehm_put(m(), key.data(), kl_, view, vl_ / 2), EHM_OK);
            const void *half = nullptr;
            size_t half_len = 0;
            ASSERT_EQ(ehm_get(m(), key.data(), kl_, &half, &half_len), EHM_OK);
            ASSERT_EQ(half_len, vl_ / 2);
            std::string twice(static_cast<const char *>(half), half_len);
            ASSERT_EQ(ehm_put(m(), key.data(), kl_, half, half_len), EHM_OK);
            EXPECT_EQ(get(m(), key), twice);
        }
        const std::string restore = fixed_blob(k + 1, vl_);
        ASSERT_EQ(ehm_put(m(), key.data(), kl_, restore.data(), vl_), EHM_OK);
    }
}

// Removing by the key view that ehm_next handed out, and by one inside the
// value of the entry being removed.
TEST_P(Aliasing, RemoveByKeysFromTheMap) {
    for (uint64_t k = 0; k + 1 < 500; ++k) chain_step(k);
    size_t cursor = 0;
    const void *key = nullptr;
    size_t len = 0;
    size_t removed = 0;
    while (ehm_next(m(), &cursor, &key, &len, nullptr, nullptr) == EHM_OK) {
        if (removed % 2 == 0) {
            ASSERT_EQ(ehm_remove(m(), key, len), EHM_OK);
        } else {
            std::vector<unsigned char> buf(vl_);
            size_t value_len = 0;
            ASSERT_EQ(ehm_remove_copy(m(), key, len, buf.data(), buf.size(), &value_len), EHM_OK);
            ASSERT_EQ(value_len, vl_);
        }
        ++removed;
    }
    EXPECT_EQ(removed, 500u);
    EXPECT_EQ(ehm_size(m()), 0u);
}

std::string name_of(const ::testing::TestParamInfo<std::tuple<Sizes, Op>> &info) {
    const Sizes s = std::get<0>(info.param);
    return "k" + std::to_string(s.key_size) + "_v" + std::to_string(s.value_size) + "_" +
           op_name(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Layouts, Aliasing,
                         ::testing::Combine(::testing::ValuesIn(kLayouts),
                                            ::testing::Values(Op::put, Op::insert, Op::upsert,
                                                              Op::exchange)),
                         name_of);

} // namespace
