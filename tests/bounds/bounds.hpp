// The paper's bounds (arXiv 2501.02305, Theorem 1) measured on ehm through its
// C ABI, beside uniform probing on the same group layout.
//
// What. For delta = 2^-k, a table of at least `min_slots` slots is filled with
// random 8-byte keys to its growth point (the most entries it holds before an
// insertion rebuilds it), and the probes of insertions, hits and misses are
// read from ehm_stats_get, ehm_probe_count and ehm_probe_fetches. The baseline (uniform_table.hpp)
// takes the same keys to the same count. Two more runs cover what the paper
// leaves out: steady churn of removals and insertions, and growth from the
// default capacity.
//
// Why one place. The program that writes docs/paper-bounds.md and the test
// that holds the bounds call these functions, so the figures the document
// shows and the figures the test checks come from the same measurement.
//
// Invariant. Every figure is a ratio of counts the map or the baseline
// reported for work it did, summed over the seeds (a pooled mean), except the
// maxima, which are the largest over the seeds. A run that finds the map
// departing from its documented behaviour (growth point, counts) fails with a
// message instead of producing figures.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bounds {

// numerator / denominator, both summed over seeds.
struct Ratio {
    uint64_t numerator = 0;
    uint64_t denominator = 0;

    double value() const {
        return denominator == 0 ? 0.0
                                : static_cast<double>(numerator) / static_cast<double>(denominator);
    }
    void add(const Ratio &other) {
        numerator += other.numerator;
        denominator += other.denominator;
    }
};

struct Setup {
    unsigned log2_inverse_delta = 5; // delta = 2^-k
    uint64_t min_slots = 1 << 16;    // the table has at least this many slots
    uint64_t miss_lookups = 1 << 14; // absent keys looked up per seed
    std::vector<uint64_t> seeds{1};

    double delta() const;
};

// Probes of one scheme filled to the growth point, per insertion or lookup.
struct FillFigures {
    Ratio insert;        // every insertion
    Ratio last_percent;  // the last 1% of insertions
    Ratio last_permille; // the last 0.1%
    uint64_t insert_max = 0;
    Ratio hit;  // a lookup of every inserted key
    Ratio miss; // lookups of absent keys
    // ehm only (ehm_probe_fetches): memory round trips per hit and per miss,
    // and the share of hits and misses its first fetch decided.
    Ratio hit_fetches;
    Ratio miss_fetches;
    Ratio hit_first_fetch;
    Ratio miss_first_fetch;
};

struct FillRow {
    uint64_t slots = 0;
    uint64_t growth_point = 0; // entries held when the next insertion rebuilt the table
    unsigned levels = 0;       // levels holding entries at the growth point
    Ratio load;                // growth_point / slots
    FillFigures elastic;
    FillFigures uniform; // same slots, same keys, same count
};

// Steady churn: the table holds 2/3 of its growth point (the fullest state in
// which ehm reclaims tombstones by rebuilding in place) while each operation
// removes a random entry and inserts a new key. Measured when tombstones
// have brought the table to its limit, just before the next rebuild.
struct ChurnRow {
    uint64_t slots = 0;
    Ratio load;       // live entries / slots
    Ratio operations; // per seed
    Ratio insert;     // probes per insertion, rebuilding insertions excluded
    Ratio rebuilds;   // per seed, all in place
    Ratio moved;      // entries rebuilds placed again, per operation
    Ratio tombstones; // per slot, when measured
    Ratio hit;        // every live key
    Ratio miss;
};

// Growth: a map created with the default capacity takes keys until its table
// has at least `min_slots` slots and stands at its growth point, rebuilding at
// twice its groups each time it reaches one before. Ending at a growth point
// counts every rebuild over whole tables.
struct GrowthRow {
    uint64_t entries = 0; // at the end
    uint64_t slots = 0;   // at the end
    Ratio rebuilds;       // per seed
    Ratio placements;     // insertions plus rebuild placements, per entry
    Ratio probes;         // per placement
    uint64_t placement_max = 0;
    Ratio hit;
    Ratio miss;
};

// Each returns false with `error` set when the map fails or departs from its
// documented behaviour.
bool measure_fill(const Setup &setup, FillRow &out, std::string &error);
bool measure_churn(const Setup &setup, ChurnRow &out, std::string &error);
bool measure_growth(const Setup &setup, GrowthRow &out, std::string &error);

} // namespace bounds
