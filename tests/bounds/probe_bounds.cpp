// Measures the paper's bounds on ehm and on uniform probing for
// delta = 2^-1 ... 2^-K and prints the tables of docs/paper-bounds.md.
//
// Each table is printed between `<!-- begin NAME -->` and `<!-- end NAME -->`
// lines, so scripts/bounds can put it in place in the document; --data writes
// the figures the plot needs as tab-separated columns. Progress goes to
// stderr. The measurement itself is bounds.hpp, shared with the test.
//
// usage: probe_bounds [--seeds N] [--slots N] [--misses N] [--max-k K] [--data FILE]
#include "bounds.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Options {
    uint64_t seeds = 5;
    uint64_t slots = uint64_t{1} << 20;
    uint64_t misses = uint64_t{1} << 18;
    unsigned max_k = 10;
    const char *data = nullptr;
};

struct Rows {
    std::vector<bounds::FillRow> fill;
    std::vector<bounds::ChurnRow> churn;
    std::vector<bounds::GrowthRow> growth;
};

const char kUsage[] =
    "usage: probe_bounds [--seeds N] [--slots N] [--misses N] [--max-k K] [--data FILE]\n"
    "  --seeds N   seeds 1..N, pooled (default 5)\n"
    "  --slots N   each table has at least N slots (default 1048576)\n"
    "  --misses N  absent keys looked up per seed and table (default 262144)\n"
    "  --max-k K   delta = 2^-1 ... 2^-K (default 10)\n"
    "  --data FILE write the plot's columns to FILE\n";

bool parse_count(const char *text, uint64_t min, uint64_t max, uint64_t &out) {
    if (text == nullptr || *text < '0' || *text > '9') return false;
    char *end = nullptr;
    errno = 0;
    const unsigned long long value = std::strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < min || value > max) return false;
    out = value;
    return true;
}

bool parse_options(int argc, char **argv, Options &out) {
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : nullptr;
        uint64_t k = 0;
        bool ok = false;
        if (flag == "--seeds") ok = parse_count(value, 1, 1000, out.seeds);
        if (flag == "--slots") ok = parse_count(value, 1024, uint64_t{1} << 32, out.slots);
        if (flag == "--misses") ok = parse_count(value, 1, uint64_t{1} << 32, out.misses);
        if (flag == "--max-k" && (ok = parse_count(value, 1, 20, k))) out.max_k = unsigned(k);
        if (flag == "--data" && (ok = value != nullptr)) out.data = value;
        if (!ok) return false;
        ++i;
    }
    return true;
}

bounds::Setup setup_for(const Options &options, unsigned k) {
    bounds::Setup setup;
    setup.log2_inverse_delta = k;
    setup.min_slots = options.slots;
    setup.miss_lookups = options.misses;
    setup.seeds.clear();
    for (uint64_t s = 1; s <= options.seeds; ++s) setup.seeds.push_back(s);
    return setup;
}

bool measure_all(const Options &options, Rows &rows) {
    for (unsigned k = 1; k <= options.max_k; ++k) {
        const bounds::Setup setup = setup_for(options, k);
        std::fprintf(stderr, "probe_bounds: delta 1/%llu\n", 1ull << k);
        std::string error;
        rows.fill.emplace_back();
        rows.churn.emplace_back();
        rows.growth.emplace_back();
        if (!bounds::measure_fill(setup, rows.fill.back(), error) ||
            !bounds::measure_churn(setup, rows.churn.back(), error) ||
            !bounds::measure_growth(setup, rows.growth.back(), error)) {
            std::fprintf(stderr, "probe_bounds: %s\n", error.c_str());
            return false;
        }
    }
    return true;
}

unsigned long long inverse_delta(size_t row) {
    return 1ull << (row + 1);
}

void print_setup(const Options &options, const Rows &rows) {
    std::printf("<!-- begin setup -->\n");
    std::printf("Measured with `probe_bounds --seeds %llu --slots %llu --misses %llu --max-k %u`: "
                "tables of %llu slots, seeds 1 to %llu pooled, %llu absent keys looked up per "
                "seed and table.\n",
                (unsigned long long)options.seeds, (unsigned long long)options.slots,
                (unsigned long long)options.misses, options.max_k,
                (unsigned long long)rows.fill.front().slots, (unsigned long long)options.seeds,
                (unsigned long long)options.misses);
    std::printf("<!-- end setup -->\n");
}

