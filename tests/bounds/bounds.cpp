#include "bounds.hpp"

#include "key_stream.hpp"
#include "uniform_table.hpp"

#include <ehm/ehm.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace bounds {

namespace {

struct MapDeleter {
    void operator()(ehm_map *map) const { ehm_destroy(map); }
};
using MapPtr = std::unique_ptr<ehm_map, MapDeleter>;

// Records why a run stopped; returns false so that callers can return it.
bool fail(std::string &error, const std::string &why) {
    error = why;
    return false;
}

bool check(int status, const char *call, std::string &error) {
    if (status == EHM_OK) return true;
    return fail(error, std::string(call) + ": " + ehm_strerror(status));
}

std::string str(uint64_t n) {
    return std::to_string(n);
}

// A fixed-seed map of 8-byte keys and values with room for `entries`.
bool create_map(const Setup &setup, uint64_t seed, uint64_t entries, MapPtr &out,
                std::string &error) {
    ehm_config cfg;
    ehm_config_init(&cfg);
    cfg.flags = EHM_FLAG_FIXED_SEED;
    cfg.seed = seed;
    cfg.delta = setup.delta();
    cfg.capacity = entries;
    cfg.key_size = 8;
    cfg.value_size = 8;
    ehm_map *map = nullptr;
    if (!check(ehm_create(&map, &cfg), "ehm_create", error)) return false;
    out.reset(map);
    return true;
}

// A map of at least setup.min_slots slots, asked for the entries such a table
// holds, so that every delta gets the same table when the geometry allows.
bool create_sized_map(const Setup &setup, uint64_t seed, MapPtr &out, std::string &error) {
    uint64_t entries = setup.min_slots - (setup.min_slots >> setup.log2_inverse_delta);
    for (;;) {
        if (!create_map(setup, seed, entries, out, error)) return false;
        const uint64_t slots = ehm_capacity(out.get());
        if (slots >= setup.min_slots) return true;
        entries += setup.min_slots - slots;
    }
}

// Entries a table of `slots` accepts before an insertion rebuilds it, as
// docs/design.md promises: n - floor(delta n).
uint64_t documented_growth_point(const Setup &setup, uint64_t slots) {
    return slots - (slots >> setup.log2_inverse_delta);
}

bool read_stats(const ehm_map *map, ehm_stats &out, std::string &error) {
    std::memset(&out, 0, sizeof out);
    out.struct_size = sizeof out;
    return check(ehm_stats_get(map, &out), "ehm_stats_get", error);
}

bool put_key(ehm_map *map, uint64_t key, std::string &error) {
    return check(ehm_put(map, &key, sizeof key, &key, sizeof key), "ehm_put", error);
}

std::vector<uint64_t> draw(KeyStream &stream, uint64_t count) {
    std::vector<uint64_t> keys(count);
    for (uint64_t &key : keys) key = stream.next();
    return keys;
}

// Index of the first of the last n/per insertions of a fill of n (at least one).
uint64_t tail_start(uint64_t n, uint64_t per) {
    return n - std::min(n, std::max<uint64_t>(n / per, 1));
}

// Adds the probes of looking up every key; each lookup must answer `expected`.
// `probe(key, probes)` returns EHM_OK or EHM_NOTFOUND and sets `probes`.
template <class Probe>
bool count_lookups(const std::vector<uint64_t> &keys, int expected, const Probe &probe, Ratio &out,
                   std::string &error) {
    for (uint64_t key : keys) {
        uint64_t probes = 0;
        const int status = probe(key, probes);
        if (status != expected)
            return fail(error,
                        std::string(expected == EHM_OK ? "an inserted key" : "an absent key") +
                            " answered: " + ehm_strerror(status));
        out.add(Ratio{probes, 1});
    }
    return true;
}

bool elastic_lookups(const ehm_map *map, const std::vector<uint64_t> &keys, int expected,
                     Ratio &out, std::string &error) {
    auto probe = [map](uint64_t key, uint64_t &probes) {
        return ehm_probe_count(map, &key, sizeof key, &probes);
    };
    return count_lookups(keys, expected, probe, out, error);
}

// Adds the fetches of looking up every key, and how many took one.
bool elastic_fetches(const ehm_map *map, const std::vector<uint64_t> &keys, int expected,
                     Ratio &fetches, Ratio &first_fetch, std::string &error) {
    for (uint64_t key : keys) {
        uint64_t n = 0;
        const int status = ehm_probe_fetches(map, &key, sizeof key, &n);
        if (status != expected) return fail(error, std::string("ehm_probe_fetches answered: ") +
                                                       ehm_strerror(status));
        if (n == 0) return fail(error, "a lookup took no fetch");
        fetches.add(Ratio{n, 1});
        first_fetch.add(Ratio{n == 1 ? 1u : 0u, 1});
    }
    return true;
}

// ---- filling to the growth point ---------------------------------------------

// Inserts `keys` into an empty map that must not rebuild on the way, and books
// the insertion figures its statistics report.
bool fill_elastic(ehm_map *map, const std::vector<uint64_t> &keys, FillFigures &out, ehm_stats &end,
                  std::string &error) {
    const uint64_t n = keys.size();
    const uint64_t percent_from = tail_start(n, 100), permille_from = tail_start(n, 1000);
    ehm_stats at_percent, at_permille;
    for (uint64_t i = 0; i < n; ++i) {
        if (i == percent_from && !read_stats(map, at_percent, error)) return false;
        if (i == permille_from && !read_stats(map, at_permille, error)) return false;
        if (!put_key(map, keys[i], error)) return false;
    }
    if (!read_stats(map, end, error)) return false;
    if (end.rebuilds != 0)
        return fail(error, "rebuilt before its documented growth point of " + str(n) + " entries");
    if (end.size != n || end.inserts != n)
        return fail(error, "counted " + str(end.inserts) + " insertions of " + str(n) + " keys");
    if (end.insert_probes_total < end.inserts || end.insert_probes_max == 0)
        return fail(error, "reported fewer insertion probes than insertions");
    out.insert.add(Ratio{end.insert_probes_total, end.inserts});
    out.last_percent.add(Ratio{end.insert_probes_total - at_percent.insert_probes_total,
                               end.inserts - at_percent.inserts});
    out.last_permille.add(Ratio{end.insert_probes_total - at_permille.insert_probes_total,
                                end.inserts - at_permille.inserts});
    out.insert_max = std::max(out.insert_max, end.insert_probes_max);
    return true;
}

// Inserts new keys until one makes the table rebuild; the growth point is
// the number of entries it held before that insertion.
bool find_growth_point(ehm_map *map, KeyStream &stream, uint64_t &out, std::string &error) {
    const uint64_t slots = ehm_capacity(map);
    for (uint64_t held = ehm_size(map); held <= slots; ++held) {
        if (!put_key(map, stream.next(), error)) return false;
        ehm_stats s;
        if (!read_stats(map, s, error)) return false;
        if (s.rebuilds != 0) {
            out = held;
            return true;
        }
    }
    return fail(error, "held every slot without rebuilding");
}

bool fill_uniform(uint64_t groups, uint64_t seed, const std::vector<uint64_t> &keys,
                  const std::vector<uint64_t> &absent, FillFigures &out, std::string &error) {
    UniformTable table;
    if (!check(table.init(groups, seed), "uniform table", error)) return false;
    const uint64_t n = keys.size();
    if (n >= table.slots()) return fail(error, "the uniform table has no free slot left");
    const uint64_t percent_from = tail_start(n, 100), permille_from = tail_start(n, 1000);
    for (uint64_t i = 0; i < n; ++i) {
        const uint64_t probes = table.insert(keys[i]);
        out.insert.add(Ratio{probes, 1});
        if (i >= percent_from) out.last_percent.add(Ratio{probes, 1});
        if (i >= permille_from) out.last_permille.add(Ratio{probes, 1});
        out.insert_max = std::max(out.insert_max, probes);
    }
    auto probe = [&table](uint64_t key, uint64_t &probes) {
        bool found = false;
        probes = table.lookup(key, found);
        return found ? EHM_OK : EHM_NOTFOUND;
    };
    return count_lookups(keys, EHM_OK, probe, out.hit, error) &&
           count_lookups(absent, EHM_NOTFOUND, probe, out.miss, error);
}

bool fill_one_seed(const Setup &setup, uint64_t seed, FillRow &row, std::string &error) {
    MapPtr map;
    if (!create_sized_map(setup, seed, map, error)) return false;
    const uint64_t slots = ehm_capacity(map.get());
    const uint64_t n = documented_growth_point(setup, slots);
    KeyStream stream(seed);
    const std::vector<uint64_t> keys = draw(stream, n);
    const std::vector<uint64_t> absent = draw(stream, setup.miss_lookups);

    ehm_stats end;
    if (!fill_elastic(map.get(), keys, row.elastic, end, error) ||
        !elastic_lookups(map.get(), keys, EHM_OK, row.elastic.hit, error) ||
        !elastic_lookups(map.get(), absent, EHM_NOTFOUND, row.elastic.miss, error) ||
        !elastic_fetches(map.get(), keys, EHM_OK, row.elastic.hit_fetches,
                         row.elastic.hit_first_fetch, error) ||
        !elastic_fetches(map.get(), absent, EHM_NOTFOUND, row.elastic.miss_fetches,
                         row.elastic.miss_first_fetch, error))
        return false;
    uint64_t growth_point = 0;
    if (!find_growth_point(map.get(), stream, growth_point, error)) return false;
    if (growth_point != n)
        return fail(error,
                    "grew at " + str(growth_point) + " entries, not at its documented " + str(n));
    row.slots = slots;
    row.growth_point = growth_point;
    row.levels = std::max(row.levels, end.levels);
    row.load.add(Ratio{growth_point, slots});
    return fill_uniform(slots / UniformTable::kGroupSlots, seed, keys, absent, row.uniform, error);
}

// ---- churn ------------------------------------------------------------------

uint64_t pick_index(KeyStream &chooser, uint64_t count) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(chooser.next()) * count) >> 64);
}

