// keys(), values(), entries() and the map itself as ranges: range-for,
// <algorithm>, independent iterator copies, and erase(iterator) during
// iteration (the original's Iterator.remove, which it did not support).
#include "cpp_util.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

namespace {

using ehm_cpp_test::key_of;
using ehm_cpp_test::seeded;
using ehm_cpp_test::value_of;
using StringMap = ehm::map<std::string, std::string>;
using Model = std::map<std::string, std::string>;

struct Filled {
    StringMap map;
    Model model;
};

Filled filled(std::size_t n) {
    Filled f{StringMap(seeded(23)), {}};
    for (std::size_t i = 0; i < n; ++i) {
        f.map.put(key_of(i), value_of(i));
        f.model[key_of(i)] = value_of(i);
    }
    return f;
}

std::size_t index_of(const std::string &key) {
    return std::stoul(key.substr(3));
}

TEST(Views, EmptyMapHasEmptyViews) {
    const StringMap m(seeded(1));
    EXPECT_EQ(m.begin(), m.end());
    EXPECT_EQ(m.keys().begin(), m.keys().end());
    EXPECT_EQ(m.values().begin(), m.values().end());
    EXPECT_TRUE(m.keys().empty());
    EXPECT_EQ(m.entries().size(), 0u);
}

TEST(Views, RangeForVisitsEveryEntryOnce) {
    const Filled f = filled(3000);
    Model seen;
    for (const auto &[key, value] : f.map) {
        ASSERT_TRUE(seen.emplace(key, value).second) << "visited twice: " << key;
    }
    EXPECT_EQ(seen, f.model);
}

TEST(Views, KeysValuesAndEntriesAgreeWithTheModel) {
    const Filled f = filled(1000);
    const std::set<std::string> keys(f.map.keys().begin(), f.map.keys().end());
    std::multiset<std::string> values(f.map.values().begin(), f.map.values().end());
    const Model entries(f.map.entries().begin(), f.map.entries().end());

    std::set<std::string> model_keys;
    std::multiset<std::string> model_values;
    for (const auto &[key, value] : f.model) {
        model_keys.insert(key);
        model_values.insert(value);
    }
    EXPECT_EQ(f.map.keys().size(), 1000u);
    EXPECT_EQ(f.map.values().size(), 1000u);
    EXPECT_EQ(keys, model_keys);
    EXPECT_EQ(values, model_values);
    EXPECT_EQ(entries, f.model);
}

TEST(Views, WorkWithAlgorithms) {
    ehm::map<std::uint32_t, std::uint32_t> m(seeded(2));
    for (std::uint32_t i = 1; i <= 1000; ++i) m.put(i, i * 2);
    const auto keys = m.keys();
    const auto values = m.values();
    EXPECT_EQ(std::accumulate(keys.begin(), keys.end(), std::uint64_t{0}), 500500u);
    EXPECT_EQ(std::count_if(values.begin(), values.end(), [](std::uint32_t v) { return v > 1000; }),
              500);
    EXPECT_TRUE(
        std::all_of(m.begin(), m.end(), [](const auto &e) { return e.second == 2 * e.first; }));
    EXPECT_NE(std::find(keys.begin(), keys.end(), 777u), keys.end());
    EXPECT_EQ(std::find(keys.begin(), keys.end(), 1001u), keys.end());
    EXPECT_EQ(*std::max_element(values.begin(), values.end()), 2000u);
    EXPECT_EQ(std::distance(m.begin(), m.end()), 1000);
}

TEST(Views, IteratorCopiesWalkIndependently) {
    const Filled f = filled(50);
    auto first = f.map.keys().begin();
    auto second = first;
    ++first;
    ++first;
    EXPECT_NE(first, second);
    auto third = second;
    third++;
    auto old = third++;
    EXPECT_EQ(third, first);
    EXPECT_NE(old, third);
    EXPECT_EQ(*third, *first);
}

TEST(Views, ArrowAndStructuredBindings) {
    StringMap m(seeded(3));
    m.put("only", "entry");
    auto it = m.begin();
    EXPECT_EQ(it->first, "only");
    EXPECT_EQ(it->second, "entry");
    const auto [key, value] = *it;
    EXPECT_EQ(key, "only");
    EXPECT_EQ(value, "entry");
    ++it;
    EXPECT_EQ(it, m.end());
}

TEST(Views, EraseDuringIterationFiltersInOnePass) {
    Filled f = filled(4000);
    std::size_t visited = 0;
    for (auto it = f.map.begin(); it != f.map.end();) {
        ASSERT_LE(++visited, 4000u);
        if (index_of(it->first) % 2 == 0) {
            it = f.map.erase(it);
        } else {
            ++it;
        }
    }
    EXPECT_EQ(visited, 4000u);
    for (auto it = f.model.begin(); it != f.model.end();) {
        it = index_of(it->first) % 2 == 0 ? f.model.erase(it) : std::next(it);
    }
    EXPECT_EQ(f.map.size(), 2000u);
    EXPECT_EQ(Model(f.map.begin(), f.map.end()), f.model);
}

TEST(Views, EraseThroughKeyAndValueIterators) {
    Filled f = filled(600);
    for (auto it = f.map.keys().begin(); it != f.map.keys().end();) {
        it = index_of(*it) < 300 ? f.map.erase(it) : std::next(it);
    }
    EXPECT_EQ(f.map.size(), 300u);
    const auto values = f.map.values();
    for (auto it = values.begin(); it != values.end();) {
        it = f.map.erase(it);
    }
    EXPECT_TRUE(f.map.empty());
    EXPECT_EQ(f.map.begin(), f.map.end());
}

TEST(Views, EraseRejectsTheEndAndForeignIterators) {
    Filled f = filled(10);
    Filled other = filled(10);
    EXPECT_THROW(f.map.erase(f.map.end()), std::invalid_argument);
    EXPECT_THROW(f.map.erase(other.map.begin()), std::invalid_argument);
    EXPECT_EQ(f.map.size(), 10u);
    EXPECT_EQ(other.map.size(), 10u);
}

TEST(Views, ViewsAreLive) {
    StringMap m(seeded(4));
    const auto keys = m.keys();
    EXPECT_TRUE(keys.empty());
    m.put("a", "1");
    EXPECT_EQ(keys.size(), 1u);
    EXPECT_EQ(*keys.begin(), "a");
}

} // namespace
