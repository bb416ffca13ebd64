// absl::flat_hash_map with absl's default hash and equality (for std::string
// keys, its transparent string hash). Key16 gets the AbslHashValue an absl
// user would write. Its maximum load is fixed at 7/8.
#include "../peer_adapter.hpp"
#include "../registry.hpp"
#include "../workloads.hpp"

#include <absl/container/flat_hash_map.h>

#include <utility>

namespace ehm_bench {

template <class H>
H AbslHashValue(H state, const Key16 &key) {
    return H::combine(std::move(state), key.lo, key.hi);
}

namespace {

template <class K, class V>
using AbslDefaults = absl::flat_hash_map<K, V>;

template <class W>
using AbslTable =
    absl::flat_hash_map<typename W::Key, typename W::Value,
                        typename AbslDefaults<typename W::Key, typename W::Value>::hasher,
                        typename AbslDefaults<typename W::Key, typename W::Value>::key_equal,
                        CountingAllocator<std::pair<const typename W::Key, typename W::Value>>>;

struct AbslName {
    static constexpr const char *kId = "absl";
};

template <class W>
using Absl = StdStyleMap<W, AbslTable<W>, AbslName>;

constexpr double kAbslMaxLoad = 0.875;

void add_absl_sweep(const Sweep &sweep) {
    MapOptions options;
    options.max_load = kAbslMaxLoad;
    add_sweep_series<Absl<U64V8>>(sweep, {"absl", options, kAbslMaxLoad});
}

} // namespace

MapRegistration absl_registration() {
    return {AbslName::kId, &add_group<Absl>, &add_absl_sweep};
}

} // namespace ehm_bench