void print_fill(const char *name, const Rows &rows, bool elastic) {
    std::printf("<!-- begin %s -->\n", name);
    std::printf(elastic ? "| δ | load | levels | insert | last 1%% | last 0.1%% | max | hit | miss "
                          "| 2·log2(1/δ)+2 |\n|---|---|---|---|---|---|---|---|---|---|\n"
                        : "| δ | load | insert | last 1%% | last 0.1%% | max | hit | miss |\n"
                          "|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < rows.fill.size(); ++i) {
        const bounds::FillRow &row = rows.fill[i];
        const bounds::FillFigures &f = elastic ? row.elastic : row.uniform;
        std::printf("| 1/%llu | %.4f |", inverse_delta(i), row.load.value());
        if (elastic) std::printf(" %u |", row.levels);
        std::printf(" %.3f | %.3f | %.3f | %llu | %.3f | %.3f |", f.insert.value(),
                    f.last_percent.value(), f.last_permille.value(),
                    (unsigned long long)f.insert_max, f.hit.value(), f.miss.value());
        if (elastic) std::printf(" %zu |", 2 * (i + 1) + 2);
        std::printf("\n");
    }
    std::printf("<!-- end %s -->\n", name);
}

// Memory round trips of ehm's lookups in the full tables of print_fill.
void print_first_fetch(const Rows &rows) {
    std::printf("<!-- begin fetches -->\n| δ | load | hits decided in the first fetch "
                "| misses decided in it | fetches per hit | per miss | probes per hit "
                "| per miss |\n|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < rows.fill.size(); ++i) {
        const bounds::FillRow &row = rows.fill[i];
        const bounds::FillFigures &f = row.elastic;
        std::printf("| 1/%llu | %.4f | %.1f%% | %.1f%% | %.3f | %.3f | %.3f | %.3f |\n",
                    inverse_delta(i), row.load.value(), 100 * f.hit_first_fetch.value(),
                    100 * f.miss_first_fetch.value(), f.hit_fetches.value(),
                    f.miss_fetches.value(), f.hit.value(), f.miss.value());
    }
    std::printf("<!-- end fetches -->\n");
}

void print_churn(const Rows &rows) {
    std::printf("<!-- begin churn -->\n| δ | load | operations | rebuilds | insert | moved per op "
                "| tombstones | hit | miss |\n|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < rows.churn.size(); ++i) {
        const bounds::ChurnRow &row = rows.churn[i];
        std::printf("| 1/%llu | %.4f | %.0f | %.1f | %.3f | %.3f | %.4f | %.3f | %.3f |\n",
                    inverse_delta(i), row.load.value(), row.operations.value(),
                    row.rebuilds.value(), row.insert.value(), row.moved.value(),
                    row.tombstones.value(), row.hit.value(), row.miss.value());
    }
    std::printf("<!-- end churn -->\n");
}

void print_growth(const Rows &rows) {
    std::printf("<!-- begin growth -->\n| δ | entries | slots | rebuilds | placements per entry "
                "| probes per placement | max | hit | miss |\n"
                "|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < rows.growth.size(); ++i) {
        const bounds::GrowthRow &row = rows.growth[i];
        std::printf("| 1/%llu | %llu | %llu | %.1f | %.3f | %.3f | %llu | %.3f | %.3f |\n",
                    inverse_delta(i), (unsigned long long)row.entries,
                    (unsigned long long)row.slots, row.rebuilds.value(), row.placements.value(),
                    row.probes.value(), (unsigned long long)row.placement_max, row.hit.value(),
                    row.miss.value());
    }
    std::printf("<!-- end growth -->\n");
}

// One line per delta: k, then elastic and uniform insert, last 1%, last 0.1%,
// max, hit, miss.
bool write_data(const char *path, const Rows &rows) {
    std::FILE *out = std::fopen(path, "w");
    if (out == nullptr) return false;
    std::fprintf(out, "# k\te_insert\te_last1\te_last01\te_max\te_hit\te_miss"
                      "\tu_insert\tu_last1\tu_last01\tu_max\tu_hit\tu_miss\n");
    for (size_t i = 0; i < rows.fill.size(); ++i) {
        std::fprintf(out, "%zu", i + 1);
        for (const bounds::FillFigures *f : {&rows.fill[i].elastic, &rows.fill[i].uniform})
            std::fprintf(out, "\t%.4f\t%.4f\t%.4f\t%llu\t%.4f\t%.4f", f->insert.value(),
                         f->last_percent.value(), f->last_permille.value(),
                         (unsigned long long)f->insert_max, f->hit.value(), f->miss.value());
        std::fprintf(out, "\n");
    }
    return std::fclose(out) == 0;
}

} // namespace

int main(int argc, char **argv) {
    Options options;
    if (!parse_options(argc, argv, options)) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    Rows rows;
    if (!measure_all(options, rows)) return 1;
    print_setup(options, rows);
    print_fill("elastic", rows, true);
    print_fill("uniform", rows, false);
    print_first_fetch(rows);
    print_churn(rows);
    print_growth(rows);
    if (options.data != nullptr && !write_data(options.data, rows)) {
        std::fprintf(stderr, "probe_bounds: cannot write %s: %s\n", options.data,
                     std::strerror(errno));
        return 1;
    }
    return 0;
}
