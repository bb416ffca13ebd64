// Operation-sequence fuzzer. The input decodes into a map configuration and a
// sequence of put / get / get_copy / remove / contains / clear / reserve /
// iterate / clone / contains_value / probe_count calls with arbitrary key and
// value bytes (empty ones included), and every result is checked against a
// std::unordered_map model. All memory comes from a TestAllocator that the
// input can arm to fail, so the out-of-memory paths are fuzzed as well.
//
// Invariants checked after every operation: ehm_size equals the model's size,
// memory_bytes equals the allocator's live bytes, nothing was freed wrongly,
// and EHM_ENOMEM appears only when a failure was injected, leaving the entry
// it concerned as the model has it. Iteration and clone compare whole maps;
// the run ends with a full comparison and a leak check after destroy.
#include <ehm/ehm.h>

#include "fuzz_input.hpp"
#include "test_allocator.hpp"

#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace {

using ehm_fuzz::FuzzInput;
using Model = std::unordered_map<std::string, std::string>;

struct Layout {
    uint32_t key_size;
    uint32_t value_size;
};

// Variable and fixed sizes, inline entries (small fixed pairs) and nodes
// (entries above the inline limit), odd sizes that force packed slots.
constexpr Layout kLayouts[] = {{0, 0}, {8, 8}, {4, 0}, {0, 16}, {3, 5}, {64, 100}, {1, 0}, {16, 1}};
// Growth thresholds from "grow when 10% full" down to "grow when completely full".
constexpr double kDeltas[] = {EHM_DEFAULT_DELTA, 0.5, 0.25, 1.0 / 256, 0.9, 1e-9, 0.75, 0.125};
constexpr size_t kRememberedKeys = 64;

std::string text(const void *data, size_t length) {
    return length == 0 ? std::string() : std::string(static_cast<const char *>(data), length);
}

// Variable lengths: mostly short, sometimes a few kilobytes.
size_t blob_length(uint8_t code) {
    return code < 100 ? code % 33 : (code - 100) * 97u;
}

class Session {
public:
    explicit Session(FuzzInput &in) : in_(in) {}
    Session(const Session &) = delete;
    Session &operator=(const Session &) = delete;

    void run() {
        create();
        while (!in_.exhausted()) {
            const bool stays_armed = step(in_.byte());
            if (!stays_armed) alloc_.fail_at(0);
            check_accounting();
        }
        alloc_.never_fail();
        expect_same_as_model(map_);
        ehm_destroy(map_);
        map_ = nullptr;
        FUZZ_CHECK(alloc_.live_bytes() == 0);
        FUZZ_CHECK(alloc_.live_blocks() == 0);
        FUZZ_CHECK(alloc_.bad_frees() == 0);
        FUZZ_CHECK(alloc_.bad_aligns() == 0);
    }

    ~Session() { ehm_destroy(map_); }

private:
    void create() {
        ehm_config cfg;
        ehm_config_init(&cfg);
        layout_ = kLayouts[in_.byte() % 8];
        cfg.key_size = layout_.key_size;
        cfg.value_size = layout_.value_size;
        cfg.delta = kDeltas[in_.byte() % 8];
        cfg.capacity = in_.below(300);
        cfg.flags = EHM_FLAG_FIXED_SEED; // a failing input must replay the same layout
        cfg.seed = in_.u64();
        cfg.allocator = alloc_.get();
        FUZZ_CHECK(ehm_create(&map_, &cfg) == EHM_OK);
        FUZZ_CHECK(map_ != nullptr);
        FUZZ_CHECK(ehm_capacity(map_) >= cfg.capacity);
    }

    // Runs one operation; true when it armed a failure for the next one.
    bool step(uint8_t opcode) {
        switch (opcode % 18) {
        case 0:
        case 1:
        case 2:
            put();
            break;
        case 3:
            get();
            break;
        case 4:
            get_copy();
            break;
        case 5:
        case 6:
            remove();
            break;
        case 7:
            contains();
            break;
        case 8:
            clear();
            break;
        case 9:
            reserve();
            break;
        case 10:
            expect_same_as_model(map_);
            break;
        case 11:
            iterate_removing();
            break;
        case 12:
            clone();
            break;
        case 13:
            contains_value();
            break;
        case 14:
            probe_count();
            break;
        case 15:
            wrong_lengths();
            break;
        case 16:
            put_borrowed_key();
            break;
        default:
            alloc_.fail_at(1 + in_.below(4));
            return true;
        }
        return false;
    }

