// ehm_huge_pages: do large tables gain from transparent huge pages? Builds
// two maps of N u64 -> u64 entries through the C API, one as ehm_create makes
// it (a table of 4 MiB or more advised for huge pages) and one with
// EHM_FLAG_NO_HUGE_PAGES, then times random lookups of present keys (hits)
// and of absent keys (misses) on both. The maps are timed in interleaved
// rounds that alternate which goes first, so that a change in the machine's
// load during the run falls on both; each round gives a ratio (huge pages
// over small pages) and the medians of those ratios are the result.
//
//   ehm_huge_pages [--entries=N] [--lookups=N] [--rounds=R]
//
// Defaults: 10,000,000 entries, 5,000,000 lookups of each kind per map and
// round, 7 rounds. scripts/huge-pages builds it (release) and runs it. It
// also prints how much of each table the kernel backed with huge pages
// (AnonHugePages in /proc/self/smaps): a ratio near 1 where that is 0 says
// the machine gave none, not that they do not help.
#include <ehm/ehm.h>

#include "smaps.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Options {
    uint64_t entries = 10000000;
    uint64_t lookups = 5000000;
    unsigned rounds = 7;
};

// Reads --name=value arguments; anything else stops the program.
Options parse(int argc, char **argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const size_t eq = arg.find('=');
        const std::string name = arg.substr(0, eq);
        const unsigned long long value =
            eq == std::string::npos ? 0 : std::strtoull(arg.c_str() + eq + 1, nullptr, 10);
        if (name == "--entries" && value > 0)
            o.entries = value;
        else if (name == "--lookups" && value > 0)
            o.lookups = value;
        else if (name == "--rounds" && value > 0)
            o.rounds = static_cast<unsigned>(value);
        else {
            std::fprintf(stderr, "usage: %s [--entries=N] [--lookups=N] [--rounds=R]\n", argv[0]);
            std::exit(2);
        }
    }
    return o;
}

[[noreturn]] void die(const char *what, int rc) {
    std::fprintf(stderr, "ehm_huge_pages: %s: %s (%s)\n", what, ehm_strerror(rc), ehm_last_error());
    std::exit(1);
}

// Spreads consecutive integers, as distinct keys from a program would be:
// key_of(i) for i < entries is present, for i >= entries absent.
uint64_t key_of(uint64_t i) {
    return i * 0x9E3779B97F4A7C15ull;
}

