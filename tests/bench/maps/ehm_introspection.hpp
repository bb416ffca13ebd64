// What both ehm adapters (C ABI and C++ wrapper) report beyond time, read
// through the public C functions from the map's handle: probes per lookup
// (ehm_probe_count), probes per insertion and memory (ehm_stats_get).
#ifndef EHM_BENCH_MAPS_EHM_INTROSPECTION_HPP
#define EHM_BENCH_MAPS_EHM_INTROSPECTION_HPP

#include "../keys.hpp"

#include <ehm/ehm.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ehm_bench {

// The mean of ehm_probe_count over the first `count` keys; -1 on an error.
template <class Key>
double mean_lookup_probes(const ehm_map *map, const std::vector<Key> &keys, size_t count) {
    count = std::min(count, keys.size());
    uint64_t total = 0;
    for (size_t i = 0; i < count; ++i) {
        Blob key = blob_of(keys[i]);
        uint64_t probes = 0;
        int status = ehm_probe_count(map, key.data, key.size, &probes);
        if (status != EHM_OK && status != EHM_NOTFOUND) {
            return -1;
        }
        total += probes;
    }
    return count == 0 ? 0 : static_cast<double>(total) / count;
}

// All zero if the statistics cannot be read.
inline ehm_stats read_stats(const ehm_map *map) {
    ehm_stats stats{};
    stats.struct_size = sizeof stats;
    if (ehm_stats_get(map, &stats) != EHM_OK) {
        stats = ehm_stats{};
    }
    return stats;
}

// Over the insertions since the last rebuild (the statistics' window).
inline double mean_insert_probes(const ehm_map *map) {
    ehm_stats stats = read_stats(map);
    return stats.inserts == 0 ? 0 : static_cast<double>(stats.insert_probes_total) / stats.inserts;
}

} // namespace ehm_bench

#endif
