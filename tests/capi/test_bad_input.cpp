// Table-driven bad input: every rejected call returns its documented code and
// changes nothing — not the maps, not the out-parameters, not the allocator.
#include "capi_util.hpp"

#include <cmath>
#include <functional>
#include <limits>

namespace {

using namespace ehmtest;

// Out-parameters handed to the calls, preset to recognisable values.
struct Outs {
    const void *value;
    size_t value_len;
    const void *key;
    size_t key_len;
    size_t cursor;
    uint64_t probes;
    unsigned char buf[16];
    ehm_map *map;
    struct {
        ehm_stats s;
        unsigned char tail[16];
    } stats;
};

Outs fresh_outs() {
    Outs o;
    std::memset(&o, 0, sizeof o);
    o.value = reinterpret_cast<const void *>(uintptr_t{0xBAD0});
    o.value_len = 0xBAD1;
    o.key = reinterpret_cast<const void *>(uintptr_t{0xBAD2});
    o.key_len = 0xBAD3;
    o.cursor = 0;
    o.probes = 0xBAD4;
    std::memset(o.buf, 0xA5, sizeof o.buf);
    o.map = sentinel_map();
    std::memset(&o.stats, 0x3C, sizeof o.stats);
    o.stats.s.struct_size = sizeof(ehm_stats);
    return o;
}

// Two prefilled maps the calls run against: variable-length and fixed 8/8.
struct Maps {
    ehm_map *var;
    ehm_map *fixed;
};

enum class OutRule {
    Untouched, // every out-parameter keeps its preset value
    MapNulled, // create/clone: *out becomes NULL, the rest is untouched
};

struct BadCall {
    std::string name;
    int expected;
    std::function<int(Maps &, Outs &)> call;
    std::function<void(Outs &)> prepare; // adjusts the presets before the call
    OutRule rule = OutRule::Untouched;
};

const char kBytes[] = "0123456789abcdef0123456789abcdef";
const void *const kAny = kBytes; // a valid pointer; lengths below never let it be read far
constexpr size_t kBig = SIZE_MAX;

ehm_config base_config() {
    ehm_config cfg = default_config();
    return cfg;
}

BadCall create_with(std::string name, int expected, std::function<void(ehm_config &)> tweak) {
    return BadCall{std::move(name), expected,
                   [tweak](Maps &, Outs &o) {
                       ehm_config cfg = base_config();
                       tweak(cfg);
                       return ehm_create(&o.map, &cfg);
                   },
                   nullptr, OutRule::MapNulled};
}

BadCall create_newer(std::string name, int expected, size_t nonzero_at) {
    return BadCall{std::move(name), expected,
                   [nonzero_at](Maps &, Outs &o) {
                       struct {
                           ehm_config cfg;
                           unsigned char tail[32];
                       } n;
                       std::memset(&n, 0, sizeof n);
                       ehm_config_init(&n.cfg);
                       n.cfg.struct_size = sizeof n;
                       n.tail[nonzero_at] = 1;
                       return ehm_create(&o.map, &n.cfg);
                   },
                   nullptr, OutRule::MapNulled};
}

BadCall stats_with(std::string name, int expected, uint32_t struct_size, int tail_byte) {
    return BadCall{std::move(name), expected,
                   [](Maps &m, Outs &o) { return ehm_stats_get(m.var, &o.stats.s); },
                   [struct_size, tail_byte](Outs &o) {
                       o.stats.s.struct_size = struct_size;
                       if (tail_byte >= 0) {
                           std::memset(o.stats.tail, 0, sizeof o.stats.tail);
                           o.stats.tail[tail_byte] = 1;
                       }
                   }};
}

// Out of line, so that it is compiled once rather than at every entry.
[[gnu::noinline]] void add_row(std::vector<BadCall> &t, const char *name, int expected,
                               int (*call)(Maps &, Outs &)) {
    t.push_back(BadCall{name, expected, call, nullptr});
}

std::vector<BadCall> bad_calls() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const std::string k8 = "01234567"; // a valid fixed-size key and value
    std::vector<BadCall> t;
    // Most calls capture nothing: `add` takes them as function pointers, so
    // each entry costs a call with two constants here, and std::function is
    // instantiated once, in add_row, instead of once per lambda inline.
    auto add = [&t](const char *name, int expected, int (*call)(Maps &, Outs &)) {
        add_row(t, name, expected, call);
    };
    auto add_with = [&t](std::string name, int expected, std::function<int(Maps &, Outs &)> call) {
        t.push_back(BadCall{std::move(name), expected, std::move(call), nullptr});
    };

