// ehm_bench: ehm and its peers on the same keys, in one binary and one run.
//
//   ehm_bench [--sizes=N,...] [--sweep_slots=S,...|none] [--workloads=W,...]
//             [--skip_large=W,...] [--maps=M,...] [--ops=N] [--repetitions=R]
//             [Google Benchmark flags]
//
// --help lists what each flag means.
//
// Benchmarks are registered group by group (workload, then size, then map), so
// every map of a size runs back to back on the same key sets, and each group's
// table is built once. scripts/bench runs this and writes docs/benchmarks.md.
#include "registry.hpp"
#include "suite.hpp"

#include <benchmark/benchmark.h>
#include <ehm/ehm.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace ehm_bench {
namespace {

const std::vector<MapRegistration> &all_maps() {
    static const std::vector<MapRegistration> maps = {
        ehm_c_registration(), ehm_cpp_registration(), boost_registration(), absl_registration(),
        tsl_registration(),   std_registration(),     glib_registration(),
    };
    return maps;
}

const char kUsage[] =
    "usage: ehm_bench [--sizes=N,...] [--sweep_slots=S,...|none] [--workloads=W,...]\n"
    "                 [--skip_large=W,...] [--maps=M,...] [--ops=N] [--repetitions=R]\n"
    "                 [Google Benchmark flags]\n"
    "  --sizes        entries per table (default 10000,1000000)\n"
    "  --sweep_slots  slot counts of the load-factor sweep (default 1048576)\n"
    "  --workloads    u64.v8 k16.v8 k16.v64 str.v8 str.v64 (default all)\n"
    "  --skip_large   workloads to run only at sizes below 5M entries (default none)\n"
    "  --maps         ehm-c ehm-cpp boost absl tsl std glib (default all)\n"
    "  --ops          operations per benchmark: whole passes of at least N (default 4000000)\n"
    "  --repetitions  runs per benchmark, reported as their median (default 1); tables of\n"
    "                 5M entries or more run once\n";

struct Plan {
    std::vector<size_t> sizes = {10000, 1000000};
    std::vector<size_t> sweep_slots = {size_t{1} << 20};
    std::vector<Workload> workloads = {Workload::U64V8, Workload::K16V8, Workload::K16V64,
                                       Workload::TextV8, Workload::TextV64};
    std::vector<Workload> skip_large; // run only below kSingleRunEntries entries
    std::vector<std::string> maps;    // empty: all
    RunLength run = {4000000, 1};
};

std::vector<std::string> split(const std::string &list) {
    std::vector<std::string> items;
    size_t start = 0;
    while (start <= list.size()) {
        size_t end = list.find(',', start);
        if (end == std::string::npos) {
            end = list.size();
        }
        if (end > start) {
            items.push_back(list.substr(start, end - start));
        }
        start = end + 1;
    }
    return items;
}

// A positive decimal count.
bool parse_count(const std::string &text, size_t *out) {
    char *end = nullptr;
    unsigned long long value = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || text[0] == '-' || *end != '\0' || value == 0) {
        return false;
    }
    *out = static_cast<size_t>(value);
    return true;
}

// A comma-separated list of counts, or "none".
bool parse_counts(const std::string &list, std::vector<size_t> *out) {
    out->clear();
    if (list == "none") {
        return true;
    }
    for (const std::string &item : split(list)) {
        size_t value = 0;
        if (!parse_count(item, &value)) {
            return false;
        }
        out->push_back(value);
    }
    return !out->empty();
}

bool known_map(const std::string &id) {
    for (const MapRegistration &map : all_maps()) {
        if (id == map.id) {
            return true;
        }
    }
    return false;
}

bool parse_workloads(const std::string &list, std::vector<Workload> *out) {
    out->clear();
    for (const std::string &name : split(list)) {
        Workload workload;
        if (!parse_workload(name, &workload)) {
            return false;
        }
        out->push_back(workload);
    }
    return true;
}

