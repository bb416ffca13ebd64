// Randomized model test: long random operation sequences run against an ehm map
// and a std::unordered_map side by side, with the map checked against the model
// after every call and in full at regular checkpoints.
#include <ehm/ehm.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "map_helpers.hpp"
#include "test_allocator.hpp"

namespace {

using ehm_test::stats_of;
using ehm_test::TestAllocator;

constexpr uint64_t kDefaultOps = 200000;
constexpr size_t kMaxBlobLength = 64;

uint64_t ops_from_environment() {
    const char *text = std::getenv("EHM_MODEL_OPS");
    if (text == nullptr || *text == '\0') {
        return kDefaultOps;
    }
    char *end = nullptr;
    const unsigned long long parsed = std::strtoull(text, &end, 10);
    return (end != nullptr && *end == '\0' && parsed > 0) ? parsed : kDefaultOps;
}

std::string hex(uint64_t x) {
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "0x%016" PRIx64, x);
    return buffer;
}

// SplitMix64: tiny, fast, and the same sequence on every platform, so a
// reported seed reproduces a failure anywhere.
class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    uint64_t below(uint64_t bound) { return next() % bound; }
    bool one_in(uint64_t n) { return below(n) == 0; }
    bool percent(uint64_t p) { return below(100) < p; }

private:
    uint64_t state_;
};

struct Blob {
    const void *data;
    size_t size;
};

// A non-NULL address for empty blobs: NULL and non-NULL with length 0 must
// mean the same empty blob.
const char kEmptyByte = 0;

// Variable-length keys and values of 0..64 bytes of arbitrary content.
struct VariableCodec {
    using Key = std::string;
    using Value = std::string;
    using KeyHash = std::hash<std::string>;
    static constexpr uint32_t kKeySize = 0;
    static constexpr uint32_t kValueSize = 0;

    static std::string random_blob(Rng &rng) {
        std::string blob(rng.below(kMaxBlobLength + 1), '\0');
        for (size_t i = 0; i < blob.size(); i += 8) {
            const uint64_t bits = rng.next();
            std::memcpy(&blob[i], &bits, std::min<size_t>(8, blob.size() - i));
        }
        return blob;
    }
    static Key random_key(Rng &rng) { return random_blob(rng); }
    static Value random_value(Rng &rng) { return random_blob(rng); }

    // Distinct for distinct counters: decimal digits, then a run of 'x' padding.
    static Key unique_key(uint64_t counter) {
        return "c" + std::to_string(counter) + std::string(counter % 40, 'x');
    }

    static Blob blob(const std::string &bytes, Rng &rng) {
        if (bytes.empty()) {
            return {rng.one_in(2) ? nullptr : &kEmptyByte, 0};
        }
        return {bytes.data(), bytes.size()};
    }

    static std::string from(const void *data, size_t size) {
        return size == 0 ? std::string() : std::string(static_cast<const char *>(data), size);
    }
    static Key key_from(const void *data, size_t size) { return from(data, size); }

    static bool same(const std::string &expected, const void *data, size_t size) {
        return expected.size() == size &&
               (size == 0 || std::memcmp(expected.data(), data, size) == 0);
    }

    static std::string describe(const std::string &bytes) {
        std::string text = std::to_string(bytes.size()) + " bytes [";
        static const char kDigits[] = "0123456789abcdef";
        for (size_t i = 0; i < bytes.size() && i < 16; ++i) {
            const auto byte = static_cast<unsigned char>(bytes[i]);
            text += kDigits[byte >> 4];
            text += kDigits[byte & 15];
        }
        return text + (bytes.size() > 16 ? "...]" : "]");
    }
};

// Fixed-size 8-byte keys and values.
struct FixedCodec {
    using Key = uint64_t;
    using Value = uint64_t;
    using KeyHash = std::hash<uint64_t>;
    static constexpr uint32_t kKeySize = 8;
    static constexpr uint32_t kValueSize = 8;

    static Key random_key(Rng &rng) { return rng.next(); }
    static Value random_value(Rng &rng) { return rng.next(); }

    // An odd multiplier is a bijection, so distinct counters give distinct keys.
    static Key unique_key(uint64_t counter) { return counter * 0x9E3779B97F4A7C15ULL + 7; }