    // ---- inputs

    // An empty blob is passed as NULL or as a non-NULL pointer, alternately:
    // both must mean the same thing.
    const void *data_of(const std::string &blob) {
        if (!blob.empty()) return blob.data();
        empty_as_null_ = !empty_as_null_;
        return empty_as_null_ ? nullptr : "";
    }

    // A key seen before (so that hits, replaces and removals happen) or fresh bytes.
    std::string draw_key() {
        const uint8_t selector = in_.byte();
        if ((selector & 0x80) != 0 && !known_keys_.empty())
            return known_keys_[selector % known_keys_.size()];
        std::string key =
            in_.bytes(layout_.key_size != 0 ? layout_.key_size : blob_length(selector & 0x7F));
        if (known_keys_.size() < kRememberedKeys) {
            known_keys_.push_back(key);
        } else {
            known_keys_[selector % kRememberedKeys] = key;
        }
        return key;
    }

    std::string draw_value() {
        const uint8_t selector = in_.byte();
        return in_.bytes(layout_.value_size != 0 ? layout_.value_size : blob_length(selector));
    }

    // ---- checks

    // An EHM_ENOMEM is only acceptable when an injected failure happened.
    void expect_ok_or_injected(int status, uint64_t failed_before) {
        if (status == EHM_ENOMEM) {
            FUZZ_CHECK(alloc_.failed_allocations() > failed_before);
            return;
        }
        FUZZ_CHECK(status == EHM_OK);
    }

    void expect_entry_as_modelled(const ehm_map *map, const std::string &key) {
        const void *value = nullptr;
        size_t value_len = 0;
        const int status = ehm_get(map, data_of(key), key.size(), &value, &value_len);
        const auto found = model_.find(key);
        if (found == model_.end()) {
            FUZZ_CHECK(status == EHM_NOTFOUND);
            return;
        }
        FUZZ_CHECK(status == EHM_OK);
        FUZZ_CHECK(text(value, value_len) == found->second);
    }

    void check_accounting() {
        FUZZ_CHECK(ehm_size(map_) == model_.size());
        ehm_stats stats;
        std::memset(&stats, 0, sizeof stats);
        stats.struct_size = sizeof stats;
        FUZZ_CHECK(ehm_stats_get(map_, &stats) == EHM_OK);
        FUZZ_CHECK(stats.size == model_.size());
        FUZZ_CHECK(stats.capacity == ehm_capacity(map_));
        FUZZ_CHECK(stats.size + stats.tombstones <= stats.capacity);
        FUZZ_CHECK(stats.memory_bytes == alloc_.live_bytes());
        FUZZ_CHECK(alloc_.bad_frees() == 0);
    }

    // Iteration yields exactly the model's entries, once each, and every
    // model entry is found by lookup.
    void expect_same_as_model(const ehm_map *map) {
        FUZZ_CHECK(ehm_size(map) == model_.size());
        std::unordered_set<std::string> visited;
        size_t cursor = 0;
        const void *key = nullptr, *value = nullptr;
        size_t key_len = 0, value_len = 0;
        int status;
        while ((status = ehm_next(map, &cursor, &key, &key_len, &value, &value_len)) == EHM_OK) {
            const std::string k = text(key, key_len);
            FUZZ_CHECK(visited.insert(k).second);
            const auto found = model_.find(k);
            FUZZ_CHECK(found != model_.end());
            FUZZ_CHECK(found->second == text(value, value_len));
        }
        FUZZ_CHECK(status == EHM_ITEROVER);
        FUZZ_CHECK(visited.size() == model_.size());
        for (const auto &entry : model_) expect_entry_as_modelled(map, entry.first);
    }

    // ---- operations