// One operation: removes a random live entry and inserts a new key, then books
// the insertion's probes, or the rebuild it caused. `stats` is kept current.
bool churn_step(ehm_map *map, std::vector<uint64_t> &live, KeyStream &fresh, KeyStream &chooser,
                ehm_stats &stats, ChurnRow &row, std::string &error) {
    uint64_t &entry = live[pick_index(chooser, live.size())];
    if (!check(ehm_remove(map, &entry, sizeof entry), "ehm_remove", error)) return false;
    entry = fresh.next();
    ehm_stats after;
    if (!put_key(map, entry, error) || !read_stats(map, after, error)) return false;
    const bool rebuilt = after.rebuilds != stats.rebuilds;
    if (rebuilt) {
        row.moved.add(Ratio{after.inserts - 1, 1}); // the window restarted: moves, then the key
    } else {
        if (after.inserts != stats.inserts + 1)
            return fail(error, "an insertion under churn was not counted");
        row.moved.add(Ratio{0, 1});
        row.insert.add(Ratio{after.insert_probes_total - stats.insert_probes_total, 1});
    }
    stats = after;
    return true;
}

bool churn_one_seed(const Setup &setup, uint64_t seed, ChurnRow &row, std::string &error) {
    MapPtr map;
    if (!create_sized_map(setup, seed, map, error)) return false;
    const uint64_t slots = ehm_capacity(map.get());
    const uint64_t limit = documented_growth_point(setup, slots);
    KeyStream stream(seed), chooser(mix64(~seed));
    // The most live entries with which a full table is still rebuilt in place
    // (Map::make_room): (live + 1) * 3 <= limit * 2.
    std::vector<uint64_t> live = draw(stream, limit * 2 / 3 - 1);
    for (uint64_t key : live)
        if (!put_key(map.get(), key, error)) return false;

    ehm_stats stats;
    if (!read_stats(map.get(), stats, error)) return false;
    const uint64_t min_operations = 2 * slots;
    uint64_t operations = 0;
    // Runs on until removals have left the table at its limit: the state with
    // the most tombstones, just before a rebuild reclaims them. Insertions
    // reuse the tombstones on their own paths, so the count may instead
    // settle below the limit; the run then ends after `limit` more operations.
    while (operations < min_operations ||
           (stats.size + stats.tombstones < limit && operations < min_operations + limit)) {
        if (!churn_step(map.get(), live, stream, chooser, stats, row, error)) return false;
        if (stats.capacity != slots)
            return fail(error, "grew under churn at 2/3 of its growth point");
        ++operations;
    }
    row.slots = slots;
    row.load.add(Ratio{stats.size, slots});
    row.operations.add(Ratio{operations, 1});
    row.rebuilds.add(Ratio{stats.rebuilds, 1});
    row.tombstones.add(Ratio{stats.tombstones, slots});
    const std::vector<uint64_t> absent = draw(stream, setup.miss_lookups);
    return elastic_lookups(map.get(), live, EHM_OK, row.hit, error) &&
           elastic_lookups(map.get(), absent, EHM_NOTFOUND, row.miss, error);
}

