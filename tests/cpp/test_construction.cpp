// Constructing an ehm::map: the original's (capacity, delta), the options
// struct (capacity, delta, seed), initializer lists, and what each rejects.
#include "cpp_util.hpp"

#include <limits>
#include <string>
#include <vector>

namespace {

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