    void put() {
        const std::string key = draw_key(), value = draw_value();
        const uint64_t failed_before = alloc_.failed_allocations();
        const int status = ehm_put(map_, data_of(key), key.size(), data_of(value), value.size());
        expect_ok_or_injected(status, failed_before);
        if (status == EHM_OK) model_[key] = value;
        expect_entry_as_modelled(map_, key);
    }

    // An entry's key and value views, chosen by the input; false when empty.
    bool borrow_entry(const void **key, size_t *key_len, const void **value, size_t *value_len) {
        if (model_.empty()) return false;
        size_t cursor = 0;
        for (size_t skip = in_.byte();
             ehm_next(map_, &cursor, key, key_len, value, value_len) == EHM_OK;) {
            if (skip-- == 0) break;
        }
        return true;
    }

    // `length` bytes (the map's fixed size, or drawn) of a view, or NULL when
    // the view is too short.
    const void *slice(const void *data, size_t data_len, uint32_t fixed, size_t *length) {
        *length = fixed != 0 ? fixed : in_.below(data_len + 1);
        if (*length > data_len) return nullptr;
        if (*length == 0) return data;
        return static_cast<const char *>(data) + in_.below(data_len - *length + 1);
    }

    // The key and the value handed to put, insert or exchange are views into
    // the map itself: an entry's whole key, or a slice of an entry's key or
    // value, which is often a new key, so the call may grow or rebuild the
    // table. The map must read them before it changes or frees anything.
    void put_borrowed_key() {
        const void *k1 = nullptr, *v1 = nullptr, *k2 = nullptr, *v2 = nullptr;
        size_t k1_len = 0, v1_len = 0, k2_len = 0, v2_len = 0;
        if (!borrow_entry(&k1, &k1_len, &v1, &v1_len)) return;
        if (!borrow_entry(&k2, &k2_len, &v2, &v2_len)) return;
        const uint8_t how = in_.byte();
        const void *key = k1;
        size_t key_len = k1_len;
        if ((how & 3) == 1) key = slice(k1, k1_len, layout_.key_size, &key_len);
        if ((how & 3) >= 2) key = slice(v1, v1_len, layout_.key_size, &key_len);
        if (key == nullptr) return;
        size_t value_len = 0;
        const void *value = slice(v2, v2_len, layout_.value_size, &value_len);
        std::string drawn;
        if (value == nullptr || (how & 4) != 0) {
            drawn = draw_value();
            value = data_of(drawn);
            value_len = drawn.size();
        }
        const std::string key_copy = text(key, key_len), value_copy = text(value, value_len);
        const auto found = model_.find(key_copy);
        const bool present = found != model_.end();
        const std::string before = present ? found->second : std::string();
        const uint64_t failed_before = alloc_.failed_allocations();
        switch ((how >> 3) % 3) {
        case 0: {
            const int status = ehm_put(map_, key, key_len, value, value_len);
            expect_ok_or_injected(status, failed_before);
            if (status == EHM_OK) model_[key_copy] = value_copy;
            break;
        }
        case 1: {
            const int status = ehm_insert(map_, key, key_len, value, value_len);
            if (present) {
                FUZZ_CHECK(status == EHM_EXISTS);
                break;
            }
            expect_ok_or_injected(status, failed_before);
            if (status == EHM_OK) model_[key_copy] = value_copy;
            break;
        }
        default: {
            std::string old(before.size() + 1, '\xA5');
            size_t old_len = 12345;
            const int status =
                ehm_exchange(map_, key, key_len, value, value_len, &old[0], old.size(), &old_len);
            if (status == EHM_ENOMEM) {
                FUZZ_CHECK(alloc_.failed_allocations() > failed_before);
                break;
            }
            FUZZ_CHECK(status == (present ? 1 : 0));
            if (present)
                FUZZ_CHECK(old_len == before.size() && old.compare(0, old_len, before) == 0);
            if (!present) FUZZ_CHECK(old_len == 12345);
            model_[key_copy] = value_copy;
            break;
        }
        }
        expect_entry_as_modelled(map_, key_copy);
    }

