// Value semantics: copies are deep (ehm_clone) and keep the seed, moves
// transfer the handle, swap exchanges handles, and a moved-from map fails
// loudly instead of touching freed memory.
#include "cpp_util.hpp"

#include <string>
#include <utility>
#include <vector>

namespace {

using ehm_cpp_test::key_of;
using ehm_cpp_test::seeded;
using ehm_cpp_test::value_of;
using StringMap = ehm::map<std::string, std::string>;

StringMap filled(std::size_t n, std::uint64_t seed = 17) {
    StringMap m(seeded(seed));
    for (std::size_t i = 0; i < n; ++i) m.put(key_of(i), value_of(i));
    return m;
}

std::vector<std::pair<std::string, std::string>> in_order(const StringMap &m) {
    return {m.begin(), m.end()};
}

TEST(CopyMove, CopyIsDeepAndEqual) {
    StringMap original = filled(300);
    StringMap copy(original);
    EXPECT_NE(copy.native_handle(), original.native_handle());
    EXPECT_TRUE(copy == original);

    copy.put(key_of(0), "changed");
    copy.erase(key_of(1));
    copy.put("new", "entry");
    EXPECT_EQ(original.get(key_of(0)), value_of(0));
    EXPECT_TRUE(original.contains(key_of(1)));
    EXPECT_FALSE(original.contains("new"));
    EXPECT_EQ(original.size(), 300u);
    EXPECT_TRUE(copy != original);
}

TEST(CopyMove, CopyKeepsTheSeedAndSoTheOrder) {
    const StringMap original = filled(300);
    const StringMap copy = original;
    EXPECT_EQ(in_order(copy), in_order(original));
}

TEST(CopyMove, CopyAssignmentReplacesTheContents) {
    const StringMap source = filled(50);
    StringMap target = filled(7, 99);
    target.put("only-in-target", "x");
    target = source;
    EXPECT_TRUE(target == source);
    EXPECT_FALSE(target.contains("only-in-target"));
    EXPECT_NE(target.native_handle(), source.native_handle());
}

TEST(CopyMove, SelfAssignmentKeepsTheMap) {
    StringMap m = filled(20);
    const ehm_map *handle = m.native_handle();
    StringMap &alias = m;
    m = alias;
    EXPECT_EQ(m.native_handle(), handle);
    EXPECT_EQ(m.size(), 20u);
}

TEST(CopyMove, MoveTransfersTheHandle) {
    StringMap source = filled(40);
    const ehm_map *handle = source.native_handle();
    StringMap target(std::move(source));
    EXPECT_EQ(target.native_handle(), handle);
    EXPECT_EQ(target.size(), 40u);
    EXPECT_EQ(target.get(key_of(3)), value_of(3));

    StringMap assigned;
    assigned = std::move(target);
    EXPECT_EQ(assigned.native_handle(), handle);
    EXPECT_EQ(assigned.size(), 40u);
}

TEST(CopyMove, MovedFromMapIsEmptyAndRefusesUse) {
    StringMap source = filled(10);
    StringMap target(std::move(source));
    EXPECT_EQ(source.native_handle(), nullptr);
    EXPECT_EQ(source.size(), 0u);
    EXPECT_TRUE(source.empty());
    EXPECT_THROW(source.put("a", "b"), std::invalid_argument);
    EXPECT_THROW(source.get("a"), std::invalid_argument);
    EXPECT_THROW(source.contains("a"), std::invalid_argument);
    EXPECT_THROW(source.clear(), std::invalid_argument);
    EXPECT_THROW(source.begin(), std::invalid_argument);
    EXPECT_THROW(StringMap{source}, std::invalid_argument);
    EXPECT_THROW((void)(source == target), std::invalid_argument);

    source = filled(3);
    EXPECT_EQ(source.size(), 3u) << "a moved-from map can be assigned again";
}

TEST(CopyMove, SwapExchangesContents) {
    StringMap a = filled(5), b = filled(9, 3);
    const ehm_map *handle_a = a.native_handle(), *handle_b = b.native_handle();
    a.swap(b);
    EXPECT_EQ(a.native_handle(), handle_b);
    EXPECT_EQ(a.size(), 9u);
    using std::swap;
    swap(a, b);
    EXPECT_EQ(a.native_handle(), handle_a);
    EXPECT_EQ(b.size(), 9u);
    std::swap(a, b);
    EXPECT_EQ(a.size(), 9u);
    EXPECT_EQ(b.size(), 5u);
}

static_assert(std::is_nothrow_move_constructible_v<StringMap>);
static_assert(std::is_nothrow_move_assignable_v<StringMap>);
static_assert(std::is_nothrow_swappable_v<StringMap>);

} // namespace