    // ---- create
    add("create_null_out", EHM_EINVAL, [](Maps &, Outs &) {
        ehm_config cfg = base_config();
        return ehm_create(nullptr, &cfg);
    });
    for (auto [name, d] : std::vector<std::pair<std::string, double>>{{"zero", 0.0},
                                                                      {"negative_zero", -0.0},
                                                                      {"one", 1.0},
                                                                      {"nan", nan},
                                                                      {"negative", -0.25},
                                                                      {"above_one", 1.5},
                                                                      {"infinity", inf},
                                                                      {"minus_infinity", -inf}}) {
        t.push_back(create_with("create_delta_" + name, EHM_EINVAL,
                                [d = d](ehm_config &c) { c.delta = d; }));
    }
    for (auto [name, f] : std::vector<std::pair<std::string, uint32_t>>{{"bit2", 4u},
                                                                        {"bit31", 0x80000000u},
                                                                        {"seed_and_bit7", 0x81u},
                                                                        {"all", 0xFFFFFFFFu}}) {
        t.push_back(create_with("create_flags_" + name, EHM_EINVAL,
                                [f = f](ehm_config &c) { c.flags = f; }));
    }
    for (auto [name, s] : std::vector<std::pair<std::string, uint32_t>>{
             {"zero", 0u},
             {"four", 4u},
             {"v1_minus_8", static_cast<uint32_t>(sizeof(ehm_config) - 8)},
             {"v1_minus_1", static_cast<uint32_t>(sizeof(ehm_config) - 1)}}) {
        t.push_back(create_with("create_struct_size_" + name, EHM_EINVAL,
                                [s = s](ehm_config &c) { c.struct_size = s; }));
    }
    t.push_back(create_newer("create_newer_struct_first_tail_byte", EHM_EVERSION, 0));
    t.push_back(create_newer("create_newer_struct_last_tail_byte", EHM_EVERSION, 31));
    for (auto [name, cap] :
         std::vector<std::pair<std::string, uint64_t>>{{"uint64_max", UINT64_MAX},
                                                       {"uint64_max_minus_1", UINT64_MAX - 1},
                                                       {"top_bit", uint64_t{1} << 63}}) {
        t.push_back(create_with("create_capacity_" + name, EHM_ETOOBIG,
                                [cap = cap](ehm_config &c) { c.capacity = cap; }));
    }

