// std::unordered_map (libstdc++) with PeerHash: std::hash<uint64_t> is the
// identity. A chained table holds any load; the sweep runs it at its default
// maximum load factor, 1.0, up to 0.99 like ehm.
#include "../peer_adapter.hpp"
#include "../peer_hash.hpp"
#include "../registry.hpp"
#include "../workloads.hpp"

#include <functional>
#include <unordered_map>
#include <utility>

namespace ehm_bench {
namespace {

template <class W>
using StdTable =
    std::unordered_map<typename W::Key, typename W::Value, PeerHash, std::equal_to<typename W::Key>,
                       CountingAllocator<std::pair<const typename W::Key, typename W::Value>>>;

struct StdName {
    static constexpr const char *kId = "std";
};

template <class W>
using Std = StdStyleMap<W, StdTable<W>, StdName>;

void add_std_sweep(const Sweep &sweep) {
    MapOptions options;
    options.max_load = 1.0;
    add_sweep_series<Std<U64V8>>(sweep, {"std", options, sweep_loads().back()});
}

} // namespace

MapRegistration std_registration() {
    return {StdName::kId, &add_group<Std>, &add_std_sweep};
}

} // namespace ehm_bench