    static Blob blob(const uint64_t &x, Rng &) { return {&x, sizeof x}; }

    static uint64_t from(const void *data, size_t) {
        uint64_t x;
        std::memcpy(&x, data, sizeof x);
        return x;
    }
    static Key key_from(const void *data, size_t size) { return from(data, size); }

    static bool same(uint64_t expected, const void *data, size_t size) {
        return size == sizeof expected && std::memcmp(&expected, data, size) == 0;
    }

    static std::string describe(uint64_t x) { return hex(x); }
};

struct RunConfig {
    uint64_t seed;
    uint64_t ops;
    uint64_t capacity;
    double delta;
    size_t key_pool_size;
    uint64_t fresh_key_percent; // puts that use a never-seen random key
    bool use_test_allocator;    // checks memory_bytes, at some cost in speed
};

template <typename Codec>
class ModelRun {
public:
    using Key = typename Codec::Key;
    using Value = typename Codec::Value;
    using Model = std::unordered_map<Key, Value, typename Codec::KeyHash>;

    explicit ModelRun(const RunConfig &config) : config_(config), rng_(config.seed) {}

    ~ModelRun() { ehm_destroy(map_); }

    ModelRun(const ModelRun &) = delete;
    ModelRun &operator=(const ModelRun &) = delete;

    void run() {
        ASSERT_NO_FATAL_FAILURE(set_up());
        for (op_index_ = 0; op_index_ < config_.ops; ++op_index_) {
            step();
            if (::testing::Test::HasFatalFailure()) {
                return;
            }
        }
        op_name_ = "final check";
        ASSERT_NO_FATAL_FAILURE(check_everything());
        ASSERT_NO_FATAL_FAILURE(tear_down());
    }

private:
    std::string where() const {
        return "seed=" + hex(config_.seed) + " op#" + std::to_string(op_index_) + " (" + op_name_ +
               ")";
    }

    void set_up() {
        op_name_ = "create";
        ehm_config cfg;
        ehm_config_init(&cfg);
        cfg.flags = EHM_FLAG_FIXED_SEED;
        cfg.seed = config_.seed;
        cfg.capacity = config_.capacity;
        cfg.delta = config_.delta;
        cfg.key_size = Codec::kKeySize;
        cfg.value_size = Codec::kValueSize;
        if (config_.use_test_allocator) {
            allocator_.reset(new TestAllocator());
            cfg.allocator = allocator_->get();
        }
        ASSERT_EQ(ehm_create(&map_, &cfg), EHM_OK) << where();

        key_pool_.reserve(config_.key_pool_size);
        if (Codec::kKeySize == 0) {
            key_pool_.push_back(Key()); // the empty key is always in play
        }
        while (key_pool_.size() < config_.key_pool_size) {
            key_pool_.push_back(Codec::random_key(rng_));
        }
        check_every_ = std::max<uint64_t>(1000, config_.ops / 100);
        whole_map_every_ = std::max<uint64_t>(1000, config_.ops / 60);
    }

    void tear_down() {
        ehm_destroy(map_);
        map_ = nullptr;
        if (allocator_) {
            EXPECT_EQ(allocator_->live_bytes(), 0u) << "leak after destroy";
            EXPECT_EQ(allocator_->bad_frees(), 0u);
        }
    }

    void step() {
        if (op_index_ % check_every_ == check_every_ - 1) {
            op_name_ = "checkpoint";
            check_everything();
            return;
        }
        if (op_index_ % whole_map_every_ == whole_map_every_ / 3) {
            op_name_ = "clone/equal/hash";
            check_clone();
            return;
        }
        if (op_index_ % whole_map_every_ == 2 * whole_map_every_ / 3) {
            op_name_ = "remove while iterating";
            filter_while_iterating();
            return;
        }
        if (op_index_ == config_.ops / 2 || rng_.one_in(400000)) {
            op_name_ = "clear";
            clear();
            return;
        }
        if (rng_.one_in(20000)) {
            op_name_ = "reserve";
            reserve();
            return;
        }
        if (model_.size() <= 64 && rng_.one_in(8)) {
            op_name_ = "contains_value";
            contains_value();
            return;
        }
        if (Codec::kKeySize != 0 && rng_.one_in(5000)) {
            op_name_ = "wrong length";
            wrong_length();
            return;
        }
        const uint64_t roll = rng_.below(100);
        if (roll < 35) {
            op_name_ = "put";
            put();
        } else if (roll < 55) {
            op_name_ = "get";
            get();
        } else if (roll < 65) {
            op_name_ = "get_copy";
            get_copy();
        } else if (roll < 75) {
            op_name_ = "contains";
            contains();
        } else {
            op_name_ = "remove";
            remove();
        }
    }