    // ---- put
    add("put_null_map", EHM_EINVAL,
        [](Maps &, Outs &) { return ehm_put(nullptr, "k", 1, "v", 1); });
    add("put_null_key_with_length", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_put(m.var, nullptr, 3, "v", 1); });
    add("put_null_value_with_length", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_put(m.var, "k", 1, nullptr, 3); });
    add("put_key_len_size_max", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_put(m.var, kAny, kBig, "v", 1); });
    add("put_key_len_size_max_minus_1", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_put(m.var, kAny, kBig - 1, "v", 1); });
    add("put_value_len_size_max", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_put(m.var, "k", 1, kAny, kBig); });
    add("put_value_len_size_max_minus_1", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_put(m.var, "k", 1, kAny, kBig - 1); });
    add("put_lengths_sum_overflows", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_put(m.var, kAny, kBig / 2 + 1, kAny, kBig / 2 + 1); });
    add("put_existing_key_value_len_size_max", EHM_ETOOBIG, [](Maps &m, Outs &) {
        const std::string k = key_of(1);
        return ehm_put(m.var, k.data(), k.size(), kAny, kBig);
    });
    for (size_t len : {size_t{0}, size_t{7}, size_t{9}, size_t{16}}) {
        add_with("fixed_put_key_len_" + std::to_string(len), EHM_EINVAL,
                 [len, k8](Maps &m, Outs &) { return ehm_put(m.fixed, kAny, len, k8.data(), 8); });
        add_with("fixed_put_value_len_" + std::to_string(len), EHM_EINVAL,
                 [len, k8](Maps &m, Outs &) { return ehm_put(m.fixed, k8.data(), 8, kAny, len); });
    }
    add_with("fixed_put_null_key", EHM_EINVAL,
             [k8](Maps &m, Outs &) { return ehm_put(m.fixed, nullptr, 0, k8.data(), 8); });
    add_with("fixed_put_key_len_size_max", EHM_EINVAL,
             [k8](Maps &m, Outs &) { return ehm_put(m.fixed, kAny, kBig, k8.data(), 8); });
    add_with("fixed_put_value_len_size_max", EHM_EINVAL,
             [k8](Maps &m, Outs &) { return ehm_put(m.fixed, k8.data(), 8, kAny, kBig); });

    // ---- get
    add("get_null_map", EHM_EINVAL,
        [](Maps &, Outs &o) { return ehm_get(nullptr, "k", 1, &o.value, &o.value_len); });
    add("get_null_key_with_length", EHM_EINVAL,
        [](Maps &m, Outs &o) { return ehm_get(m.var, nullptr, 2, &o.value, &o.value_len); });
    add("get_key_len_size_max", EHM_ETOOBIG,
        [](Maps &m, Outs &o) { return ehm_get(m.var, kAny, kBig, &o.value, &o.value_len); });
    add("fixed_get_key_len_7", EHM_EINVAL,
        [](Maps &m, Outs &o) { return ehm_get(m.fixed, kAny, 7, &o.value, &o.value_len); });
    add("fixed_get_key_len_0", EHM_EINVAL,
        [](Maps &m, Outs &o) { return ehm_get(m.fixed, nullptr, 0, &o.value, &o.value_len); });
    add("fixed_get_key_len_size_max", EHM_EINVAL,
        [](Maps &m, Outs &o) { return ehm_get(m.fixed, kAny, kBig, &o.value, &o.value_len); });

    // ---- get_copy
    add("get_copy_null_map", EHM_EINVAL, [](Maps &, Outs &o) {
        return ehm_get_copy(nullptr, "k", 1, o.buf, sizeof o.buf, &o.value_len);
    });
    add("get_copy_null_key_with_length", EHM_EINVAL, [](Maps &m, Outs &o) {
        return ehm_get_copy(m.var, nullptr, 1, o.buf, sizeof o.buf, &o.value_len);
    });
    add("get_copy_null_value_len", EHM_EINVAL, [](Maps &m, Outs &o) {
        const std::string k = key_of(1);
        return ehm_get_copy(m.var, k.data(), k.size(), o.buf, sizeof o.buf, nullptr);
    });
    add("get_copy_null_buf_with_length", EHM_EINVAL, [](Maps &m, Outs &o) {
        const std::string k = key_of(1);
        return ehm_get_copy(m.var, k.data(), k.size(), nullptr, 8, &o.value_len);
    });
    add("get_copy_key_len_size_max", EHM_ETOOBIG, [](Maps &m, Outs &o) {
        return ehm_get_copy(m.var, kAny, kBig, o.buf, sizeof o.buf, &o.value_len);
    });
    add("fixed_get_copy_key_len_9", EHM_EINVAL, [](Maps &m, Outs &o) {
        return ehm_get_copy(m.fixed, kAny, 9, o.buf, sizeof o.buf, &o.value_len);
    });

    // ---- remove
    add("remove_null_map", EHM_EINVAL, [](Maps &, Outs &) { return ehm_remove(nullptr, "k", 1); });
    add("remove_null_key_with_length", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_remove(m.var, nullptr, 4); });
    add("remove_key_len_size_max", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_remove(m.var, kAny, kBig); });
    add("fixed_remove_key_len_7", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_remove(m.fixed, kAny, 7); });
    add("fixed_remove_key_len_0", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_remove(m.fixed, nullptr, 0); });

    // ---- contains / contains_value
    add("contains_null_map", EHM_EINVAL,
        [](Maps &, Outs &) { return ehm_contains(nullptr, "k", 1); });
    add("contains_null_key_with_length", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_contains(m.var, nullptr, 1); });
    add("contains_key_len_size_max", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_contains(m.var, kAny, kBig); });
    add("fixed_contains_key_len_9", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_contains(m.fixed, kAny, 9); });
    add("contains_value_null_map", EHM_EINVAL,
        [](Maps &, Outs &) { return ehm_contains_value(nullptr, "v", 1); });
    add("contains_value_null_value_with_length", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_contains_value(m.var, nullptr, 1); });
    add("contains_value_len_size_max", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_contains_value(m.var, kAny, kBig); });
    add("fixed_contains_value_len_7", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_contains_value(m.fixed, kAny, 7); });
    add("fixed_contains_value_len_0", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_contains_value(m.fixed, nullptr, 0); });

    // ---- reserve / clear
    add("reserve_null_map", EHM_EINVAL, [](Maps &, Outs &) { return ehm_reserve(nullptr, 1); });
    add("reserve_size_max", EHM_ETOOBIG, [](Maps &m, Outs &) { return ehm_reserve(m.var, kBig); });
    add("reserve_half_size_max", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_reserve(m.var, kBig / 2); });
    add("fixed_reserve_size_max", EHM_ETOOBIG,
        [](Maps &m, Outs &) { return ehm_reserve(m.fixed, kBig); });
    add("clear_null_map", EHM_EINVAL, [](Maps &, Outs &) { return ehm_clear(nullptr); });

    // ---- equal / next
    add("equal_null_first", EHM_EINVAL, [](Maps &m, Outs &) { return ehm_equal(nullptr, m.var); });
    add("equal_null_second", EHM_EINVAL, [](Maps &m, Outs &) { return ehm_equal(m.var, nullptr); });
    add("equal_both_null", EHM_EINVAL, [](Maps &, Outs &) { return ehm_equal(nullptr, nullptr); });
    add("next_null_map", EHM_EINVAL, [](Maps &, Outs &o) {
        return ehm_next(nullptr, &o.cursor, &o.key, &o.key_len, &o.value, &o.value_len);
    });
    add("next_null_cursor", EHM_EINVAL, [](Maps &m, Outs &o) {
        return ehm_next(m.var, nullptr, &o.key, &o.key_len, &o.value, &o.value_len);
    });

    // ---- stats / probe_count
    add("stats_null_map", EHM_EINVAL,
        [](Maps &, Outs &o) { return ehm_stats_get(nullptr, &o.stats.s); });
    add("stats_null_out", EHM_EINVAL,
        [](Maps &m, Outs &) { return ehm_stats_get(m.var, nullptr); });
    t.push_back(stats_with("stats_struct_size_zero", EHM_EINVAL, 0, -1));
    t.push_back(stats_with("stats_struct_size_v1_minus_1", EHM_EINVAL,
                           static_cast<uint32_t>(sizeof(ehm_stats) - 1), -1));
    t.push_back(stats_with("stats_struct_size_v1_minus_8", EHM_EINVAL,
                           static_cast<uint32_t>(sizeof(ehm_stats) - 8), -1));
    t.push_back(stats_with("stats_newer_first_tail_byte", EHM_EVERSION,
                           static_cast<uint32_t>(sizeof(Outs::stats)), 0));
    t.push_back(stats_with("stats_newer_last_tail_byte", EHM_EVERSION,
                           static_cast<uint32_t>(sizeof(Outs::stats)), 15));
    add("probe_count_null_map", EHM_EINVAL,
        [](Maps &, Outs &o) { return ehm_probe_count(nullptr, "k", 1, &o.probes); });
    add("probe_count_null_key_with_length", EHM_EINVAL,
        [](Maps &m, Outs &o) { return ehm_probe_count(m.var, nullptr, 1, &o.probes); });
    add("probe_count_null_out", EHM_EINVAL, [](Maps &m, Outs &) {
        const std::string k = key_of(1);
        return ehm_probe_count(m.var, k.data(), k.size(), nullptr);
    });
    add("probe_count_key_len_size_max", EHM_ETOOBIG,
        [](Maps &m, Outs &o) { return ehm_probe_count(m.var, kAny, kBig, &o.probes); });
    add("fixed_probe_count_key_len_7", EHM_EINVAL,
        [](Maps &m, Outs &o) { return ehm_probe_count(m.fixed, kAny, 7, &o.probes); });

    // ---- clone
    t.push_back(BadCall{"clone_null_source", EHM_EINVAL,
                        [](Maps &, Outs &o) { return ehm_clone(&o.map, nullptr); }, nullptr,
                        OutRule::MapNulled});
    add("clone_null_out", EHM_EINVAL, [](Maps &m, Outs &) { return ehm_clone(nullptr, m.var); });

    return t;
}

