// Constructing an ehm::map: the original's (capacity, delta), the options
// struct (capacity, delta, seed, resource, no_huge_pages), initializer lists,
// and what each rejects.
#include "cpp_util.hpp"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using ehm_cpp_test::CountingResource;
using ehm_cpp_test::key_of;
using ehm_cpp_test::seeded;
using ehm_cpp_test::stats_of;
using IntMap = ehm::map<std::string, int>;

std::vector<std::pair<std::string, int>> in_order(const IntMap &m) {
    return {m.begin(), m.end()};
}

TEST(Construction, DefaultMapIsEmptyAndUsable) {
    IntMap m;
    EXPECT_TRUE(m.empty());
    EXPECT_EQ(m.size(), 0u);
    EXPECT_GT(m.capacity(), 0u);
    EXPECT_NE(m.native_handle(), nullptr);
    m.put("a", 1);
    EXPECT_EQ(m.get("a"), 1);
}

TEST(Construction, CapacityAndDeltaPresizeTheMap) {
    IntMap m(5000, 0.25);
    EXPECT_GE(m.capacity(), 5000u);
    const std::size_t capacity = m.capacity();
    for (int i = 0; i < 5000; ++i) m.put(key_of(i), i);
    EXPECT_EQ(m.capacity(), capacity) << "5000 entries fit the map made for them";
    EXPECT_EQ(stats_of(m).rebuilds, 0u);
}

TEST(Construction, RejectsWhatTheOriginalRejectedAndMore) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_THROW(IntMap(0, 0.125), std::invalid_argument);
    for (double delta : {0.0, 1.0, -0.5, 1.5, nan, inf, -inf}) {
        EXPECT_THROW(IntMap(16, delta), std::invalid_argument) << delta;
        ehm::options opts;
        opts.delta = delta;
        EXPECT_THROW(IntMap{opts}, std::invalid_argument) << delta;
    }
}

// The C ABI's capacity 0 means "a small default"; only the original's
// constructor treats it as an error.
TEST(Construction, OptionsAcceptCapacityZero) {
    ehm::options opts;
    opts.capacity = 0;
    IntMap m(opts);
    EXPECT_GT(m.capacity(), 0u);
}

TEST(Construction, UnrepresentableCapacityIsALengthError) {
    ehm::options opts;
    opts.capacity = std::numeric_limits<std::size_t>::max();
    EXPECT_THROW(IntMap{opts}, std::length_error);
    EXPECT_THROW(IntMap(std::numeric_limits<std::size_t>::max(), 0.5), std::length_error);
}

TEST(Construction, FixedSeedReproducesIterationOrder) {
    IntMap first(seeded(42)), second(seeded(42));
    for (int i = 0; i < 500; ++i) {
        first.put(key_of(i), i);
        second.put(key_of(i), i);
    }
    EXPECT_EQ(in_order(first), in_order(second));
}

TEST(Construction, DifferentSeedsGiveDifferentOrders) {
    IntMap first(seeded(1)), second(seeded(2));
    for (int i = 0; i < 500; ++i) {
        first.put(key_of(i), i);
        second.put(key_of(i), i);
    }
    EXPECT_NE(in_order(first), in_order(second));
    EXPECT_TRUE(first == second);
}

// A table of several MiB, the size the default allocator puts on huge pages
// (on Linux), filled the same way with or without no_huge_pages.
using WideMap = ehm::map<std::uint64_t, std::uint64_t>;
constexpr std::size_t kWideEntries = 300000;

WideMap wide_map(bool no_huge_pages, std::pmr::memory_resource *resource = nullptr) {
    ehm::options opts = seeded(5, kWideEntries);
    opts.no_huge_pages = no_huge_pages;
    opts.resource = resource;
    WideMap m(opts);
    for (std::uint64_t i = 0; i < kWideEntries; ++i) m.put(i * 0x9E3779B97F4A7C15ull, i);
    return m;
}

// The page size is not observable here; what is: the option is accepted, the
// map and its copies work, and ordinary pages never hold more memory than
// huge ones, which round the table up to whole 2 MiB pages.
TEST(Construction, NoHugePagesKeepsAWorkingMap) {
    const WideMap plain = wide_map(true);
    const WideMap huge = wide_map(false);
    ASSERT_EQ(plain.size(), kWideEntries);
    for (std::uint64_t i = 0; i < kWideEntries; i += 997) {
        EXPECT_EQ(plain.get(i * 0x9E3779B97F4A7C15ull), i) << i;
    }
    EXPECT_FALSE(plain.contains(1));
    EXPECT_TRUE(plain == huge);
    EXPECT_GE(stats_of(plain).memory_bytes, kWideEntries * 16);
    EXPECT_LE(stats_of(plain).memory_bytes, stats_of(huge).memory_bytes);

    const WideMap copy = plain; // ehm_clone keeps the map's choice
    EXPECT_TRUE(copy == plain);
    EXPECT_EQ(stats_of(copy).memory_bytes, stats_of(plain).memory_bytes);
}

// A memory resource is asked for exactly what the map needs, with or without
// the option.
TEST(Construction, NoHugePagesLeavesAResourceAlone) {
    CountingResource with_option, without_option;
    const WideMap plain = wide_map(true, &with_option);
    const WideMap huge = wide_map(false, &without_option);
    EXPECT_EQ(with_option.live_bytes(), without_option.live_bytes());
    EXPECT_EQ(stats_of(plain).memory_bytes, stats_of(huge).memory_bytes);
    EXPECT_EQ(stats_of(plain).memory_bytes, with_option.live_bytes());
}

TEST(Construction, InitializerListKeepsTheFirstOfEqualKeys) {
    const IntMap m{{"a", 1}, {"b", 2}, {"a", 3}};
    EXPECT_EQ(m.size(), 2u);
    EXPECT_EQ(m.get("a"), 1);
    EXPECT_EQ(m.get("b"), 2);
}

TEST(Construction, InitializerListWithOptions) {
    const IntMap first({{"x", 1}, {"y", 2}}, seeded(9, 100));
    const IntMap second({{"x", 1}, {"y", 2}}, seeded(9, 100));
    EXPECT_GE(first.capacity(), 100u);
    EXPECT_EQ(in_order(first), in_order(second));
    EXPECT_THROW(IntMap({{"x", 1}},
                        [] {
                            ehm::options bad;
                            bad.delta = 2;
                            return bad;
                        }()),
                 std::invalid_argument);
}

TEST(Construction, EmptyInitializerList) {
    const IntMap m{std::initializer_list<IntMap::value_type>{}};
    EXPECT_TRUE(m.empty());
}

} // namespace