    // Mostly pool keys so that hits, updates and removes of present keys are
    // frequent; some recently inserted fresh keys; some keys never seen.
    Key lookup_key() {
        const uint64_t roll = rng_.below(100);
        if (roll < 85 || recent_fresh_.empty()) {
            return key_pool_[rng_.below(key_pool_.size())];
        }
        if (roll < 93) {
            return recent_fresh_[rng_.below(recent_fresh_.size())];
        }
        return Codec::random_key(rng_);
    }

    Key put_key() {
        if (rng_.percent(config_.fresh_key_percent)) {
            Key key = Codec::random_key(rng_);
            remember_fresh(key);
            return key;
        }
        return key_pool_[rng_.below(key_pool_.size())];
    }

    void remember_fresh(const Key &key) {
        constexpr size_t kRecent = 512;
        if (recent_fresh_.size() < kRecent) {
            recent_fresh_.push_back(key);
        } else {
            recent_fresh_[rng_.below(kRecent)] = key;
        }
    }

    void put() {
        const Key key = put_key();
        const Value value = Codec::random_value(rng_);
        const Blob k = Codec::blob(key, rng_);
        const Blob v = Codec::blob(value, rng_);
        ASSERT_EQ(ehm_put(map_, k.data, k.size, v.data, v.size), EHM_OK)
            << where() << " key " << Codec::describe(key);
        model_[key] = value;
        ASSERT_EQ(ehm_size(map_), model_.size()) << where();
        if (rng_.one_in(8)) {
            expect_lookup(key);
        }
    }

    void expect_lookup(const Key &key) {
        const Blob k = Codec::blob(key, rng_);
        const void *value = nullptr;
        size_t value_len = 0;
        auto expected = model_.find(key);
        if (expected == model_.end()) {
            ASSERT_EQ(ehm_get(map_, k.data, k.size, &value, &value_len), EHM_NOTFOUND)
                << where() << " key " << Codec::describe(key);
            return;
        }
        ASSERT_EQ(ehm_get(map_, k.data, k.size, &value, &value_len), EHM_OK)
            << where() << " key " << Codec::describe(key);
        ASSERT_TRUE(Codec::same(expected->second, value, value_len))
            << where() << " key " << Codec::describe(key) << " value "
            << Codec::describe(Codec::from(value, value_len)) << " expected "
            << Codec::describe(expected->second);
    }

    void get() {
        const Key key = lookup_key();
        const Blob k = Codec::blob(key, rng_);
        auto expected = model_.find(key);
        // The out-pointers may each be NULL; NOTFOUND must leave them untouched.
        const void *sentinel = &kEmptyByte;
        const void *value = sentinel;
        size_t value_len = 12345;
        const bool want_value = !rng_.one_in(8);
        const bool want_len = !rng_.one_in(8);
        const int status = ehm_get(map_, k.data, k.size, want_value ? &value : nullptr,
                                   want_len ? &value_len : nullptr);
        if (expected == model_.end()) {
            ASSERT_EQ(status, EHM_NOTFOUND) << where() << " key " << Codec::describe(key);
            ASSERT_EQ(value, sentinel) << where();
            ASSERT_EQ(value_len, 12345u) << where();
            return;
        }
        ASSERT_EQ(status, EHM_OK) << where() << " key " << Codec::describe(key);
        if (want_value && want_len) {
            ASSERT_TRUE(Codec::same(expected->second, value, value_len))
                << where() << " key " << Codec::describe(key);
        } else if (want_len) {
            ASSERT_EQ(value_len, expected_size(expected->second))
                << where() << " length only, key " << Codec::describe(key);
        }
    }

    static size_t expected_size(const std::string &value) { return value.size(); }
    static size_t expected_size(const uint64_t &) { return 8; }