// Built once. The tests take an index into it rather than a BadCall: gtest's
// parameter machinery, instantiated for the parameter type, then handles a
// size_t instead of copying std::functions, which made this file take
// minutes to compile under AddressSanitizer.
const std::vector<BadCall> &bad_call_table() {
    static const std::vector<BadCall> table = bad_calls();
    return table;
}

class BadInput : public ::testing::TestWithParam<size_t> {
protected:
    void SetUp() override {
        ehm_config cfg = default_config(alloc_.get());
        cfg.flags = EHM_FLAG_FIXED_SEED;
        cfg.seed = 12;
        var_ = make_map(cfg);
        cfg.key_size = 8;
        cfg.value_size = 8;
        fixed_ = make_map(cfg);
        ASSERT_NE(var_, nullptr);
        ASSERT_NE(fixed_, nullptr);
        fill(var_.get(), 40);
        ASSERT_EQ(ehm_put(var_.get(), nullptr, 0, nullptr, 0), EHM_OK);
        ASSERT_EQ(ehm_put(var_.get(), "no value", 8, nullptr, 0), EHM_OK);
        for (uint64_t i = 0; i < 40; ++i) {
            ASSERT_EQ(put(fixed_.get(), fixed_blob(i, 8), fixed_blob(i * 3, 8)), EHM_OK);
        }
        ASSERT_EQ(put(fixed_.get(), "01234567", "01234567"), EHM_OK);
        // Leave a tombstone behind in both.
        ASSERT_EQ(erase(var_.get(), key_of(39)), EHM_OK);
        ASSERT_EQ(erase(fixed_.get(), fixed_blob(39, 8)), EHM_OK);
    }

