// The measured operations, written once against the adapter contract below
// and instantiated for each map in that map's own translation unit.
//
// Every benchmark checks its own result: a lookup pass must find exactly the
// present keys and sum exactly their values, an insertion pass must end with n
// entries, and so on; a map that gets it wrong reports an error instead of a
// time. Times are CPU time per operation: each iteration is one pass over a
// whole query set (or one erase+insert pair for churn), the `ops` counter says
// how many operations an iteration made, and every map runs the same number of
// iterations (iterations_for). Tables used by several benchmarks are built
// once, outside the timed region (table_cache()).
//
// Adapter contract, for Map = Adapter<Workload> with Key = Workload::Key and
// Value = Workload::Value:
//   static constexpr const char *kId;        the map's name in benchmark names
//   static constexpr bool kHasReserve;       the map offers reserve
//   static constexpr bool kCountsRequested;  it allocates through the counters (memory.hpp)
//   static constexpr bool kIsEhm;            it offers the ehm statistics below
//   explicit Map(const MapOptions &);
//   const char *error() const;                         null when construction succeeded
//   bool insert(const Key &, const Value &);           false if the insertion failed
//   bool find(const Key &, uint64_t *first_word) const; true if present
//   bool erase(const Key &);                           true if it was present
//   size_t size() const;
//   size_t slots() const;                              0 where the map does not say
//   uint64_t sum_values(size_t *count) const;          iterates every entry
//   size_t key_heap_bytes() const;                     key bytes held outside the allocator
// optionally, for a map with a batch lookup (HasFindMany):
//   size_t find_many(const Key *, size_t count, uint64_t *sum) const;
//                        looks up count <= kFindManyBatch keys in one call, adds the
//                        first word of each value found to *sum, returns how many
// and, when kIsEhm:
//   double mean_lookup_probes(const std::vector<Key> &, size_t count) const;
//   double mean_insert_probes() const;   over the insertions since the last rebuild
//   uint64_t memory_bytes() const;       ehm_stats.memory_bytes
#ifndef EHM_BENCH_WORKLOADS_HPP
#define EHM_BENCH_WORKLOADS_HPP

#include "keys.hpp"
#include "memory.hpp"
#include "suite.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace ehm_bench {

// Probe counts are averaged over this many keys of a query set.
constexpr size_t kProbeSample = 20000;

// The sweep draws its keys from a set this much larger than its target slot
// count: an actual capacity may exceed the target by up to 25%.
constexpr double kSweepKeysPerSlot = 1.3;
constexpr uint64_t kSweepOrderSeed = 0x7377656570; // "sweep"

template <class Key>
std::string key_kind() {
    if constexpr (std::is_same_v<Key, uint64_t>) {
        return "u64";
    } else if constexpr (std::is_same_v<Key, Key16>) {
        return "k16";
    } else {
        return "str";
    }
}

template <class Key>
const KeySets<Key> &key_sets(size_t n) {
    std::string id = key_kind<Key>() + "/" + std::to_string(n);
    if (!key_cache().holds(id)) {
        table_cache().release(); // built from other keys: free it before making new ones
    }
    return key_cache().get<KeySets<Key>>(
        id, [n] { return std::make_unique<KeySets<Key>>(make_key_sets<Key>(n)); });
}

// What a built table holds and what it reports; `error` is empty when the
// table is what it should be.
struct TableReport {
    Footprint footprint;
    size_t entries = 0;
    size_t slots = 0;
    double insert_probes = -1; // ehm only
    std::string error;
};

template <class Map>
TableReport inspect(const Map &map, const FootprintMeter &meter, size_t expected_entries) {
    TableReport report;
    report.footprint = meter.finish();
    report.footprint.requested += map.key_heap_bytes();
    report.entries = map.size();
    report.slots = map.slots();
    if (report.entries != expected_entries) {
        report.error = "holds " + std::to_string(report.entries) + " entries after " +
                       std::to_string(expected_entries) + " distinct insertions";
    }
    if constexpr (Map::kIsEhm) {
        report.insert_probes = map.mean_insert_probes();
        if (map.memory_bytes() != report.footprint.requested) {
            report.error = "memory_bytes " + std::to_string(map.memory_bytes()) +
                           " differs from the allocator's count " +
                           std::to_string(report.footprint.requested);
        }
    }
    return report;
}

