// Built as C++20: the iterators are std::forward_iterator, the views are
// std::ranges views that compose with range adaptors and algorithms, and
// get_bytes returns std::span<const std::byte>.
#include "cpp_util.hpp"

#include <algorithm>
#include <ranges>
#include <span>
#include <string>
#include <vector>

static_assert(__cplusplus >= 202002L, "this suite is built as C++20");

namespace {

using ehm_cpp_test::seeded;
using IntMap = ehm::map<std::uint32_t, std::uint32_t>;

static_assert(std::forward_iterator<IntMap::iterator>);
static_assert(std::forward_iterator<IntMap::key_iterator>);
static_assert(std::forward_iterator<IntMap::value_iterator>);
static_assert(std::ranges::forward_range<IntMap::key_view>);
static_assert(std::ranges::view<IntMap::entry_view>);
static_assert(std::ranges::forward_range<const IntMap &>);
static_assert(
    std::same_as<std::iter_value_t<IntMap::iterator>, std::pair<std::uint32_t, std::uint32_t>>);

IntMap squares(std::uint32_t n) {
    IntMap m(seeded(1));
    for (std::uint32_t i = 0; i < n; ++i) m.put(i, i * i);
    return m;
}

TEST(Cpp20, RangeAlgorithms) {
    const IntMap m = squares(100);
    EXPECT_EQ(std::ranges::count_if(m.values(), [](std::uint32_t v) { return v % 2 == 0; }), 50);
    EXPECT_EQ(std::ranges::max(m.keys()), 99u);
    EXPECT_TRUE(
        std::ranges::all_of(m, [](const auto &e) { return e.second == e.first * e.first; }));
    EXPECT_NE(std::ranges::find(m.keys(), 42u), m.keys().end());
}

TEST(Cpp20, ViewsCompose) {
    const IntMap m = squares(100);
    auto small = m.entries() | std::views::filter([](const auto &e) { return e.first < 10; }) |
                 std::views::transform([](const auto &e) { return e.second; });
    std::vector<std::uint32_t> values(small.begin(), small.end());
    std::ranges::sort(values);
    EXPECT_EQ(values, (std::vector<std::uint32_t>{0, 1, 4, 9, 16, 25, 36, 49, 64, 81}));
}

TEST(Cpp20, GetBytesSpansTheStoredValue) {
    ehm::map<std::string, std::string> m(seeded(2));
    m.put("k", std::string("\x01\x02\x03", 3));
    const std::optional<std::span<const std::byte>> bytes = m.get_bytes("k");
    ASSERT_TRUE(bytes.has_value());
    ASSERT_EQ(bytes->size(), 3u);
    EXPECT_EQ((*bytes)[2], std::byte{3});
    EXPECT_EQ(static_cast<const void *>(bytes->data()),
              static_cast<const void *>(m.get_view("k")->data()));
    EXPECT_EQ(m.get_bytes("absent"), std::nullopt);
}

TEST(Cpp20, EqualityOperatorsBothWays) {
    const IntMap a = squares(10), b = squares(10);
    IntMap c = squares(10);
    c.put(3, 0);
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a != b);
    EXPECT_TRUE(a != c);
    EXPECT_TRUE(c != a);
}

} // namespace