    void get_copy() {
        constexpr size_t kBufferSize = kMaxBlobLength + 16;
        constexpr unsigned char kCanary = 0xA5;
        const Key key = lookup_key();
        const Blob k = Codec::blob(key, rng_);
        auto expected = model_.find(key);
        const size_t needed = expected == model_.end() ? 0 : expected_size(expected->second);

        size_t buf_len = kBufferSize;
        switch (rng_.below(4)) {
        case 0:
            buf_len = 0;
            break;
        case 1:
            buf_len = needed > 0 ? needed - 1 : 0;
            break;
        case 2:
            buf_len = needed;
            break;
        default:
            break;
        }
        unsigned char buffer[kBufferSize];
        std::memset(buffer, kCanary, sizeof buffer);
        size_t value_len = 12345;
        const int status =
            ehm_get_copy(map_, k.data, k.size, buf_len == 0 && rng_.one_in(2) ? nullptr : buffer,
                         buf_len, &value_len);

        size_t untouched_from = 0;
        if (expected == model_.end()) {
            ASSERT_EQ(status, EHM_NOTFOUND) << where() << " key " << Codec::describe(key);
            ASSERT_EQ(value_len, 12345u) << where();
        } else if (buf_len < needed) {
            ASSERT_EQ(status, EHM_ERANGE)
                << where() << " buf_len " << buf_len << " needed " << needed;
            ASSERT_EQ(value_len, needed) << where();
        } else {
            ASSERT_EQ(status, EHM_OK) << where() << " key " << Codec::describe(key);
            ASSERT_EQ(value_len, needed) << where();
            ASSERT_TRUE(Codec::same(expected->second, buffer, value_len)) << where();
            untouched_from = needed;
        }
        for (size_t i = untouched_from; i < kBufferSize; ++i) {
            ASSERT_EQ(buffer[i], kCanary)
                << where() << " byte " << i << " of the buffer was written";
        }
    }

    void contains() {
        const Key key = lookup_key();
        const Blob k = Codec::blob(key, rng_);
        const int expected = model_.count(key) != 0 ? 1 : 0;
        ASSERT_EQ(ehm_contains(map_, k.data, k.size), expected)
            << where() << " key " << Codec::describe(key);
    }

    void remove() {
        const Key key = lookup_key();
        const Blob k = Codec::blob(key, rng_);
        const bool present = model_.erase(key) != 0;
        ASSERT_EQ(ehm_remove(map_, k.data, k.size), present ? EHM_OK : EHM_NOTFOUND)
            << where() << " key " << Codec::describe(key);
        ASSERT_EQ(ehm_size(map_), model_.size()) << where();
        if (rng_.one_in(8)) {
            ASSERT_EQ(ehm_contains(map_, k.data, k.size), 0)
                << where() << " removed key still found";
        }
    }

    void clear() {
        ASSERT_EQ(ehm_clear(map_), EHM_OK) << where();
        model_.clear();
        ASSERT_EQ(ehm_size(map_), 0u) << where();
        size_t cursor = 0;
        ASSERT_EQ(ehm_next(map_, &cursor, nullptr, nullptr, nullptr, nullptr), EHM_ITEROVER)
            << where();
    }

    void reserve() {
        const size_t entries = model_.size() + rng_.below(config_.key_pool_size + 1);
        const size_t capacity_before = ehm_capacity(map_);
        ASSERT_EQ(ehm_reserve(map_, entries), EHM_OK) << where() << " entries " << entries;
        ASSERT_GE(ehm_capacity(map_), entries) << where();
        ASSERT_GE(ehm_capacity(map_), capacity_before) << where();
        ASSERT_EQ(ehm_size(map_), model_.size()) << where();
    }

    void contains_value() {
        Value value;
        if (!model_.empty() && rng_.one_in(2)) {
            auto it = model_.begin();
            std::advance(it, rng_.below(model_.size()));
            value = it->second;
        } else {
            value = Codec::random_value(rng_);
        }
        int expected = 0;
        for (const auto &entry : model_) {
            if (entry.second == value) {
                expected = 1;
                break;
            }
        }
        const Blob v = Codec::blob(value, rng_);
        ASSERT_EQ(ehm_contains_value(map_, v.data, v.size), expected)
            << where() << " value " << Codec::describe(value);
    }