// Inserts keys[0 .. count) with their values; false at the first failure.
template <class Map>
bool insert_all(Map &map, const std::vector<typename Map::Workload::Key> &keys, size_t count) {
    using Value = typename Map::Workload::Value;
    for (size_t i = 0; i < count; ++i) {
        if (!map.insert(keys[i], value_for<Value>(i))) {
            return false;
        }
    }
    return true;
}

template <class Map>
struct Table {
    std::unique_ptr<Map> map;
    TableReport report;
    // Sweep tables: their present keys in random order, and those keys' value sum.
    std::vector<typename Map::Workload::Key> hits;
    uint64_t hits_value_sum = 0;
    // Churn: the live keys are positions oldest .. newest-1 (cyclically) of
    // inserted ++ misses; set once churn has changed the table.
    size_t churn_oldest = 0;
    size_t churn_newest = 0;
    bool churned = false;
};

template <class Map>
std::unique_ptr<Table<Map>> build_table(const std::vector<typename Map::Workload::Key> &keys,
                                        size_t count, const MapOptions &options) {
    auto table = std::make_unique<Table<Map>>();
    FootprintMeter meter;
    table->map = std::make_unique<Map>(options);
    if (const char *error = table->map->error()) {
        table->report.error = error;
        return table;
    }
    if (!insert_all(*table->map, keys, count)) {
        table->report.error = "an insertion failed";
        return table;
    }
    table->report = inspect(*table->map, meter, count);
    return table;
}

// The group's table: its n keys inserted with growth, as a user fills a map.
// `pristine`: rebuild it if churn has changed it.
template <class Map>
Table<Map> &group_table(const Group &group, bool pristine) {
    using Key = typename Map::Workload::Key;
    const KeySets<Key> &keys = key_sets<Key>(group.n);
    std::string id = group_benchmark_name(group, "table", Map::kId);
    const Table<Map> *held = table_cache().peek<Table<Map>>(id);
    if (pristine && held != nullptr && held->churned) {
        table_cache().release();
    }
    return table_cache().get<Table<Map>>(id, [&] {
        auto table = build_table<Map>(keys.inserted, group.n, MapOptions{});
        table->churn_newest = group.n;
        return table;
    });
}

inline void fail(benchmark::State &state, const std::string &message) {
    state.SkipWithError(message.c_str());
}

// group_table(), or null once the benchmark has failed because the table
// could not be built as it should be.
template <class Map>
Table<Map> *checked_group_table(benchmark::State &state, const Group &group, bool pristine) {
    Table<Map> &table = group_table<Map>(group, pristine);
    if (!table.report.error.empty()) {
        fail(state, table.report.error);
        return nullptr;
    }
    return &table;
}

// Counters every benchmark on a table reports: bytes per entry both ways, the
// table's load, and ops per iteration.
template <class Map>
void report_table(benchmark::State &state, const TableReport &report, size_t ops) {
    state.counters["ops"] = static_cast<double>(ops);
    state.counters["entries"] = static_cast<double>(report.entries);
    if (report.slots > 0) {
        state.counters["slots"] = static_cast<double>(report.slots);
        state.counters["load"] = static_cast<double>(report.entries) / report.slots;
    }
    if (report.entries > 0) {
        double entries = static_cast<double>(report.entries);
        if (Map::kCountsRequested) {
            state.counters["bytes_per_entry"] = report.footprint.requested / entries;
        }
        state.counters["malloc_bytes_per_entry"] = report.footprint.malloc / entries;
    }
    if (report.insert_probes >= 0) {
        state.counters["insert_probes_per_op"] = report.insert_probes;
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * ops));
}

template <class Map>
void report_lookup_probes(benchmark::State &state, const Map &map,
                          const std::vector<typename Map::Workload::Key> &queries) {
    if constexpr (Map::kIsEhm) {
        state.counters["probes_per_op"] = map.mean_lookup_probes(queries, kProbeSample);
    }
}

// One pass over `queries` per iteration.
template <class Map>
void run_lookups(benchmark::State &state, const Map &map,
                 const std::vector<typename Map::Workload::Key> &queries, size_t expected_found,
                 uint64_t expected_sum) {
    for (auto _ : state) {
        size_t found = 0;
        uint64_t sum = 0;
        for (const auto &key : queries) {
            uint64_t word = 0;
            if (map.find(key, &word)) {
                ++found;
                sum += word;
            }
        }
        benchmark::DoNotOptimize(sum);
        if (found != expected_found || sum != expected_sum) {
            fail(state, "found " + std::to_string(found) + " keys, expected " +
                            std::to_string(expected_found) + " (or wrong values)");
            break;
        }
    }
}

