// boost::unordered_flat_map with boost::hash, its default. Key16 gets the
// hash_value a boost user would write (hash_combine of its two words); boost
// post-mixes hashes it does not know to be avalanching, identity-hashed
// integers included. Its maximum load is fixed at 0.875.
#include "../peer_adapter.hpp"
#include "../registry.hpp"
#include "../workloads.hpp"

#include <boost/container_hash/hash.hpp>
#include <boost/unordered/unordered_flat_map.hpp>

namespace ehm_bench {

std::size_t hash_value(const Key16 &key) {
    std::size_t seed = 0;
    boost::hash_combine(seed, key.lo);
    boost::hash_combine(seed, key.hi);
    return seed;
}

namespace {

template <class W>
using BoostTable = boost::unordered_flat_map<
    typename W::Key, typename W::Value, boost::hash<typename W::Key>,
    std::equal_to<typename W::Key>,
    CountingAllocator<std::pair<const typename W::Key, typename W::Value>>>;

struct BoostName {
    static constexpr const char *kId = "boost";
};

template <class W>
using Boost = StdStyleMap<W, BoostTable<W>, BoostName>;

constexpr double kBoostMaxLoad = 0.875;

void add_boost_sweep(const Sweep &sweep) {
    MapOptions options;
    options.max_load = kBoostMaxLoad;
    add_sweep_series<Boost<U64V8>>(sweep, {"boost", options, kBoostMaxLoad});
}

} // namespace

MapRegistration boost_registration() {
    return {BoostName::kId, &add_group<Boost>, &add_boost_sweep};
}

} // namespace ehm_bench