    // Fixed-size maps reject every other length and stay unchanged.
    void wrong_length() {
        if constexpr (Codec::kKeySize != 0) {
            const Key key = lookup_key();
            const uint64_t value = rng_.next();
            const size_t bad_len = rng_.one_in(2) ? 7 : 9;
            char bytes[16] = {};
            std::memcpy(bytes, &key, sizeof key);
            ASSERT_EQ(ehm_put(map_, bytes, bad_len, &value, 8), EHM_EINVAL) << where();
            ASSERT_EQ(ehm_put(map_, bytes, 8, bytes, bad_len), EHM_EINVAL) << where();
            ASSERT_EQ(ehm_get(map_, bytes, bad_len, nullptr, nullptr), EHM_EINVAL) << where();
            ASSERT_EQ(ehm_size(map_), model_.size()) << where();
            ASSERT_NO_FATAL_FAILURE(expect_lookup(key));
        }
    }

    // One ehm_next pass over the map, checked against the model as it was when
    // the pass began: every entry is known with its value and comes once, the
    // pass ends with EHM_ITEROVER, and no model entry is missed. After the
    // checks, `visit(key, view)` gets each entry's decoded key and the borrowed
    // key view ehm_next returned; a fatal failure in it ends the pass.
    template <typename Visit>
    void for_each_entry(Visit &&visit) {
        std::unordered_set<Key, typename Codec::KeyHash> seen;
        seen.reserve(model_.size());
        size_t cursor = 0;
        const void *key = nullptr;
        const void *value = nullptr;
        size_t key_len = 0;
        size_t value_len = 0;
        int status;
        while ((status = ehm_next(map_, &cursor, &key, &key_len, &value, &value_len)) == EHM_OK) {
            const Key copy = Codec::key_from(key, key_len);
            auto expected = model_.find(copy);
            ASSERT_NE(expected, model_.end())
                << where() << " iteration yields unknown key " << Codec::describe(copy);
            ASSERT_TRUE(Codec::same(expected->second, value, value_len))
                << where() << " iteration value of key " << Codec::describe(copy);
            ASSERT_TRUE(seen.insert(copy).second) << where() << " iteration repeats a key";
            ASSERT_NO_FATAL_FAILURE(visit(copy, Blob{key, key_len}));
        }
        ASSERT_EQ(status, EHM_ITEROVER) << where();
        ASSERT_EQ(seen.size(), model_.size()) << where() << " iteration misses entries";
    }

    // Every entry once, each matching the model, none missing.
    void expect_iteration_matches() {
        for_each_entry([](const Key &, const Blob &) {});
    }

    void check_everything() {
        ASSERT_EQ(ehm_size(map_), model_.size()) << where();
        for (const auto &entry : model_) {
            ASSERT_NO_FATAL_FAILURE(expect_lookup(entry.first));
        }
        ASSERT_NO_FATAL_FAILURE(expect_iteration_matches());
        const ehm_stats stats = stats_of(map_);
        ASSERT_EQ(stats.size, model_.size()) << where();
        ASSERT_EQ(stats.capacity, ehm_capacity(map_)) << where();
        ASSERT_LE(stats.size + stats.tombstones, stats.capacity) << where();
        if (allocator_) {
            ASSERT_EQ(stats.memory_bytes, allocator_->live_bytes()) << where();
            ASSERT_EQ(allocator_->bad_frees(), 0u) << where();
        }
    }

    void check_clone() {
        ehm_map *copy = nullptr;
        ASSERT_EQ(ehm_clone(&copy, map_), EHM_OK) << where();
        std::unique_ptr<ehm_map, void (*)(ehm_map *)> owner(copy, &ehm_destroy);
        ASSERT_EQ(ehm_size(copy), model_.size()) << where();
        ASSERT_EQ(ehm_equal(map_, copy), 1) << where();
        ASSERT_EQ(ehm_equal(copy, map_), 1) << where();
        ASSERT_EQ(ehm_hash(map_), ehm_hash(copy)) << where();
        if (model_.empty()) {
            return;
        }

        // Changing one value or dropping one key makes the maps unequal, and the
        // original does not notice either change.
        auto victim = model_.begin();
        std::advance(victim, rng_.below(std::min<size_t>(model_.size(), 64)));
        const Key key = victim->first;
        const Blob k = Codec::blob(key, rng_);
        Value other = Codec::random_value(rng_);
        while (other == victim->second) {
            other = Codec::random_value(rng_);
        }
        const Blob v = Codec::blob(other, rng_);
        ASSERT_EQ(ehm_put(copy, k.data, k.size, v.data, v.size), EHM_OK) << where();
        ASSERT_EQ(ehm_equal(map_, copy), 0) << where() << " after changing a value in the clone";
        ASSERT_EQ(ehm_remove(copy, k.data, k.size), EHM_OK) << where();
        ASSERT_EQ(ehm_equal(map_, copy), 0) << where() << " after removing a key from the clone";
        ASSERT_NO_FATAL_FAILURE(expect_lookup(key));
        ASSERT_EQ(ehm_size(map_), model_.size()) << where();
    }