// splitmix64: a fixed stream of random indices, the same for both maps.
uint64_t next_random(uint64_t &state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// `count` keys of indices drawn from [first, first + span), in random order.
std::vector<uint64_t> random_keys(uint64_t count, uint64_t first, uint64_t span, uint64_t seed) {
    std::vector<uint64_t> keys(count);
    for (uint64_t &k : keys) k = key_of(first + next_random(seed) % span);
    return keys;
}

struct Map {
    const char *name;
    ehm_map *map = nullptr;
    double insert_ns = 0;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Inserts key_of(0 .. entries) into a growing map made with `flags`.
Map build(const char *name, uint32_t flags, uint64_t entries) {
    ehm_config cfg;
    ehm_config_init(&cfg);
    cfg.key_size = 8;
    cfg.value_size = 8;
    cfg.flags = flags;
    Map m{name};
    int rc = ehm_create(&m.map, &cfg);
    if (rc != EHM_OK) die("ehm_create", rc);
    const auto start = std::chrono::steady_clock::now();
    for (uint64_t i = 0; i < entries; ++i) {
        const uint64_t key = key_of(i);
        rc = ehm_put(m.map, &key, sizeof key, &i, sizeof i);
        if (rc != EHM_OK) die("ehm_put", rc);
    }
    m.insert_ns = seconds_since(start) * 1e9 / static_cast<double>(entries);
    return m;
}

// ns per lookup of `keys` in `map`; `found` must be how many are present.
double time_lookups(const ehm_map *map, const std::vector<uint64_t> &keys, uint64_t found) {
    uint64_t hits = 0, sum = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const uint64_t key : keys) {
        const void *value = nullptr;
        if (ehm_get(map, &key, sizeof key, &value, nullptr) == EHM_OK) {
            ++hits;
            uint64_t v;
            std::memcpy(&v, value, sizeof v);
            sum += v;
        }
    }
    const double ns = seconds_since(start) * 1e9 / static_cast<double>(keys.size());
    if (hits != found) {
        std::fprintf(stderr, "ehm_huge_pages: %llu of %zu keys found, expected %llu (sum %llu)\n",
                     static_cast<unsigned long long>(hits), keys.size(),
                     static_cast<unsigned long long>(found), static_cast<unsigned long long>(sum));
        std::exit(1);
    }
    return ns;
}

// The field `field` (in kB) of the mapping in /proc/self/smaps that contains
// `address`; -1 where there is no such file or mapping.
long smaps_kb(const void *address, const std::string &field) {
    std::string value;
    return ehm_test::smaps_field(address, field, value) ? std::atol(value.c_str()) : -1;
}

// An address inside the map's table: the value of a present key, in place.
const void *inside_table(const ehm_map *map) {
    const uint64_t key = key_of(0);
    const void *value = nullptr;
    const int rc = ehm_get(map, &key, sizeof key, &value, nullptr);
    if (rc != EHM_OK) die("ehm_get", rc);
    return value;
}

void describe(const Map &m) {
    ehm_stats s;
    std::memset(&s, 0, sizeof s);
    s.struct_size = sizeof s;
    ehm_stats_get(m.map, &s);
    const void *table = inside_table(m.map);
    std::printf("%-12s capacity %llu, memory_bytes %llu, insert %.1f ns/op (one build); table "
                "mapping: %ld kB, AnonHugePages %ld kB\n",
                m.name, static_cast<unsigned long long>(s.capacity),
                static_cast<unsigned long long>(s.memory_bytes), m.insert_ns,
                smaps_kb(table, "Size"), smaps_kb(table, "AnonHugePages"));
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

int main(int argc, char **argv) {
    const Options o = parse(argc, argv);
    std::printf("ehm_huge_pages: %llu u64 -> u64 entries, %llu lookups of each kind per map and "
                "round, %u rounds\n",
                static_cast<unsigned long long>(o.entries),
                static_cast<unsigned long long>(o.lookups), o.rounds);
    Map maps[2] = {build("huge pages", 0, o.entries),
                   build("small pages", EHM_FLAG_NO_HUGE_PAGES, o.entries)};
    for (const Map &m : maps) describe(m);

    const std::vector<uint64_t> hits = random_keys(o.lookups, 0, o.entries, 1);
    const std::vector<uint64_t> misses = random_keys(o.lookups, o.entries, o.entries, 2);
    std::vector<double> hit_ratio, miss_ratio;
    std::printf("\nround  first        hit ns: huge  small  ratio   miss ns: huge  small  ratio\n");
    for (unsigned r = 0; r < o.rounds; ++r) {
        double hit_ns[2], miss_ns[2];
        for (unsigned turn = 0; turn < 2; ++turn) {
            const unsigned which = (r + turn) % 2; // round 0: huge pages first
            hit_ns[which] = time_lookups(maps[which].map, hits, o.lookups);
            miss_ns[which] = time_lookups(maps[which].map, misses, 0);
        }
        hit_ratio.push_back(hit_ns[0] / hit_ns[1]);
        miss_ratio.push_back(miss_ns[0] / miss_ns[1]);
        std::printf("%5u  %-11s  %12.1f %6.1f %6.3f  %13.1f %6.1f %6.3f\n", r + 1, maps[r % 2].name,
                    hit_ns[0], hit_ns[1], hit_ratio.back(), miss_ns[0], miss_ns[1],
                    miss_ratio.back());
    }
    const auto range = [](const std::vector<double> &v) {
        return std::make_pair(*std::min_element(v.begin(), v.end()),
                              *std::max_element(v.begin(), v.end()));
    };
    const auto [hit_lo, hit_hi] = range(hit_ratio);
    const auto [miss_lo, miss_hi] = range(miss_ratio);
    std::printf("\nhuge / small pages, median over %u rounds: hits %.3f (%.3f-%.3f), misses %.3f "
                "(%.3f-%.3f)\n",
                o.rounds, median(hit_ratio), hit_lo, hit_hi, median(miss_ratio), miss_lo, miss_hi);
    for (Map &m : maps) ehm_destroy(m.map);
    return 0;
}