    TestAllocator alloc_;
    MapPtr var_;
    MapPtr fixed_;
};

TEST_P(BadInput, ReturnsCodeAndChangesNothing) {
    const BadCall &c = bad_call_table()[GetParam()];
    const Snapshot var_before = snapshot(var_.get());
    const Snapshot fixed_before = snapshot(fixed_.get());
    const size_t live = alloc_.live_bytes();

    Outs outs = fresh_outs();
    if (c.prepare) c.prepare(outs);
    Outs expected;
    std::memcpy(&expected, &outs, sizeof outs);
    if (c.rule == OutRule::MapNulled) expected.map = nullptr;

    Maps maps{var_.get(), fixed_.get()};
    const int rc = c.call(maps, outs);
    EXPECT_EQ(rc, c.expected) << "got " << ehm_strerror(rc) << ", expected "
                              << ehm_strerror(c.expected);
    if (rc == EHM_OK && c.rule == OutRule::MapNulled) ehm_destroy(outs.map);
    if (rc == EHM_OK) return;

    EXPECT_EQ(outs.map, expected.map);
    EXPECT_EQ(outs.value, expected.value);
    EXPECT_EQ(outs.value_len, expected.value_len);
    EXPECT_EQ(outs.key, expected.key);
    EXPECT_EQ(outs.key_len, expected.key_len);
    EXPECT_EQ(outs.cursor, expected.cursor);
    EXPECT_EQ(outs.probes, expected.probes);
    EXPECT_EQ(std::memcmp(outs.buf, expected.buf, sizeof outs.buf), 0) << "buffer written";
    EXPECT_EQ(std::memcmp(&outs.stats, &expected.stats, sizeof outs.stats), 0) << "stats written";

    EXPECT_TRUE(unchanged(var_before, var_.get())) << "variable-length map";
    EXPECT_TRUE(unchanged(fixed_before, fixed_.get())) << "fixed-size map";
    EXPECT_EQ(alloc_.live_bytes(), live);
}

INSTANTIATE_TEST_SUITE_P(Table, BadInput, ::testing::Range(size_t{0}, bad_call_table().size()),
                         [](const ::testing::TestParamInfo<size_t> &info) {
                             return bad_call_table()[info.param].name;
                         });

TEST(BadInputNoOps, NullHandlesOnInfallibleCalls) {
    ehm_destroy(nullptr);
    ehm_config_init(nullptr);
    EXPECT_EQ(ehm_size(nullptr), 0u);
    EXPECT_EQ(ehm_capacity(nullptr), 0u);
    EXPECT_EQ(ehm_hash(nullptr), 0u);
}

TEST(BadInputNoOps, FailedCreateLeavesNoAllocation) {
    TestAllocator alloc;
    ehm_config cfg = default_config(alloc.get());
    cfg.delta = 2.0;
    ehm_map *out = sentinel_map();
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_EINVAL);
    EXPECT_EQ(out, nullptr);
    cfg.delta = EHM_DEFAULT_DELTA;
    cfg.capacity = UINT64_MAX;
    out = sentinel_map();
    EXPECT_EQ(ehm_create(&out, &cfg), EHM_ETOOBIG);
    EXPECT_EQ(out, nullptr);
    EXPECT_EQ(alloc.live_bytes(), 0u);
}

} // namespace