    // One ehm_next pass that removes a random subset of what it visits, half the
    // time passing the borrowed key view straight back to ehm_remove.
    void filter_while_iterating() {
        static const uint64_t kRemovePercents[] = {5, 30, 90};
        const uint64_t remove_percent = kRemovePercents[rng_.below(3)];
        std::vector<Key> removed;
        // The model keeps the removed keys until the pass is over, so that the
        // pass is checked against the map as it was.
        ASSERT_NO_FATAL_FAILURE(for_each_entry([&](const Key &key, const Blob &view) {
            if (rng_.percent(remove_percent)) {
                const Blob k = rng_.one_in(2) ? view : Codec::blob(key, rng_);
                ASSERT_EQ(ehm_remove(map_, k.data, k.size), EHM_OK)
                    << where() << " key " << Codec::describe(key);
                removed.push_back(key);
            }
        }));
        for (const Key &gone : removed) {
            model_.erase(gone);
        }
        ASSERT_EQ(ehm_size(map_), model_.size()) << where();
        for (size_t i = 0; i < removed.size() && i < 256; ++i) {
            ASSERT_NO_FATAL_FAILURE(expect_lookup(removed[i]));
        }
    }

    const RunConfig config_;
    Rng rng_;
    std::unique_ptr<TestAllocator> allocator_;
    ehm_map *map_ = nullptr;
    Model model_;
    std::vector<Key> key_pool_;
    std::vector<Key> recent_fresh_;
    uint64_t op_index_ = 0;
    const char *op_name_ = "";
    uint64_t check_every_ = 1;
    uint64_t whole_map_every_ = 1;
};

RunConfig base_config(uint64_t seed) {
    RunConfig config;
    config.seed = seed;
    config.ops = ops_from_environment();
    config.capacity = 0;
    config.delta = EHM_DEFAULT_DELTA;
    config.key_pool_size = 4000;
    config.fresh_key_percent = 15;
    config.use_test_allocator = false;
    return config;
}

template <typename Codec>
void run_model(const RunConfig &config) {
    ModelRun<Codec> run(config);
    run.run();
}

TEST(ModelTest, VariableLengthDefaultConfig) {
    run_model<VariableCodec>(base_config(0x0123456789abcdefULL));
}

TEST(ModelTest, VariableLengthTinyCapacityHalfDelta) {
    RunConfig config = base_config(0x5eed000000000001ULL);
    config.capacity = 1;
    config.delta = 0.5;
    config.use_test_allocator = true;
    run_model<VariableCodec>(config);
}

TEST(ModelTest, VariableLengthHighLoad) {
    RunConfig config = base_config(0x5eed000000000002ULL);
    config.delta = 1.0 / 256;
    run_model<VariableCodec>(config);
}

TEST(ModelTest, FixedSizeDefaultConfig) {
    run_model<FixedCodec>(base_config(0x5eed000000000003ULL));
}

TEST(ModelTest, FixedSizeTinyCapacityHighLoad) {
    RunConfig config = base_config(0x5eed000000000004ULL);
    config.capacity = 1;
    config.delta = 1.0 / 256;
    config.use_test_allocator = true;
    run_model<FixedCodec>(config);
}

// A few dozen keys keep the map small, where contains_value is affordable and
// every key is hit, replaced and removed over and over.
TEST(ModelTest, SmallVariableLengthMap) {
    RunConfig config = base_config(0x5eed000000000005ULL);
    config.ops = std::max<uint64_t>(1000, config.ops / 10);
    config.key_pool_size = 48;
    config.fresh_key_percent = 0;
    config.capacity = 1;
    config.delta = 0.25;
    run_model<VariableCodec>(config);
}