// Takes the suite's own flags out of argv; false on a malformed one.
bool parse_plan(int *argc, char **argv, Plan *plan) {
    int kept = 1;
    for (int i = 1; i < *argc; ++i) {
        std::string arg = argv[i];
        auto value_of = [&](const char *flag) -> const char * {
            size_t length = std::strlen(flag);
            return arg.compare(0, length, flag) == 0 ? argv[i] + length : nullptr;
        };
        bool ok = true;
        if (const char *v = value_of("--sizes=")) {
            ok = parse_counts(v, &plan->sizes);
        } else if (const char *v = value_of("--sweep_slots=")) {
            ok = parse_counts(v, &plan->sweep_slots);
        } else if (const char *v = value_of("--workloads=")) {
            ok = parse_workloads(v, &plan->workloads);
        } else if (const char *v = value_of("--skip_large=")) {
            ok = parse_workloads(v, &plan->skip_large);
        } else if (const char *v = value_of("--ops=")) {
            ok = parse_count(v, &plan->run.op_budget);
        } else if (const char *v = value_of("--repetitions=")) {
            size_t repetitions = 0;
            ok = parse_count(v, &repetitions) && repetitions <= 100;
            plan->run.repetitions = static_cast<int>(repetitions);
        } else if (const char *v = value_of("--maps=")) {
            plan->maps = split(v);
            for (const std::string &id : plan->maps) {
                ok = ok && known_map(id);
            }
        } else {
            argv[kept++] = argv[i];
            continue;
        }
        if (!ok) {
            std::fprintf(stderr, "ehm_bench: bad flag %s\n%s", argv[i], kUsage);
            return false;
        }
    }
    *argc = kept;
    return true;
}

bool selected(const Plan &plan, const MapRegistration &map) {
    if (plan.maps.empty()) {
        return true;
    }
    for (const std::string &id : plan.maps) {
        if (id == map.id) {
            return true;
        }
    }
    return false;
}

void register_plan(const Plan &plan) {
    for (Workload workload : plan.workloads) {
        for (size_t n : plan.sizes) {
            if (n >= kSingleRunEntries && std::find(plan.skip_large.begin(), plan.skip_large.end(),
                                                    workload) != plan.skip_large.end()) {
                continue;
            }
            for (const MapRegistration &map : all_maps()) {
                if (selected(plan, map)) {
                    map.add_group(Group{workload, n, plan.run});
                }
            }
        }
    }
    for (size_t slots : plan.sweep_slots) {
        for (const MapRegistration &map : all_maps()) {
            if (selected(plan, map) && map.add_sweep != nullptr) {
                map.add_sweep(Sweep{slots, plan.run});
            }
        }
    }
}

std::string join(const std::vector<size_t> &counts) {
    std::string text;
    for (size_t count : counts) {
        text += (text.empty() ? "" : ",") + std::to_string(count);
    }
    return text;
}

void add_context(const Plan &plan) {
    benchmark::AddCustomContext("ehm_version", ehm_version_string());
#if defined(__clang__)
    benchmark::AddCustomContext("compiler", "Clang " __clang_version__);
#else
    benchmark::AddCustomContext("compiler", "GCC " __VERSION__);
#endif
#ifdef NDEBUG
    benchmark::AddCustomContext("assertions", "off (NDEBUG)");
#else
    benchmark::AddCustomContext("assertions", "on");
#endif
    benchmark::AddCustomContext("suite_sizes", join(plan.sizes));
    benchmark::AddCustomContext("suite_sweep_slots", join(plan.sweep_slots));
    benchmark::AddCustomContext("suite_ops", std::to_string(plan.run.op_budget));
    benchmark::AddCustomContext("suite_repetitions", std::to_string(plan.run.repetitions));
}

} // namespace
} // namespace ehm_bench

int main(int argc, char **argv) {
    using namespace ehm_bench;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0) {
            std::fputs(kUsage, stdout);
        }
    }
    Plan plan;
    if (!parse_plan(&argc, argv, &plan)) {
        return 2;
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
        return 2;
    }
    add_context(plan);
    register_plan(plan);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
