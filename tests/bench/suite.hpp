// The shape of the benchmark suite: workloads, groups, sweep points, the
// registry entry each map provides, and the one-object caches.
//
// A group is one (workload, size, map): its benchmarks are registered one after
// another, so the table they share is built once and freed before the next
// group builds its own. At most one key set and one table are alive at a time.
#ifndef EHM_BENCH_SUITE_HPP
#define EHM_BENCH_SUITE_HPP

#include "keys.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ehm_bench {

struct U64V8 {
    using Key = uint64_t;
    using Value = Value8;
};
struct K16V8 {
    using Key = Key16;
    using Value = Value8;
};
struct K16V64 {
    using Key = Key16;
    using Value = Value64;
};
struct TextV8 {
    using Key = std::string;
    using Value = Value8;
};
struct TextV64 {
    using Key = std::string;
    using Value = Value64;
};

enum class Workload { U64V8, K16V8, K16V64, TextV8, TextV64 };

// The names used in benchmark names and on the command line.
const char *workload_name(Workload workload);
bool parse_workload(const std::string &name, Workload *out);

// How long each benchmark runs: as many whole iterations as make op_budget
// operations (at least one), the same for every map, so that every map does
// the same work and no table is rebuilt just to estimate an iteration count;
// and how many times (the report takes the median).
struct RunLength {
    size_t op_budget;
    int repetitions;
};

inline size_t iterations_for(const RunLength &run, size_t ops_per_iteration) {
    size_t iterations = (run.op_budget + ops_per_iteration - 1) / ops_per_iteration;
    return iterations == 0 ? 1 : iterations;
}

// Tables this large run every benchmark once, whatever the repetitions: one
// pass is millions of operations already, and each repetition of an insert or
// erase benchmark would rebuild a table that takes seconds to fill.
constexpr size_t kSingleRunEntries = 5000000;

inline int repetitions_for(const RunLength &run, size_t entries) {
    return entries >= kSingleRunEntries ? 1 : run.repetitions;
}

struct Group {
    Workload workload;
    size_t n;
    RunLength run;
};

// The load-factor sweep at one target capacity.
struct Sweep {
    size_t target_slots;
    RunLength run;
};

// One table of the load-factor sweep: u64 -> u64 at a fixed capacity near
// target_slots, filled to `load` of its actual slots.
struct SweepPoint {
    size_t target_slots;
    double load;
};

inline const std::vector<double> &sweep_loads() {
    static const std::vector<double> loads = {0.5, 0.75, 0.875, 0.9, 0.95, 0.98, 0.99};
    return loads;
}

// How an adapter builds its table. reserve: entries to make room for before
// the first insertion (0: none). delta: ehm's delta (0: the default).
// max_load: the load factor the table may reach before it grows, configured
// where the map lets the user choose it (tsl, std; 0: the map's default); the
// sweep also sizes its reservations by it.
struct MapOptions {
    size_t reserve = 0;
    double delta = 0;
    double max_load = 0;
};

// A map as the sweep runs it: a named configuration and the highest load it
// is run at (the highest of sweep_loads() it can hold without growing).
struct SweepSeries {
    std::string id;
    MapOptions options;
    double highest_load;
};

// What a map contributes to the suite. add_sweep is null for maps that sit
// the sweep out.
struct MapRegistration {
    const char *id;
    void (*add_group)(const Group &group);
    void (*add_sweep)(const Sweep &sweep);
};

// "w=<workload>/op=<op>/map=<map>/n=<n>": key=value fields the report parses.
std::string group_benchmark_name(const Group &group, const char *op, const char *map);
std::string sweep_benchmark_name(const SweepPoint &point, const char *op, const std::string &map);

// Holds one object at a time under a string id. Asking for another id frees
// the current object before making the new one.
class CacheSlot {
public:
    bool holds(const std::string &id) const { return object_ != nullptr && id == id_; }

    void release() {
        object_.reset();
        id_.clear();
    }

    // The object held under `id`, or null.
    template <class T>
    T *peek(const std::string &id) const {
        return holds(id) ? static_cast<T *>(object_.get()) : nullptr;
    }

    // `make` returns a std::unique_ptr<T>; called only when `id` is not held.
    template <class T, class Make>
    T &get(const std::string &id, Make &&make) {
        if (!holds(id)) {
            release();
            object_ = std::shared_ptr<void>(std::forward<Make>(make)());
            id_ = id;
        }
        return *static_cast<T *>(object_.get());
    }

private:
    std::shared_ptr<void> object_;
    std::string id_;
};

CacheSlot &key_cache();
CacheSlot &table_cache();

} // namespace ehm_bench

#endif
