// ehm measured through its C++ wrapper, ehm::map<K, V> (include/ehm/ehm.hpp),
// as a C++ user writes it: try_emplace to insert, get (a decoded copy of the
// value) to look up, erase, values() to iterate. Same defaults as the C ABI
// variant; the allocations go through the counting memory resource. It sits
// out the sweep, which measures the table and is covered by ehm-c.
#include "../registry.hpp"
#include "../workloads.hpp"
#include "ehm_introspection.hpp"

#include <ehm/ehm.hpp>

#include <optional>

namespace ehm_bench {
namespace {

template <class W>
class EhmCpp {
public:
    using Workload = W;
    using Key = typename W::Key;
    using Value = typename W::Value;
    static constexpr const char *kId = "ehm-cpp";
    static constexpr bool kHasReserve = true;
    static constexpr bool kCountsRequested = true;
    static constexpr bool kIsEhm = true;

    explicit EhmCpp(const MapOptions &options) : map_(wrapper_options(options)) {
        if (options.reserve > 0) {
            map_.reserve(options.reserve);
        }
    }

    const char *error() const { return nullptr; } // the wrapper throws instead

    bool insert(const Key &key, const Value &value) { return map_.try_emplace(key, value); }

    bool find(const Key &key, uint64_t *first_word_out) const {
        std::optional<Value> value = map_.get(key);
        if (!value) {
            return false;
        }
        *first_word_out = first_word(*value);
        return true;
    }

    bool erase(const Key &key) { return map_.erase(key); }

    size_t size() const { return map_.size(); }
    size_t slots() const { return map_.capacity(); }

    uint64_t sum_values(size_t *count) const {
        uint64_t sum = 0;
        for (const Value &value : map_.values()) {
            sum += first_word(value);
            ++*count;
        }
        return sum;
    }

    size_t key_heap_bytes() const { return 0; } // keys live in the map's own blocks

    double mean_lookup_probes(const std::vector<Key> &keys, size_t count) const {
        return ehm_bench::mean_lookup_probes(map_.native_handle(), keys, count);
    }
    double mean_insert_probes() const {
        return ehm_bench::mean_insert_probes(map_.native_handle());
    }
    uint64_t memory_bytes() const { return read_stats(map_.native_handle()).memory_bytes; }

private:
    static ehm::options wrapper_options(const MapOptions &options) {
        ehm::options result;
        if (options.delta > 0) {
            result.delta = options.delta;
        }
        result.resource = counting_resource();
        return result;
    }

    ehm::map<Key, Value> map_;
};

} // namespace

MapRegistration ehm_cpp_registration() {
    return {EhmCpp<U64V8>::kId, &add_group<EhmCpp>, nullptr};
}

} // namespace ehm_bench