// ---- growth -----------------------------------------------------------------

// Books one statistics window (the placements of one table) into the row.
void book_window(const ehm_stats &window, GrowthRow &row, Ratio &placements) {
    row.probes.add(Ratio{window.insert_probes_total, window.inserts});
    placements.numerator += window.inserts;
    row.placement_max = std::max(row.placement_max, window.insert_probes_max);
}

// Inserts keys until the table has at least setup.min_slots slots and holds
// its growth point, booking every statistics window (one per table) on the way.
bool growth_one_seed(const Setup &setup, uint64_t seed, GrowthRow &row, std::string &error) {
    MapPtr map;
    if (!create_map(setup, seed, 0, map, error)) return false;
    KeyStream stream(seed);
    std::vector<uint64_t> keys;
    ehm_stats before;
    if (!read_stats(map.get(), before, error)) return false;
    Ratio placements;
    uint64_t moved = 0;
    while (before.capacity < setup.min_slots ||
           before.size < documented_growth_point(setup, before.capacity)) {
        if (keys.size() == 4 * setup.min_slots)
            return fail(error, "never stood at a growth point of the size asked for");
        keys.push_back(stream.next());
        ehm_stats after;
        if (!put_key(map.get(), keys.back(), error) || !read_stats(map.get(), after, error))
            return false;
        if (after.rebuilds != before.rebuilds) { // the window restarted with the rebuild
            book_window(before, row, placements);
            moved += after.inserts - 1;
        }
        before = after;
    }
    book_window(before, row, placements);
    placements.denominator = keys.size();
    if (placements.numerator != keys.size() + moved)
        return fail(error, "placements counted do not add up to insertions plus moves");
    row.entries = keys.size();
    row.slots = before.capacity;
    row.rebuilds.add(Ratio{before.rebuilds, 1});
    row.placements.add(placements);
    const std::vector<uint64_t> absent = draw(stream, setup.miss_lookups);
    return elastic_lookups(map.get(), keys, EHM_OK, row.hit, error) &&
           elastic_lookups(map.get(), absent, EHM_NOTFOUND, row.miss, error);
}

