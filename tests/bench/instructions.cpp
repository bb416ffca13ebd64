// Instructions per operation, counted by callgrind: noise-free figures for the
// hot paths, beside boost::unordered_flat_map in the same program.
//
//   valgrind --tool=callgrind --collect-atstart=no ehm_instructions OP MAP N
//
// OP is insert (growing from the default capacity), insert-reserved, hit,
// miss, hit-home or miss-home (lookups all decided in the home group), erase
// or rebuild; MAP is ehm (through the C ABI, 8-byte keys and values)
// or boost. Only the measured loop runs with collection on (callgrind client
// requests), so the total callgrind reports, divided by N, is the cost of one
// operation with its share of the calling loop. scripts/instructions runs
// every pair and writes the table. Outside valgrind the program just runs.
#include <boost/unordered/unordered_flat_map.hpp>
#include <ehm/ehm.h>
#include <valgrind/callgrind.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

uint64_t splitmix(uint64_t &state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::vector<uint64_t> random_keys(size_t n, uint64_t seed) {
    std::vector<uint64_t> keys(n);
    for (auto &k : keys) k = splitmix(seed);
    return keys;
}

// Collection is on only between start() and stop(); with EHM_PROFILE set the
// program leaves collection alone, for a whole-run profile by function.
bool toggles() {
    static const bool on = std::getenv("EHM_PROFILE") == nullptr;
    return on;
}
void start() {
    if (!toggles()) return;
    CALLGRIND_ZERO_STATS;
    CALLGRIND_TOGGLE_COLLECT;
}
void stop() {
    if (toggles()) CALLGRIND_TOGGLE_COLLECT;
}

struct EhmMap {
    ehm_map *map = nullptr;
    EhmMap() {
        ehm_config config;
        ehm_config_init(&config);
        config.key_size = 8;
        config.value_size = 8;
        config.flags = EHM_FLAG_FIXED_SEED;
        config.seed = 42;
        if (ehm_create(&map, &config) != EHM_OK) std::exit(2);
    }
    ~EhmMap() { ehm_destroy(map); }
    void reserve(size_t n) {
        if (ehm_reserve(map, n) != EHM_OK) std::exit(2);
    }
    bool insert(uint64_t k, uint64_t v) { return ehm_put(map, &k, 8, &v, 8) == EHM_OK; }
    bool find(uint64_t k, uint64_t &v) const {
        const void *p;
        if (ehm_get(map, &k, 8, &p, nullptr) != EHM_OK) return false;
        std::memcpy(&v, p, 8);
        return true;
    }
    bool erase(uint64_t k) { return ehm_remove(map, &k, 8) == EHM_OK; }
    // A rebuild of every entry: reserve twice the capacity.
    void grow() { reserve(ehm_capacity(map) * 2); }
};

struct BoostMap {
    boost::unordered_flat_map<uint64_t, uint64_t> map;
    void reserve(size_t n) { map.reserve(n); }
    bool insert(uint64_t k, uint64_t v) { return map.insert_or_assign(k, v).second; }
    bool find(uint64_t k, uint64_t &v) const {
        auto it = map.find(k);
        if (it == map.end()) return false;
        v = it->second;
        return true;
    }
    bool erase(uint64_t k) { return map.erase(k) == 1; }
    void grow() { map.rehash(map.bucket_count() * 2); }
};

template <class Map>
__attribute__((noinline)) size_t insert_all(Map &map, const std::vector<uint64_t> &keys) {
    size_t done = 0;
    for (uint64_t k : keys) done += map.insert(k, k + 1);
    return done;
}

template <class Map>
__attribute__((noinline)) uint64_t find_all(const Map &map, const std::vector<uint64_t> &keys) {
    uint64_t sum = 0, v = 0;
    for (uint64_t k : keys) sum += map.find(k, v) ? v : 1;
    return sum;
}

template <class Map>
__attribute__((noinline)) size_t erase_all(Map &map, const std::vector<uint64_t> &keys) {
    size_t done = 0;
    for (uint64_t k : keys) done += map.erase(k);
    return done;
}

template <class Map>
int run(const std::string &op, size_t n) {
    const std::vector<uint64_t> keys = random_keys(n, 1);
    Map map;
    uint64_t check = 0;
    if (op == "insert" || op == "insert-reserved") {
        if (op == "insert-reserved") map.reserve(n);
        start();
        check = insert_all(map, keys);
        stop();
        return check == n ? 0 : 1;
    }
    // In a table reserved for 8 times the keys, all of them sit in their home
    // groups, and every lookup is decided there.
    const bool at_home = op == "hit-home" || op == "miss-home";
    if (at_home) map.reserve(8 * n);
    if (insert_all(map, keys) != n) return 1;
    if (op == "hit" || op == "hit-home") {
        start();
        check = find_all(map, keys);
        stop();
        return check != 0 ? 0 : 1;
    }
    if (op == "miss" || op == "miss-home") {
        const std::vector<uint64_t> absent = random_keys(n, 2);
        start();
        check = find_all(map, absent);
        stop();
        return check == n ? 0 : 1;
    }
    if (op == "erase") {
        start();
        check = erase_all(map, keys);
        stop();
        return check == n ? 0 : 1;
    }
    if (op == "rebuild") {
        start();
        map.grow();
        stop();
        return 0;
    }
    std::fprintf(stderr, "ehm_instructions: unknown operation %s\n", op.c_str());
    return 2;
}

} // namespace

int main(int argc, char **argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: ehm_instructions OP ehm|boost N\n");
        return 2;
    }
    const std::string op = argv[1], map = argv[2];
    const size_t n = std::strtoull(argv[3], nullptr, 10);
    if (map == "ehm") return run<EhmMap>(op, n);
    if (map == "boost") return run<BoostMap>(op, n);
    std::fprintf(stderr, "ehm_instructions: unknown map %s\n", map.c_str());
    return 2;
}
