// The original Java project's test suite, scenario by scenario, on the same
// map: String keys, Integer values, capacity 1024 and delta 0.125. Java's
// null-key case has no C++ counterpart (a std::string is never null); its
// closest analogue, the empty key, is a valid key here.
#include "cpp_util.hpp"

#include <algorithm>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

using ehm_cpp_test::key_of;
using JavaMap = ehm::map<std::string, int>;

// Parses "key<k>=<v>" with decimal k and v.
bool parse_entry(const std::string &item, int &key, int &value) {
    std::istringstream in(item);
    in.unsetf(std::ios::skipws);
    std::string prefix(3, '\0');
    char equals = 0;
    return in.read(&prefix[0], 3) && prefix == "key" && in >> key && in.get(equals) &&
           equals == '=' && in >> value && in.peek() == std::char_traits<char>::eof();
}

JavaMap java_map() {
    return JavaMap(1024, 0.125);
}

TEST(JavaSuite, PutAndGet) {
    JavaMap m = java_map();
    EXPECT_EQ(m.put("apple", 1), std::nullopt) << "a new key has no previous value";
    EXPECT_EQ(m.get("apple"), 1);
    EXPECT_EQ(m.size(), 1u);
}

TEST(JavaSuite, PutUpdateReturnsTheOldValueAndKeepsTheSize) {
    JavaMap m = java_map();
    EXPECT_EQ(m.put("apple", 1), std::nullopt);
    EXPECT_EQ(m.put("apple", 10), 1);
    EXPECT_EQ(m.get("apple"), 10);
    EXPECT_EQ(m.size(), 1u);
}

TEST(JavaSuite, RemoveReturnsTheValueThenTheKeyIsAbsent) {
    JavaMap m = java_map();
    m.put("banana", 2);
    EXPECT_EQ(m.get("banana"), 2);
    EXPECT_EQ(m.remove("banana"), 2);
    EXPECT_EQ(m.get("banana"), std::nullopt);
    EXPECT_FALSE(m.contains("banana"));
    EXPECT_EQ(m.size(), 0u);
    EXPECT_EQ(m.remove("banana"), std::nullopt) << "a second remove finds nothing";
}

TEST(JavaSuite, ResizeFromCapacity1024Keeps2000Keys) {
    JavaMap m = java_map();
    const std::size_t initial_capacity = m.capacity();
    for (int i = 0; i < 2000; ++i) ASSERT_EQ(m.put(key_of(i), i), std::nullopt) << i;
    EXPECT_GT(m.capacity(), initial_capacity) << "2000 keys need more than 1024 entries' room";
    EXPECT_EQ(m.size(), 2000u);
    for (int i = 0; i < 2000; ++i) ASSERT_EQ(m.get(key_of(i)), i) << key_of(i);

    std::ostringstream text;
    text << m;
    const std::string printed = text.str();
    ASSERT_GE(printed.size(), 2u);
    EXPECT_EQ(printed.front(), '{');
    EXPECT_EQ(printed.back(), '}');
    // Well formed means: "key<i>=<i>" entries joined by ", ", each key once.
    std::vector<bool> seen(2000, false);
    std::size_t entries = 0;
    const std::string body = printed.substr(1, printed.size() - 2);
    for (std::size_t start = 0; start <= body.size(); ++entries) {
        const std::size_t end = std::min(body.find(", ", start), body.size());
        const std::string item = body.substr(start, end - start);
        int key = -1, value = -1;
        ASSERT_TRUE(parse_entry(item, key, value)) << "malformed entry: " << item;
        ASSERT_TRUE(key >= 0 && key < 2000) << item;
        EXPECT_EQ(value, key);
        EXPECT_FALSE(seen[key]) << "printed twice: key" << key;
        seen[key] = true;
        start = end + 2;
    }
    EXPECT_EQ(entries, 2000u);
}

TEST(JavaSuite, EmptyKeyIsAnOrdinaryKey) {
    JavaMap m = java_map();
    EXPECT_EQ(m.put("", 1), std::nullopt);
    EXPECT_EQ(m.get(""), 1);
    EXPECT_TRUE(m.contains(""));
    EXPECT_EQ(m.size(), 1u);
}

TEST(JavaSuite, InvalidCapacityAndDeltaAreRejected) {
    EXPECT_THROW(JavaMap(0, 0.125), std::invalid_argument);
    EXPECT_THROW(JavaMap(1024, 1.0), std::invalid_argument);
    EXPECT_THROW(JavaMap(1024, 0.0), std::invalid_argument);
    // The original let NaN through.
    EXPECT_THROW(JavaMap(1024, std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
    EXPECT_NO_THROW(JavaMap(1, 0.125));
}

TEST(JavaSuite, ViewCollections) {
    JavaMap m = java_map();
    m.put("apple", 1);
    m.put("banana", 2);
    m.put("orange", 3);

    const auto keys = m.keys();
    const auto values = m.values();
    const auto entries = m.entries();
    EXPECT_EQ(keys.size(), 3u);
    EXPECT_EQ(values.size(), 3u);
    EXPECT_EQ(entries.size(), 3u);
    for (const char *fruit : {"apple", "banana", "orange"}) {
        EXPECT_NE(std::find(keys.begin(), keys.end(), fruit), keys.end()) << fruit;
    }
    EXPECT_EQ(std::distance(values.begin(), values.end()), 3);
    for (const auto &[key, value] : entries) {
        EXPECT_NE(std::find(keys.begin(), keys.end(), key), keys.end()) << key;
        EXPECT_NE(std::find(values.begin(), values.end(), value), values.end()) << value;
    }
}

TEST(JavaSuite, Clear) {
    JavaMap m = java_map();
    m.put("apple", 1);
    m.put("banana", 2);
    m.put("orange", 3);
    EXPECT_EQ(m.size(), 3u);
    m.clear();
    EXPECT_EQ(m.size(), 0u);
    EXPECT_TRUE(m.empty());
    EXPECT_EQ(m.get("apple"), std::nullopt);
    EXPECT_EQ(m.get("banana"), std::nullopt);
    EXPECT_EQ(m.begin(), m.end());

    EXPECT_EQ(m.put("apple", 4), std::nullopt) << "the cleared map is reusable";
    EXPECT_EQ(m.get("apple"), 4);
    EXPECT_EQ(m.size(), 1u);
}

TEST(JavaSuite, EqualsAndHashCodeIgnoreInsertionOrder) {
    JavaMap first = java_map(), second = java_map();
    first.put("apple", 1);
    first.put("banana", 2);
    second.put("banana", 2);
    second.put("apple", 1);
    EXPECT_TRUE(first == second);
    EXPECT_FALSE(first != second);
    EXPECT_EQ(std::hash<JavaMap>()(first), std::hash<JavaMap>()(second));
}

} // namespace
