// Whole-map operations: operator== (ehm_equal), std::hash (ehm_hash) and
// operator<<, which prints like java.util.Map's toString.
#include "cpp_util.hpp"

#include <sstream>
#include <string>
#include <unordered_set>

namespace {

using ehm_cpp_test::key_of;
using ehm_cpp_test::seeded;
using ehm_cpp_test::value_of;
using StringMap = ehm::map<std::string, std::string>;

std::size_t hash_of(const StringMap &m) {
    return std::hash<StringMap>()(m);
}

template <class K, class V>
std::string printed(const ehm::map<K, V> &m) {
    std::ostringstream out;
    out << m;
    return out.str();
}

TEST(WholeMap, EqualAcrossOrdersSeedsAndCapacities) {
    StringMap forward(seeded(1)), backward(seeded(2, 5000));
    for (std::size_t i = 0; i < 800; ++i) forward.put(key_of(i), value_of(i));
    for (std::size_t i = 800; i-- > 0;) backward.put(key_of(i), value_of(i));
    EXPECT_NE(forward.capacity(), backward.capacity());
    EXPECT_TRUE(forward == backward);
    EXPECT_EQ(hash_of(forward), hash_of(backward));
}

TEST(WholeMap, DifferentContentsAreUnequal) {
    StringMap a(seeded(3)), b(seeded(3));
    for (std::size_t i = 0; i < 50; ++i) {
        a.put(key_of(i), value_of(i));
        b.put(key_of(i), value_of(i));
    }
    b.put(key_of(7), "other");
    EXPECT_TRUE(a != b);
    EXPECT_NE(hash_of(a), hash_of(b));
    b.put(key_of(7), value_of(7));
    EXPECT_TRUE(a == b);
    b.put("extra", "");
    EXPECT_TRUE(a != b) << "a superset is not equal";
    EXPECT_TRUE(b != a);
    b.erase("extra");
    b.erase(key_of(0));
    EXPECT_TRUE(a != b) << "a subset is not equal";
}

TEST(WholeMap, EmptyMapsAreEqual) {
    const StringMap a(seeded(4)), b(seeded(5, 1000));
    EXPECT_TRUE(a == b);
    EXPECT_EQ(hash_of(a), hash_of(b));
}

TEST(WholeMap, HashWorksInUnorderedContainers) {
    std::unordered_set<StringMap> set;
    StringMap a(seeded(6)), b(seeded(7));
    a.put("k", "v");
    b.put("k", "v");
    set.insert(a);
    EXPECT_EQ(set.count(b), 1u);
    b.put("k", "w");
    EXPECT_EQ(set.count(b), 0u);
}

TEST(WholeMap, PrintsLikeJavaToString) {
    StringMap m(seeded(8));
    EXPECT_EQ(printed(m), "{}");
    m.put("apple", "1");
    EXPECT_EQ(printed(m), "{apple=1}");
    m.put("banana", "2");
    const std::string two = printed(m);
    EXPECT_TRUE(two == "{apple=1, banana=2}" || two == "{banana=2, apple=1}") << two;
}

TEST(WholeMap, PrintsInIterationOrder) {
    ehm::map<int, int> m(seeded(9));
    for (int i = 0; i < 20; ++i) m.put(i, -i);
    std::string expected = "{";
    for (const auto &[key, value] : m) {
        if (expected.size() > 1) expected += ", ";
        expected += std::to_string(key) + "=" + std::to_string(value);
    }
    expected += "}";
    EXPECT_EQ(printed(m), expected);
}

} // namespace
