// The adapter for the C++ peers, which share the standard container interface
// (emplace, find, erase, reserve, bucket_count, iteration): one class keeps
// the four measured the same way. Table is the fully specified container type,
// with a CountingAllocator; Name supplies kId.
#ifndef EHM_BENCH_PEER_ADAPTER_HPP
#define EHM_BENCH_PEER_ADAPTER_HPP

#include "keys.hpp"
#include "memory.hpp"
#include "suite.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>

namespace ehm_bench {

template <class W, class Table, class Name>
class StdStyleMap {
public:
    using Workload = W;
    using Key = typename W::Key;
    using Value = typename W::Value;
    static constexpr const char *kId = Name::kId;
    static constexpr bool kHasReserve = true;
    static constexpr bool kCountsRequested = true;
    static constexpr bool kIsEhm = false;

    // max_load is honoured by std::unordered_map and tsl::robin_map; boost and
    // absl fix their maximum load and ignore the call.
    explicit StdStyleMap(const MapOptions &options) {
        if (options.max_load > 0) {
            table_.max_load_factor(static_cast<float>(options.max_load));
        }
        if (options.reserve > 0) {
            table_.reserve(options.reserve);
        }
    }

    const char *error() const { return nullptr; } // failures throw, and end the run

    bool insert(const Key &key, const Value &value) { return table_.emplace(key, value).second; }

    bool find(const Key &key, uint64_t *first_word_out) const {
        auto it = table_.find(key);
        if (it == table_.end()) {
            return false;
        }
        *first_word_out = first_word(it->second);
        return true;
    }

    bool erase(const Key &key) { return table_.erase(key) == 1; }

    size_t size() const { return table_.size(); }
    size_t slots() const { return table_.bucket_count(); }

    uint64_t sum_values(size_t *count) const {
        uint64_t sum = 0;
        for (const auto &entry : table_) {
            sum += first_word(entry.second);
            ++*count;
        }
        return sum;
    }

    size_t key_heap_bytes() const {
        size_t bytes = 0;
        if constexpr (std::is_same_v<Key, std::string>) {
            for (const auto &entry : table_) {
                bytes += string_heap_bytes(entry.first);
            }
        }
        return bytes;
    }

private:
    Table table_;
};

} // namespace ehm_bench

#endif
