// ehm measured through its C ABI, as C and FFI callers use it: every key and
// value crosses ehm_put/ehm_get as (pointer, length), the library is the
// shared object, and the map is created with the default config (random seed,
// default delta) except for the fixed key and value sizes a caller with
// fixed-size data would declare. Allocations go through the counting
// ehm_allocator; ehm_stats.memory_bytes is checked against it. Lookups are
// also measured through ehm_get_many, kFindManyBatch keys per call.
#include "../registry.hpp"
#include "../workloads.hpp"
#include "ehm_introspection.hpp"

#include <ehm/ehm.h>

#include <cstring>

namespace ehm_bench {
namespace {

template <class W>
class EhmC {
public:
    using Workload = W;
    using Key = typename W::Key;
    using Value = typename W::Value;
    static constexpr const char *kId = "ehm-c";
    static constexpr bool kHasReserve = true;
    static constexpr bool kCountsRequested = true;
    static constexpr bool kIsEhm = true;

    explicit EhmC(const MapOptions &options) {
        ehm_config config;
        ehm_config_init(&config);
        config.key_size = fixed_key_size<Key>();
        config.value_size = sizeof(Value);
        config.allocator = counting_ehm_allocator();
        if (options.delta > 0) {
            config.delta = options.delta;
        }
        status_ = ehm_create(&map_, &config);
        if (status_ == EHM_OK && options.reserve > 0) {
            status_ = ehm_reserve(map_, options.reserve);
        }
    }
    ~EhmC() { ehm_destroy(map_); }
    EhmC(const EhmC &) = delete;
    EhmC &operator=(const EhmC &) = delete;

    const char *error() const { return status_ == EHM_OK ? nullptr : ehm_strerror(status_); }

    bool insert(const Key &key, const Value &value) {
        Blob k = blob_of(key);
        return ehm_put(map_, k.data, k.size, &value, sizeof value) == EHM_OK;
    }

    bool find(const Key &key, uint64_t *first_word) const {
        Blob k = blob_of(key);
        const void *value;
        if (ehm_get(map_, k.data, k.size, &value, nullptr) != EHM_OK) {
            return false;
        }
        std::memcpy(first_word, value, sizeof *first_word);
        return true;
    }

    // One ehm_get_many call, with the pointer and length arrays a C caller builds.
    size_t find_many(const Key *keys, size_t count, uint64_t *sum) const {
        const void *key_data[kFindManyBatch];
        size_t key_lens[kFindManyBatch];
        const void *values[kFindManyBatch];
        int statuses[kFindManyBatch];
        for (size_t i = 0; i < count; ++i) {
            Blob k = blob_of(keys[i]);
            key_data[i] = k.data;
            key_lens[i] = k.size;
        }
        if (ehm_get_many(map_, count, key_data, key_lens, values, nullptr, statuses) != EHM_OK) {
            return 0;
        }
        size_t found = 0;
        for (size_t i = 0; i < count; ++i) {
            if (statuses[i] != EHM_OK) {
                continue;
            }
            uint64_t word;
            std::memcpy(&word, values[i], sizeof word);
            *sum += word;
            ++found;
        }
        return found;
    }

    bool erase(const Key &key) {
        Blob k = blob_of(key);
        return ehm_remove(map_, k.data, k.size) == EHM_OK;
    }

    size_t size() const { return ehm_size(map_); }
    size_t slots() const { return ehm_capacity(map_); }

    uint64_t sum_values(size_t *count) const {
        uint64_t sum = 0;
        size_t cursor = 0;
        const void *value;
        while (ehm_next(map_, &cursor, nullptr, nullptr, &value, nullptr) == EHM_OK) {
            uint64_t word;
            std::memcpy(&word, value, sizeof word);
            sum += word;
            ++*count;
        }
        return sum;
    }

    size_t key_heap_bytes() const { return 0; } // keys live in the map's own blocks

    double mean_lookup_probes(const std::vector<Key> &keys, size_t count) const {
        return ehm_bench::mean_lookup_probes(map_, keys, count);
    }
    double mean_insert_probes() const { return ehm_bench::mean_insert_probes(map_); }
    uint64_t memory_bytes() const { return read_stats(map_).memory_bytes; }

private:
    ehm_map *map_ = nullptr;
    int status_ = EHM_OK;
};

// The sweep runs the default delta (growth at 1 - 1/32, so up to load 0.95)
// and delta = 1/128 (growth at 0.992, so up to 0.99) at the same slot count.
void add_ehm_c_sweep(const Sweep &sweep) {
    constexpr double kHighLoadDelta = 1.0 / 128;
    MapOptions by_default;
    by_default.max_load = 1 - EHM_DEFAULT_DELTA;
    add_sweep_series<EhmC<U64V8>>(sweep, {"ehm-c", by_default, 1 - EHM_DEFAULT_DELTA});
    MapOptions high_load;
    high_load.delta = kHighLoadDelta;
    high_load.max_load = 1 - kHighLoadDelta;
    add_sweep_series<EhmC<U64V8>>(sweep, {"ehm-c.d128", high_load, 1 - kHighLoadDelta});
}

} // namespace

MapRegistration ehm_c_registration() {
    return {EhmC<U64V8>::kId, &add_group<EhmC>, &add_ehm_c_sweep};
}

} // namespace ehm_bench