// Insert/remove cycles at a steady size: tombstones must be reclaimed, so they
// stay within the capacity, the capacity stops growing, and every live key
// stays findable.
template <typename Codec>
void churn(uint64_t seed, double delta, size_t steady_size, size_t rounds) {
    using Key = typename Codec::Key;
    const std::string where_prefix = "seed=" + hex(seed) + " delta=" + std::to_string(delta) + " ";
    Rng rng(seed);
    ehm_config cfg;
    ehm_config_init(&cfg);
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = seed;
    cfg.delta = delta;
    cfg.key_size = Codec::kKeySize;
    cfg.value_size = Codec::kValueSize;
    ehm_map *map = nullptr;
    ASSERT_EQ(ehm_create(&map, &cfg), EHM_OK);
    std::unique_ptr<ehm_map, void (*)(ehm_map *)> owner(map, &ehm_destroy);

    uint64_t counter = 0;
    std::vector<Key> live;
    std::vector<Key> recently_removed;
    const auto value_of = [&](const Key &key) {
        return Codec::unique_key(std::hash<Key>()(key) ^ 0x5a5a5a5aULL);
    };
    const auto insert_fresh = [&]() {
        const Key key = Codec::unique_key(counter++);
        const auto value = value_of(key);
        const Blob k = Codec::blob(key, rng);
        const Blob v = Codec::blob(value, rng);
        ASSERT_EQ(ehm_put(map, k.data, k.size, v.data, v.size), EHM_OK) << where_prefix;
        live.push_back(key);
    };
    for (size_t i = 0; i < steady_size; ++i) {
        ASSERT_NO_FATAL_FAILURE(insert_fresh());
    }
    const uint64_t capacity_at_steady_size = stats_of(map).capacity;

    for (size_t round = 0; round < rounds; ++round) {
        const std::string where = where_prefix + "round " + std::to_string(round);
        recently_removed.clear();
        for (size_t cycle = 0; cycle < steady_size; ++cycle) {
            const size_t victim = rng.below(live.size());
            const Blob k = Codec::blob(live[victim], rng);
            ASSERT_EQ(ehm_remove(map, k.data, k.size), EHM_OK) << where;
            if (recently_removed.size() < 1000) {
                recently_removed.push_back(live[victim]);
            }
            live[victim] = live.back();
            live.pop_back();
            ASSERT_NO_FATAL_FAILURE(insert_fresh());
        }

        const ehm_stats stats = stats_of(map);
        ASSERT_EQ(stats.size, steady_size) << where;
        ASSERT_LE(stats.tombstones, stats.capacity) << where;
        ASSERT_LE(stats.size + stats.tombstones, stats.capacity) << where;
        ASSERT_LE(stats.capacity, 4 * capacity_at_steady_size)
            << where << ": the capacity keeps growing at a steady size";
        for (const Key &key : live) {
            const Blob k = Codec::blob(key, rng);
            const void *value = nullptr;
            size_t value_len = 0;
            ASSERT_EQ(ehm_get(map, k.data, k.size, &value, &value_len), EHM_OK)
                << where << " live key " << Codec::describe(key) << " lost";
            ASSERT_TRUE(Codec::same(value_of(key), value, value_len)) << where;
        }
        for (const Key &key : recently_removed) {
            const Blob k = Codec::blob(key, rng);
            ASSERT_EQ(ehm_contains(map, k.data, k.size), 0)
                << where << " removed key " << Codec::describe(key) << " still found";
        }
    }
}

TEST(ChurnTest, FixedSizeDefaultDelta) {
    churn<FixedCodec>(0xc4u, EHM_DEFAULT_DELTA, 20000, 12);
}

TEST(ChurnTest, FixedSizeHighLoad) {
    churn<FixedCodec>(0xc5u, 1.0 / 256, 20000, 12);
}

TEST(ChurnTest, FixedSizeHalfDelta) {
    churn<FixedCodec>(0xc6u, 0.5, 20000, 12);
}

TEST(ChurnTest, VariableLengthHighLoad) {
    churn<VariableCodec>(0xc7u, 1.0 / 256, 10000, 12);
}

} // namespace
