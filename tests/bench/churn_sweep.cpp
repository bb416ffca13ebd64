// ehm_churn_sweep: steady churn across steady sizes. Each benchmark fills a
// map of about --slots slots (8-byte keys and values, the C API, default
// delta) to a steady size of `per_mille`/1000 x its capacity, then times
// remove+insert pairs that keep that size: remove the oldest key, insert a
// new one. A row reports ns per pair and, as counters, the rebuilds the pairs
// caused, how many kept the size, the capacity after over the capacity
// before, and the entries the rebuilds moved per pair. What it shows: the
// same-size-rebuild policy (Map::make_room) gives no steady size a cliff.
//
//   ehm_churn_sweep [--pairs=N] [--slots=N] [--benchmark_repetitions=3 ...]
//
// Built with the other benchmarks (-Dbenchmarks); scripts/bench does not run
// it: each row costs a fill and N pairs.
#include <ehm/ehm.h>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

uint64_t slots = uint64_t{1} << 18; // capacity hint, in entries (--slots=N)
uint64_t pairs = 4000000;           // --pairs=N

ehm_stats stats_of(const ehm_map *map) {
    ehm_stats stats;
    std::memset(&stats, 0, sizeof stats);
    stats.struct_size = sizeof stats;
    ehm_stats_get(map, &stats);
    return stats;
}

// Spreads consecutive integers, as distinct keys from a program would be.
uint64_t key_of(uint64_t i) {
    return i * 0x9E3779B97F4A7C15ull;
}

void bm_steady_churn(benchmark::State &state) {
    ehm_config cfg;
    ehm_config_init(&cfg);
    cfg.key_size = 8;
    cfg.value_size = 8;
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = 14;
    cfg.capacity = slots - slots / 16;
    ehm_map *map = nullptr;
    if (ehm_create(&map, &cfg) != EHM_OK) {
        state.SkipWithError("ehm_create failed");
        return;
    }
    const uint64_t capacity = ehm_capacity(map);
    const uint64_t steady = capacity * static_cast<uint64_t>(state.range(0)) / 1000;
    for (uint64_t i = 0; i < steady; ++i) {
        const uint64_t k = key_of(i);
        ehm_put(map, &k, 8, &i, 8);
    }
    if (ehm_capacity(map) != capacity) {
        ehm_destroy(map);
        state.SkipWithError("the fill alone grew the table");
        return;
    }
    const ehm_stats before = stats_of(map);
    uint64_t oldest = 0, newest = steady, growths = 0;
    size_t last_capacity = capacity;
    bool ok = true;
    for (auto _ : state) {
        const uint64_t old_key = key_of(oldest++);
        ok &= ehm_remove(map, &old_key, 8) == EHM_OK;
        const uint64_t new_key = key_of(newest);
        ok &= ehm_put(map, &new_key, 8, &newest, 8) == EHM_OK;
        ++newest;
        if (ehm_capacity(map) != last_capacity) { // a load and a compare
            ++growths;
            last_capacity = ehm_capacity(map);
        }
    }
    const ehm_stats after = stats_of(map);
    const uint64_t same_size = after.rebuilds - before.rebuilds - growths;
    if (!ok || ehm_size(map) != steady) state.SkipWithError("churn lost or failed an entry");
    state.counters["steady"] = static_cast<double>(steady);
    state.counters["rebuilds"] = static_cast<double>(after.rebuilds - before.rebuilds);
    state.counters["same_size"] = static_cast<double>(same_size);
    // Entries the rebuilds moved per pair, about: what the policy trades
    // against memory, and free of the timing noise of a shared machine.
    state.counters["moves_per_pair"] = static_cast<double>(after.rebuilds - before.rebuilds) *
                                       static_cast<double>(steady) /
                                       static_cast<double>(state.iterations());
    state.counters["cap_ratio"] =
        static_cast<double>(after.capacity) / static_cast<double>(capacity);
    ehm_destroy(map);
}

} // namespace

int main(int argc, char **argv) {
    for (int i = 1; i < argc; ++i) {
        uint64_t *option = std::strncmp(argv[i], "--pairs=", 8) == 0   ? &pairs
                           : std::strncmp(argv[i], "--slots=", 8) == 0 ? &slots
                                                                       : nullptr;
        if (option != nullptr) {
            *option = std::strtoull(argv[i] + 8, nullptr, 10);
            for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
            --argc;
            --i;
        }
    }
    auto *bm = benchmark::RegisterBenchmark("steady_churn", bm_steady_churn);
    bm->ArgName("per_mille")
        ->Iterations(static_cast<benchmark::IterationCount>(pairs))
        ->Unit(benchmark::kNanosecond);
    for (int per_mille :
         {100, 200, 300, 400, 450, 480, 500, 550, 600, 700, 800, 840, 846, 848, 870, 900, 940, 960})
        bm->Arg(per_mille);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
