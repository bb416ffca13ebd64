// The first-choice placement and the pipelined rebuild change how fast a key
// is placed, never where: a map that runs every placement through the full
// schedule (Settings::reference_schedule) and a map that takes the fast paths
// must agree byte for byte, in every control word, level mask and overflow
// bit and in the slot of every entry, after every kind of workload.
#include "map.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

using namespace ehm::detail;

namespace {

struct Workload {
    const char *name;
    double delta;
    uint32_t key_size;   // 0: variable
    uint32_t value_size; // 0: variable
    uint64_t capacity;   // reserved up front
    uint64_t keys;
    double remove_share; // churn: removals among the operations after the fill
};

class Twin {
public:
    explicit Twin(const Workload &w) : w_(w) {
        for (int i = 0; i < 2; ++i) {
            Settings s;
            s.delta = Delta::from_double(w.delta);
            s.seed = 0x5eed;
            s.layout = EntryLayout::of(w.key_size, w.value_size);
            s.reference_schedule = i == 0;
            EXPECT_EQ(Map::create(Memory::system_allocator(), s, w.capacity, &maps_[i]), EHM_OK);
        }
    }
    ~Twin() {
        Map::destroy(maps_[0]);
        Map::destroy(maps_[1]);
    }
    Twin(const Twin &) = delete;
    Twin &operator=(const Twin &) = delete;

    std::string key(uint64_t i) const {
        const size_t len = w_.key_size != 0 ? w_.key_size : 1 + i % 23;
        std::string k(len, '\0');
        uint64_t x = i * 0x9E3779B97F4A7C15ull + 1;
        for (size_t b = 0; b < len; ++b, x = x * 6364136223846793005ull + 1442695040888963407ull)
            k[b] = static_cast<char>(x >> 56);
        if (len >= 8) std::memcpy(&k[0], &i, 8); // distinct keys
        return k;
    }
    std::string value(uint64_t i) const {
        return std::string(w_.value_size != 0 ? w_.value_size : i % 5, static_cast<char>(i));
    }
    void put(uint64_t i) {
        const std::string k = key(i), v = value(i);
        for (Map *m : maps_)
            ASSERT_EQ(m->put(Blob{k.data(), k.size()}, Blob{v.data(), v.size()}), EHM_OK);
    }
    void remove(uint64_t i) {
        const std::string k = key(i);
        const int a = maps_[0]->remove(Blob{k.data(), k.size()});
        ASSERT_EQ(maps_[1]->remove(Blob{k.data(), k.size()}), a);
    }

    // Both tables hold the same bytes of metadata, the same schedule state
    // and each entry in the same slot.
    void expect_same(const std::string &when) const {
        const Table &ref = maps_[0]->table(), &fast = maps_[1]->table();
        ASSERT_EQ(ref.metadata_bytes(), fast.metadata_bytes()) << when;
        ASSERT_EQ(std::memcmp(ref.metadata(), fast.metadata(), ref.metadata_bytes()), 0) << when;
        ASSERT_EQ(ref.batch(), fast.batch()) << when;
        ASSERT_EQ(ref.occupied(), fast.occupied()) << when;
        ASSERT_EQ(ref.insert_stats().probes_total, fast.insert_stats().probes_total) << when;
        ASSERT_EQ(ref.insert_stats().probes_max, fast.insert_stats().probes_max) << when;
        size_t cr = 0, cf = 0;
        Blob kr{}, kf{}, vr{}, vf{};
        for (;;) {
            const int sr = maps_[0]->next(&cr, &kr, &vr);
            ASSERT_EQ(maps_[1]->next(&cf, &kf, &vf), sr) << when;
            if (sr != EHM_OK) break;
            ASSERT_EQ(cr, cf) << when; // the same slot index
            ASSERT_EQ(kr.len, kf.len) << when;
            ASSERT_EQ(std::memcmp(kr.data, kf.data, kr.len), 0) << when;
            ASSERT_EQ(vr.len, vf.len) << when;
            ASSERT_EQ(std::memcmp(vr.data, vf.data, vr.len), 0) << when;
        }
    }

private:
    Workload w_;
    Map *maps_[2] = {nullptr, nullptr};
};

class FirstChoice : public ::testing::TestWithParam<Workload> {};

TEST_P(FirstChoice, PlacesEveryKeyWhereTheFullScheduleDoes) {
    const Workload &w = GetParam();
    Twin twin(w);
    uint64_t next = 0;
    for (; next < w.keys; ++next) {
        ASSERT_NO_FATAL_FAILURE(twin.put(next));
        if ((next & (next + 1)) == 0) {
            ASSERT_NO_FATAL_FAILURE(twin.expect_same("fill " + std::to_string(next)));
        }
    }
    ASSERT_NO_FATAL_FAILURE(twin.expect_same("after the fill"));
    if (w.remove_share == 0) return;
    std::mt19937_64 rng(12345);
    std::vector<uint64_t> live;
    for (uint64_t i = 0; i < next; ++i) live.push_back(i);
    for (uint64_t op = 0; op < 3 * w.keys; ++op) {
        if (!live.empty() && std::uniform_real_distribution<>(0, 1)(rng) < w.remove_share) {
            const size_t at = rng() % live.size();
            ASSERT_NO_FATAL_FAILURE(twin.remove(live[at]));
            live[at] = live.back();
            live.pop_back();
        } else {
            ASSERT_NO_FATAL_FAILURE(twin.put(next));
            live.push_back(next++);
        }
        if (op % 4096 == 0) {
            ASSERT_NO_FATAL_FAILURE(twin.expect_same("churn " + std::to_string(op)));
        }
    }
    ASSERT_NO_FATAL_FAILURE(twin.expect_same("after the churn"));
}

INSTANTIATE_TEST_SUITE_P(
    Workloads, FirstChoice,
    ::testing::Values(Workload{"half", 1.0 / 2, 8, 8, 0, 20000, 0},
                      Workload{"quarter", 1.0 / 4, 8, 8, 0, 30000, 0},
                      Workload{"default", 1.0 / 32, 8, 8, 0, 60000, 0},
                      Workload{"d128", 1.0 / 128, 8, 8, 0, 40000, 0},
                      Workload{"d1024", 1.0 / 1024, 8, 8, 0, 40000, 0},
                      Workload{"reserved", 1.0 / 32, 8, 8, 50000, 48000, 0},
                      Workload{"reserved_d1024", 1.0 / 1024, 8, 8, 30000, 29900, 0},
                      Workload{"churn", 1.0 / 32, 8, 8, 0, 20000, 0.5},
                      Workload{"churn_d256", 1.0 / 256, 8, 8, 0, 20000, 0.45},
                      Workload{"key4_value4", 1.0 / 32, 4, 4, 0, 30000, 0.3},
                      Workload{"key16_value16", 1.0 / 64, 16, 16, 0, 30000, 0.3},
                      Workload{"odd_sizes", 1.0 / 32, 5, 3, 0, 30000, 0.3},
                      Workload{"large_fixed_nodes", 1.0 / 32, 100, 60, 0, 15000, 0.3},
                      Workload{"variable", 1.0 / 32, 0, 0, 0, 30000, 0.3},
                      Workload{"variable_d1024", 1.0 / 1024, 0, 0, 0, 20000, 0.3}),
    [](const ::testing::TestParamInfo<Workload> &info) { return std::string(info.param.name); });

} // namespace
