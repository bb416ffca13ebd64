// Names and the two caches of the suite.
#include "suite.hpp"

#include <cstdio>
#include <iterator>

namespace ehm_bench {
namespace {

struct WorkloadName {
    Workload workload;
    const char *name;
};

constexpr WorkloadName kWorkloadNames[] = {
    {Workload::U64V8, "u64.v8"},  {Workload::K16V8, "k16.v8"},    {Workload::K16V64, "k16.v64"},
    {Workload::TextV8, "str.v8"}, {Workload::TextV64, "str.v64"},
};

} // namespace

const char *workload_name(Workload workload) {
    for (const WorkloadName &entry : kWorkloadNames) {
        if (entry.workload == workload) {
            return entry.name;
        }
    }
    return "?";
}

bool parse_workload(const std::string &name, Workload *out) {
    for (const WorkloadName &entry : kWorkloadNames) {
        if (name == entry.name) {
            *out = entry.workload;
            return true;
        }
    }
    return false;
}

std::string group_benchmark_name(const Group &group, const char *op, const char *map) {
    return std::string("w=") + workload_name(group.workload) + "/op=" + op + "/map=" + map +
           "/n=" + std::to_string(group.n);
}

std::string sweep_benchmark_name(const SweepPoint &point, const char *op, const std::string &map) {
    char load[16];
    std::snprintf(load, sizeof load, "%.3f", point.load);
    return std::string("w=sweep.u64.v8/op=") + op + "/map=" + map +
           "/slots=" + std::to_string(point.target_slots) + "/load=" + load;
}

CacheSlot &key_cache() {
    static CacheSlot slot;
    return slot;
}

CacheSlot &table_cache() {
    static CacheSlot slot;
    return slot;
}

} // namespace ehm_bench
