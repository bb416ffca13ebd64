// What the original Java map got wrong, checked on ehm::map: keys placed in
// a later level stay findable, a removal never hides another key, re-putting
// never duplicates, an empty value is a real value, and sequential integer
// keys grow the table by doubling rather than in a storm.
#include "cpp_util.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

namespace {

using ehm_cpp_test::key_of;
using ehm_cpp_test::seeded;
using ehm_cpp_test::stats_of;
using ehm_cpp_test::value_of;
using StringMap = ehm::map<std::string, std::string>;

// A map filled to the capacity it was created for: no growth happened, so
// whatever did not fit the first level went to later ones.
StringMap filled_to_capacity(std::size_t n) {
    StringMap m(seeded(11, n));
    for (std::size_t i = 0; i < n; ++i) m.put(key_of(i), value_of(i));
    return m;
}

::testing::AssertionResult holds_exactly(const StringMap &m, const std::set<std::size_t> &present,
                                         std::size_t universe) {
    if (m.size() != present.size()) {
        return ::testing::AssertionFailure()
               << "size " << m.size() << ", expected " << present.size();
    }
    for (std::size_t i = 0; i < universe; ++i) {
        const std::optional<std::string> found = m.get(key_of(i));
        const bool expected = present.count(i) != 0;
        if (found.has_value() != expected) {
            return ::testing::AssertionFailure()
                   << key_of(i) << (expected ? " is missing" : " is still present");
        }
        if (found && *found != value_of(i)) {
            return ::testing::AssertionFailure() << key_of(i) << " has a wrong value";
        }
    }
    return ::testing::AssertionSuccess();
}

std::set<std::size_t> all_below(std::size_t n) {
    std::set<std::size_t> out;
    for (std::size_t i = 0; i < n; ++i) out.insert(i);
    return out;
}

TEST(JavaRegressions, KeysInLaterLevelsStayFindable) {
    const std::size_t n = 4096;
    const StringMap m = filled_to_capacity(n);
    const ehm_stats stats = stats_of(m);
    ASSERT_EQ(stats.rebuilds, 0u) << "the map was created for " << n << " entries";
    ASSERT_GE(stats.levels, 2u) << "nothing spilled past the first level";
    EXPECT_TRUE(holds_exactly(m, all_below(n), n));
}

TEST(JavaRegressions, RemovalNeverHidesAnotherKey) {
    const std::size_t n = 4096;
    StringMap m = filled_to_capacity(n);
    ASSERT_GE(stats_of(m).levels, 2u);
    std::set<std::size_t> present = all_below(n);
    for (std::size_t i = 0; i < n; i += 3) {
        ASSERT_TRUE(m.erase(key_of(i))) << key_of(i);
        present.erase(i);
    }
    EXPECT_TRUE(holds_exactly(m, present, n));
    for (std::size_t i = 1; i < n; i += 3) {
        ASSERT_EQ(m.remove(key_of(i)), value_of(i)) << key_of(i);
        present.erase(i);
    }
    EXPECT_TRUE(holds_exactly(m, present, n));
}

// Re-puts after spills, after removals and after re-inserts: every key is
// in the map once, whatever iteration and size() say.
TEST(JavaRegressions, RePuttingNeverDuplicates) {
    const std::size_t n = 4096;
    StringMap m = filled_to_capacity(n);
    for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(m.put(key_of(i), value_of(i)), value_of(i)) << "first re-put of " << key_of(i);
    }
    EXPECT_EQ(m.size(), n);
    for (std::size_t i = 0; i < n; i += 2) ASSERT_TRUE(m.erase(key_of(i)));
    for (std::size_t i = 0; i < n; ++i) m.put(key_of(i), value_of(i));
    for (std::size_t i = 0; i < n; ++i) m.put(key_of(i), value_of(i));
    EXPECT_TRUE(holds_exactly(m, all_below(n), n));

    std::vector<std::string> keys(m.keys().begin(), m.keys().end());
    EXPECT_EQ(keys.size(), n);
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(std::adjacent_find(keys.begin(), keys.end()), keys.end()) << "a key appears twice";
}

// The original treated a null value as "absent": re-putting duplicated the
// key, containsKey denied it, and a second put looped until out of memory.
TEST(JavaRegressions, EmptyValuesAreRealValues) {
    StringMap m(seeded(3));
    EXPECT_EQ(m.put("a", ""), std::nullopt);
    const std::size_t capacity = m.capacity();
    EXPECT_EQ(m.put("a", ""), std::string()) << "the previous value is the empty string";
    EXPECT_EQ(m.size(), 1u);
    EXPECT_EQ(m.capacity(), capacity);
    EXPECT_TRUE(m.contains("a"));
    EXPECT_EQ(m.get("a"), std::string());
    EXPECT_TRUE(m.contains_value(""));
    EXPECT_FALSE(m.try_emplace("a", "x")) << "an empty value still occupies the key";
    EXPECT_EQ(m.remove("a"), std::string());
    EXPECT_FALSE(m.contains("a"));

    ehm::map<std::string, std::vector<std::byte>> blobs;
    blobs.put("b", {});
    blobs.put("b", {});
    EXPECT_EQ(blobs.size(), 1u);
    ASSERT_TRUE(blobs.get("b").has_value());
    EXPECT_TRUE(blobs.get("b")->empty());
}

// The original went from capacity 1024 to tens of times the key count on
// sequential keys. Here every growth adds half or a little more, so the table
// stays within twice the room the entries need at load 1 - delta.
TEST(JavaRegressions, SequentialIntegerKeysCauseNoGrowthStorm) {
    const double delta = 0.125;
    const std::uint64_t n = 200000;
    ehm::map<std::uint64_t, std::uint64_t> m(1024, delta);
    const std::size_t initial = m.capacity();
    double worst_ratio = 0;
    std::size_t last_capacity = initial;
    for (std::uint64_t i = 0; i < n; ++i) {
        m.put(i, i);
        if (m.capacity() != last_capacity) {
            last_capacity = m.capacity();
            worst_ratio = std::max(worst_ratio, static_cast<double>(last_capacity) / m.size());
        }
    }
    EXPECT_EQ(m.size(), n);
    EXPECT_LE(worst_ratio, 2.0 / (1.0 - delta) + 0.01);
    const double growths = std::ceil(std::log(static_cast<double>(n) / 1024) / std::log(1.5));
    EXPECT_LE(stats_of(m).rebuilds, static_cast<std::uint64_t>(growths) + 1);
    for (std::uint64_t i = 0; i < n; i += 7) ASSERT_EQ(m.get(i), i);
}

// The original failed an insertion below its advertised load; here a map
// sized for n entries takes n of them without growing.
TEST(JavaRegressions, ReservedRoomTakesEveryEntryWithoutGrowth) {
    ehm::map<std::uint32_t, std::uint32_t> m(seeded(5));
    const std::size_t n = 20000;
    m.reserve(n);
    const std::size_t capacity = m.capacity();
    const std::uint64_t rebuilds = stats_of(m).rebuilds;
    for (std::uint32_t i = 0; i < n; ++i) m.put(i, ~i);
    EXPECT_EQ(m.capacity(), capacity);
    EXPECT_EQ(stats_of(m).rebuilds, rebuilds);
    EXPECT_EQ(m.size(), n);
}

} // namespace