// Keys per batch lookup call: what a caller with many keys at hand would pass.
constexpr size_t kFindManyBatch = 64;

template <class Map, class = void>
struct HasFindMany : std::false_type {};
template <class Map>
struct HasFindMany<Map, std::void_t<decltype(&Map::find_many)>> : std::true_type {};

// One pass over `queries` per iteration, kFindManyBatch keys per call.
template <class Map>
void run_batch_lookups(benchmark::State &state, const Map &map,
                       const std::vector<typename Map::Workload::Key> &queries,
                       size_t expected_found, uint64_t expected_sum) {
    for (auto _ : state) {
        size_t found = 0;
        uint64_t sum = 0;
        for (size_t start = 0; start < queries.size(); start += kFindManyBatch) {
            const size_t count = std::min(kFindManyBatch, queries.size() - start);
            found += map.find_many(queries.data() + start, count, &sum);
        }
        benchmark::DoNotOptimize(sum);
        if (found != expected_found || sum != expected_sum) {
            fail(state, "found " + std::to_string(found) + " keys in batches, expected " +
                            std::to_string(expected_found) + " (or wrong values)");
            break;
        }
    }
}

// ---- the group's operations --------------------------------------------------

template <class Map>
void bench_insert(benchmark::State &state, Group group, bool reserve) {
    using Key = typename Map::Workload::Key;
    table_cache().release();
    const KeySets<Key> &keys = key_sets<Key>(group.n);
    MapOptions options;
    options.reserve = reserve ? group.n : 0;
    TableReport report;
    for (auto _ : state) {
        state.PauseTiming();
        FootprintMeter meter;
        auto map = std::make_unique<Map>(options);
        if (const char *error = map->error()) {
            fail(state, error);
            break;
        }
        state.ResumeTiming();
        bool inserted = insert_all(*map, keys.inserted, group.n);
        state.PauseTiming();
        report = inspect(*map, meter, group.n);
        map.reset();
        if (!inserted || !report.error.empty()) {
            fail(state, inserted ? report.error : "an insertion failed");
            break;
        }
        state.ResumeTiming();
    }
    report_table<Map>(state, report, group.n);
}

enum class Queries { Hits, Misses, Mixed };
enum class Calls { one_key, batches };

template <class Map>
void bench_find(benchmark::State &state, Group group, Queries which, Calls calls) {
    using Key = typename Map::Workload::Key;
    const KeySets<Key> &keys = key_sets<Key>(group.n);
    const Table<Map> *table = checked_group_table<Map>(state, group, true);
    if (table == nullptr) {
        return;
    }
    const std::vector<Key> &queries = which == Queries::Hits     ? keys.hits
                                      : which == Queries::Misses ? keys.misses
                                                                 : keys.mixed;
    size_t expected_found = which == Queries::Hits     ? group.n
                            : which == Queries::Misses ? 0
                                                       : keys.mixed_present;
    uint64_t expected_sum = which == Queries::Hits     ? keys.hits_value_sum
                            : which == Queries::Misses ? 0
                                                       : keys.mixed_value_sum;
    if (calls == Calls::one_key) {
        run_lookups(state, *table->map, queries, expected_found, expected_sum);
    } else if constexpr (HasFindMany<Map>::value) { // batches are registered only for these
        run_batch_lookups(state, *table->map, queries, expected_found, expected_sum);
    }
    report_table<Map>(state, table->report, queries.size());
    report_lookup_probes(state, *table->map, queries);
}

template <class Map>
void bench_iterate(benchmark::State &state, Group group) {
    using Key = typename Map::Workload::Key;
    const KeySets<Key> &keys = key_sets<Key>(group.n);
    const Table<Map> *table = checked_group_table<Map>(state, group, true);
    if (table == nullptr) {
        return;
    }
    for (auto _ : state) {
        size_t count = 0;
        uint64_t sum = table->map->sum_values(&count);
        benchmark::DoNotOptimize(sum);
        if (count != group.n || sum != keys.hits_value_sum) {
            fail(state, "iteration visited " + std::to_string(count) + " entries, expected " +
                            std::to_string(group.n) + " (or wrong values)");
            break;
        }
    }
    report_table<Map>(state, table->report, group.n);
}