    void get() {
        const std::string key = draw_key();
        static const char untouched = 0; // NOTFOUND must leave both out-parameters alone
        const void *value = &untouched;
        size_t value_len = 12345;
        const int status = ehm_get(map_, data_of(key), key.size(), &value, &value_len);
        const auto found = model_.find(key);
        if (found == model_.end()) {
            FUZZ_CHECK(status == EHM_NOTFOUND);
            FUZZ_CHECK(value == &untouched && value_len == 12345);
            return;
        }
        FUZZ_CHECK(status == EHM_OK);
        FUZZ_CHECK(text(value, value_len) == found->second);
        FUZZ_CHECK(ehm_get(map_, data_of(key), key.size(), nullptr, nullptr) == EHM_OK);
    }

    void get_copy() {
        const std::string key = draw_key();
        const auto found = model_.find(key);
        const size_t needed = found == model_.end() ? 0 : found->second.size();
        std::string buffer(in_.below(needed + 2), '\xA5');
        const std::string untouched = buffer;
        size_t value_len = 12345;
        const int status =
            ehm_get_copy(map_, data_of(key), key.size(), buffer.empty() ? nullptr : &buffer[0],
                         buffer.size(), &value_len);
        if (found == model_.end()) {
            FUZZ_CHECK(status == EHM_NOTFOUND);
            FUZZ_CHECK(value_len == 12345 && buffer == untouched);
        } else if (buffer.size() < needed) {
            FUZZ_CHECK(status == EHM_ERANGE);
            FUZZ_CHECK(value_len == needed && buffer == untouched);
        } else {
            FUZZ_CHECK(status == EHM_OK);
            FUZZ_CHECK(value_len == needed);
            FUZZ_CHECK(buffer.compare(0, needed, found->second) == 0);
            FUZZ_CHECK(buffer.compare(needed, std::string::npos, untouched, needed) == 0);
        }
    }

    void remove() {
        const std::string key = draw_key();
        const uint64_t failed_before = alloc_.failed_allocations();
        const int status = ehm_remove(map_, data_of(key), key.size());
        if (model_.count(key) == 0) {
            FUZZ_CHECK(status == EHM_NOTFOUND);
        } else {
            expect_ok_or_injected(status, failed_before);
            if (status == EHM_OK) model_.erase(key);
        }
        expect_entry_as_modelled(map_, key);
    }

    void contains() {
        const std::string key = draw_key();
        FUZZ_CHECK(ehm_contains(map_, data_of(key), key.size()) ==
                   static_cast<int>(model_.count(key)));
    }

    void clear() {
        const size_t capacity = ehm_capacity(map_);
        const uint64_t failed_before = alloc_.failed_allocations();
        const int status = ehm_clear(map_);
        expect_ok_or_injected(status, failed_before);
        if (status == EHM_OK) model_.clear();
        FUZZ_CHECK(ehm_capacity(map_) == capacity);
    }

    void reserve() {
        // Small enough that whole-map checks stay cheap after a reserve.
        const size_t entries = in_.bits(2) % 4096;
        const size_t capacity = ehm_capacity(map_);
        const uint64_t failed_before = alloc_.failed_allocations();
        const int status = ehm_reserve(map_, entries);
        expect_ok_or_injected(status, failed_before);
        if (status == EHM_OK) {
            FUZZ_CHECK(ehm_capacity(map_) >= entries);
            FUZZ_CHECK(ehm_capacity(map_) >= capacity);
        } else {
            FUZZ_CHECK(ehm_capacity(map_) == capacity);
        }
    }