// Runs `per_seed` for every seed of a valid setup, accumulating into `out`.
template <class Row, class PerSeed>
bool over_seeds(const Setup &setup, const PerSeed &per_seed, Row &out, std::string &error) {
    out = Row{};
    if (setup.seeds.empty()) return fail(error, "no seeds");
    if (setup.log2_inverse_delta < 1 || setup.log2_inverse_delta > 20)
        return fail(error, "log2(1/delta) must be in 1..20");
    if (setup.min_slots < (uint64_t{1} << setup.log2_inverse_delta))
        return fail(error, "fewer slots than 1/delta");
    for (uint64_t seed : setup.seeds) {
        if (!per_seed(setup, seed, out, error)) {
            error = "delta 2^-" + std::to_string(setup.log2_inverse_delta) + ", seed " + str(seed) +
                    ": " + error;
            return false;
        }
    }
    return true;
}

} // namespace

double Setup::delta() const {
    return std::ldexp(1.0, -static_cast<int>(log2_inverse_delta));
}

bool measure_fill(const Setup &setup, FillRow &out, std::string &error) {
    return over_seeds(setup, fill_one_seed, out, error);
}

bool measure_churn(const Setup &setup, ChurnRow &out, std::string &error) {
    return over_seeds(setup, churn_one_seed, out, error);
}

bool measure_growth(const Setup &setup, GrowthRow &out, std::string &error) {
    return over_seeds(setup, growth_one_seed, out, error);
}

} // namespace bounds