// Steady-state churn: each iteration erases the oldest live key and inserts a
// new one, so the table keeps n entries while its slots see a stream of
// removals (tombstones, for ehm) and insertions.
template <class Map>
void bench_churn(benchmark::State &state, Group group) {
    using Key = typename Map::Workload::Key;
    using Value = typename Map::Workload::Value;
    const KeySets<Key> &keys = key_sets<Key>(group.n);
    Table<Map> *table = checked_group_table<Map>(state, group, false);
    if (table == nullptr) {
        return;
    }
    table->churned = true;
    const size_t n = group.n;
    auto key_at = [&](size_t i) -> const Key & {
        return i < n ? keys.inserted[i] : keys.misses[i - n];
    };
    size_t oldest = table->churn_oldest;
    size_t newest = table->churn_newest;
    bool ok = true;
    for (auto _ : state) {
        ok &= table->map->erase(key_at(oldest));
        ok &= table->map->insert(key_at(newest), value_for<Value>(newest));
        oldest = oldest + 1 == 2 * n ? 0 : oldest + 1;
        newest = newest + 1 == 2 * n ? 0 : newest + 1;
    }
    table->churn_oldest = oldest;
    table->churn_newest = newest;
    if (!ok || table->map->size() != n) {
        fail(state, "churn lost or failed an entry");
    }
    report_table<Map>(state, table->report, 1);
}

// Each iteration erases all n keys, in random order, from a freshly built table.
template <class Map>
void bench_erase(benchmark::State &state, Group group) {
    using Key = typename Map::Workload::Key;
    table_cache().release();
    const KeySets<Key> &keys = key_sets<Key>(group.n);
    TableReport report;
    for (auto _ : state) {
        state.PauseTiming();
        auto table = build_table<Map>(keys.inserted, group.n, MapOptions{});
        if (!table->report.error.empty()) {
            fail(state, table->report.error);
            break;
        }
        state.ResumeTiming();
        size_t erased = 0;
        for (const Key &key : keys.hits) {
            erased += table->map->erase(key) ? 1 : 0;
        }
        state.PauseTiming();
        report = table->report;
        bool emptied = erased == group.n && table->map->size() == 0;
        table.reset();
        if (!emptied) {
            fail(state, "erased " + std::to_string(erased) + " of " + std::to_string(group.n));
            break;
        }
        state.ResumeTiming();
    }
    report_table<Map>(state, report, group.n);
}

template <class Function, class... Args>
void register_benchmark(const std::string &name, size_t iterations, int repetitions,
                        Function function, Args... args) {
    benchmark::RegisterBenchmark(name.c_str(), function, args...)
        ->Iterations(static_cast<benchmark::IterationCount>(iterations))
        ->Repetitions(repetitions);
}

template <class Map>
void add_ops(const Group &group) {
    auto name = [&](const char *op) { return group_benchmark_name(group, op, Map::kId); };
    const size_t passes = iterations_for(group.run, group.n);
    const int times = repetitions_for(group.run, group.n);
    register_benchmark(name("insert"), passes, times, bench_insert<Map>, group, false);
    if constexpr (Map::kHasReserve) {
        register_benchmark(name("insert_reserved"), passes, times, bench_insert<Map>, group, true);
    }
    for (auto [op, which] :
         {std::pair{"find_hit", Queries::Hits}, std::pair{"find_miss", Queries::Misses},
          std::pair{"find_mixed", Queries::Mixed}}) {
        register_benchmark(name(op), passes, times, bench_find<Map>, group, which, Calls::one_key);
    }
    if constexpr (HasFindMany<Map>::value) {
        register_benchmark(name("find_hit_many"), passes, times, bench_find<Map>, group,
                           Queries::Hits, Calls::batches);
        register_benchmark(name("find_miss_many"), passes, times, bench_find<Map>, group,
                           Queries::Misses, Calls::batches);
    }
    register_benchmark(name("iterate"), passes, times, bench_iterate<Map>, group);
    register_benchmark(name("churn"), iterations_for(group.run, 1), times, bench_churn<Map>, group);
    register_benchmark(name("erase"), passes, times, bench_erase<Map>, group);
}