    // Removes some of the entries as they are visited, which must keep the
    // cursor valid: every entry is still visited exactly once.
    void iterate_removing() {
        const uint8_t pattern = in_.byte();
        const bool pass_view = (pattern & 1) != 0;
        std::unordered_set<std::string> visited;
        size_t cursor = 0, index = 0;
        const void *key = nullptr, *value = nullptr;
        size_t key_len = 0, value_len = 0;
        while (ehm_next(map_, &cursor, &key, &key_len, &value, &value_len) == EHM_OK) {
            const std::string k = text(key, key_len);
            FUZZ_CHECK(visited.insert(k).second);
            const auto found = model_.find(k);
            FUZZ_CHECK(found != model_.end() && found->second == text(value, value_len));
            if (((pattern >> (index++ % 8)) & 1) == 0) continue;
            // Half the runs remove through the borrowed view itself.
            FUZZ_CHECK(ehm_remove(map_, pass_view ? key : data_of(k), key_len) == EHM_OK);
            model_.erase(found);
        }
        FUZZ_CHECK(ehm_size(map_) == model_.size());
        for (const auto &entry : model_) FUZZ_CHECK(visited.count(entry.first) == 1);
    }

    void clone() {
        const bool continue_with_copy = (in_.byte() & 1) != 0;
        ehm_map *copy = map_; // any non-NULL value: a failure must reset it
        const uint64_t failed_before = alloc_.failed_allocations();
        const int status = ehm_clone(&copy, map_);
        expect_ok_or_injected(status, failed_before);
        if (status != EHM_OK) {
            FUZZ_CHECK(copy == nullptr);
            return;
        }
        FUZZ_CHECK(copy != nullptr && copy != map_);
        FUZZ_CHECK(ehm_equal(copy, map_) == 1);
        FUZZ_CHECK(ehm_hash(copy) == ehm_hash(map_));
        expect_same_as_model(copy);
        // The survivor must not depend on anything the other one owned.
        if (continue_with_copy) std::swap(copy, map_);
        ehm_destroy(copy);
    }

    void contains_value() {
        const uint8_t selector = in_.byte();
        std::string value;
        if ((selector & 1) != 0 && !model_.empty()) {
            auto it = model_.begin();
            std::advance(it, selector % model_.size());
            value = it->second;
        } else {
            value = draw_value();
        }
        bool expected = false;
        for (const auto &entry : model_) expected = expected || entry.second == value;
        FUZZ_CHECK(ehm_contains_value(map_, data_of(value), value.size()) == (expected ? 1 : 0));
    }

    void probe_count() {
        const std::string key = draw_key();
        uint64_t probes = 0;
        const int status = ehm_probe_count(map_, data_of(key), key.size(), &probes);
        FUZZ_CHECK(status == (model_.count(key) != 0 ? EHM_OK : EHM_NOTFOUND));
        FUZZ_CHECK(probes >= 1);
    }

    // Lengths that break a fixed size, and non-empty lengths with NULL data,
    // are EHM_EINVAL and change nothing.
    void wrong_lengths() {
        const std::string key = draw_key(), value = draw_value();
        if (layout_.key_size != 0) {
            const std::string bad = in_.bytes(layout_.key_size + 1 + in_.below(3));
            FUZZ_CHECK(ehm_put(map_, bad.data(), bad.size(), data_of(value), value.size()) ==
                       EHM_EINVAL);
            FUZZ_CHECK(ehm_get(map_, bad.data(), bad.size(), nullptr, nullptr) == EHM_EINVAL);
            FUZZ_CHECK(ehm_remove(map_, nullptr, 0) == EHM_EINVAL);
            FUZZ_CHECK(ehm_contains(map_, bad.data(), layout_.key_size - 1) == EHM_EINVAL);
        }
        if (layout_.value_size != 0) {
            FUZZ_CHECK(ehm_put(map_, data_of(key), key.size(), value.data(),
                               layout_.value_size - 1) == EHM_EINVAL);
        }
        FUZZ_CHECK(ehm_put(map_, nullptr, 1 + in_.below(8), data_of(value), value.size()) ==
                   EHM_EINVAL);
        FUZZ_CHECK(ehm_put(map_, data_of(key), key.size(), nullptr, 1 + in_.below(8)) ==
                   EHM_EINVAL);
        expect_entry_as_modelled(map_, key);
    }

    FuzzInput &in_;
    ehm_test::TestAllocator alloc_;
    ehm_map *map_ = nullptr;
    Layout layout_{};
    Model model_;
    std::vector<std::string> known_keys_;
    bool empty_as_null_ = false;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FuzzInput in(data, size);
    Session session(in);
    session.run();
    return 0;
}
