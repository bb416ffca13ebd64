// tsl::robin_map with PeerHash (its default, std::hash, is the identity on
// integers). Groups run its default maximum load, 0.5; the sweep raises it to
// 0.95, the highest the map accepts.
#include "../peer_adapter.hpp"
#include "../peer_hash.hpp"
#include "../registry.hpp"
#include "../workloads.hpp"

#include <tsl/robin_map.h>

#include <functional>
#include <utility>

namespace ehm_bench {
namespace {

template <class W>
using TslTable =
    tsl::robin_map<typename W::Key, typename W::Value, PeerHash, std::equal_to<typename W::Key>,
                   CountingAllocator<std::pair<typename W::Key, typename W::Value>>>;

struct TslName {
    static constexpr const char *kId = "tsl";
};

template <class W>
using Tsl = StdStyleMap<W, TslTable<W>, TslName>;

constexpr double kTslHighestMaxLoad = 0.95;

void add_tsl_sweep(const Sweep &sweep) {
    MapOptions options;
    options.max_load = kTslHighestMaxLoad;
    add_sweep_series<Tsl<U64V8>>(sweep, {"tsl", options, kTslHighestMaxLoad});
}

} // namespace

MapRegistration tsl_registration() {
    return {TslName::kId, &add_group<Tsl>, &add_tsl_sweep};
}

} // namespace ehm_bench