// Registers the group's benchmarks for Adapter instantiated on its workload.
template <template <class> class Adapter>
void add_group(const Group &group) {
    switch (group.workload) {
    case Workload::U64V8:
        return add_ops<Adapter<U64V8>>(group);
    case Workload::K16V8:
        return add_ops<Adapter<K16V8>>(group);
    case Workload::K16V64:
        return add_ops<Adapter<K16V64>>(group);
    case Workload::TextV8:
        return add_ops<Adapter<TextV8>>(group);
    case Workload::TextV64:
        return add_ops<Adapter<TextV64>>(group);
    }
}

// ---- the load-factor sweep ---------------------------------------------------

// The reserve argument that gives Map a capacity closest to target_slots from
// below 1.25 * target_slots: slot counts come in steps (powers of two, ehm's
// m * 2^k groups), so the first guess may land a whole step too high.
template <class Map>
size_t reserve_for_slots(size_t target_slots, MapOptions options) {
    double max_load = options.max_load > 0 ? options.max_load : 1.0;
    options.reserve = static_cast<size_t>(target_slots * max_load);
    while (options.reserve > 1) {
        Map probe(options);
        if (probe.error() != nullptr || probe.slots() <= target_slots + target_slots / 4) {
            break;
        }
        options.reserve /= 2;
    }
    return options.reserve;
}

template <class Map>
std::unique_ptr<Table<Map>> build_sweep_table(const SweepPoint &point, const SweepSeries &series,
                                              const KeySets<uint64_t> &keys) {
    MapOptions options = series.options;
    options.reserve = reserve_for_slots<Map>(point.target_slots, options);
    auto table = std::make_unique<Table<Map>>();
    FootprintMeter meter;
    table->map = std::make_unique<Map>(options);
    Map &map = *table->map;
    if (const char *error = map.error()) {
        table->report.error = error;
        return table;
    }
    const size_t slots = map.slots();
    // Rounded down: a table filled to exactly its maximum load must not grow.
    const size_t count = static_cast<size_t>(point.load * static_cast<double>(slots));
    if (count > keys.inserted.size()) {
        table->report.error = "the sweep's key set is too small for " + std::to_string(slots);
    } else if (!insert_all(map, keys.inserted, count)) {
        table->report.error = "an insertion failed";
    } else if (map.slots() != slots) {
        table->report.error = "grew before reaching this load";
    } else {
        table->report = inspect(map, meter, count);
    }
    for (size_t index : shuffled_indices(count, kSweepOrderSeed)) {
        table->hits.push_back(keys.inserted[index]);
        table->hits_value_sum += value_word_of_index(index);
    }
    return table;
}

template <class Map>
void bench_sweep_find(benchmark::State &state, SweepPoint point, SweepSeries series, bool hits) {
    const size_t key_count = static_cast<size_t>(point.target_slots * kSweepKeysPerSlot);
    const KeySets<uint64_t> &keys = key_sets<uint64_t>(key_count);
    std::string id = sweep_benchmark_name(point, "table", series.id);
    const Table<Map> &table = table_cache().get<Table<Map>>(
        id, [&] { return build_sweep_table<Map>(point, series, keys); });
    if (!table.report.error.empty()) {
        fail(state, table.report.error);
        return;
    }
    const std::vector<uint64_t> &queries = hits ? table.hits : keys.misses;
    run_lookups(state, *table.map, queries, hits ? table.hits.size() : 0,
                hits ? table.hits_value_sum : 0);
    report_table<Map>(state, table.report, queries.size());
    report_lookup_probes(state, *table.map, queries);
}

// Registers hit and miss lookups of `series` at every sweep load it can hold.
template <class Map>
void add_sweep_series(const Sweep &sweep, const SweepSeries &series) {
    static_assert(std::is_same_v<typename Map::Workload, U64V8>, "the sweep runs u64 -> u64");
    const double target = static_cast<double>(sweep.target_slots);
    for (double load : sweep_loads()) {
        if (load > series.highest_load) {
            break;
        }
        SweepPoint point{sweep.target_slots, load};
        auto hits = static_cast<size_t>(load * target);
        auto misses = static_cast<size_t>(kSweepKeysPerSlot * target);
        const int times = repetitions_for(sweep.run, hits);
        register_benchmark(sweep_benchmark_name(point, "find_hit", series.id),
                           iterations_for(sweep.run, hits), times, bench_sweep_find<Map>, point,
                           series, true);
        register_benchmark(sweep_benchmark_name(point, "find_miss", series.id),
                           iterations_for(sweep.run, misses), times, bench_sweep_find<Map>, point,
                           series, false);
    }
}

} // namespace ehm_bench

#endif
