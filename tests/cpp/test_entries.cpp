// Single-entry operations: insert_or_assign/put, try_emplace, get and the
// zero-copy get_view, contains, contains_value, erase and remove, clear,
// reserve and capacity.
#include "cpp_util.hpp"

#include <string>
#include <string_view>

namespace {

using ehm_cpp_test::key_of;
using ehm_cpp_test::seeded;
using ehm_cpp_test::value_of;
using StringMap = ehm::map<std::string, std::string>;

// A value type that counts its constructions, to see what try_emplace builds.
struct Counted {
    static inline int constructions = 0;
    std::int64_t n = 0;
    Counted() = default;
    explicit Counted(std::int64_t v) : n(v) { ++constructions; }
};

} // namespace

template <>
struct ehm::codec<Counted> {
    static constexpr std::size_t fixed_size = sizeof(std::int64_t);
    static std::string_view encode(const Counted &c) noexcept {
        return {reinterpret_cast<const char *>(&c.n), sizeof c.n};
    }
    static Counted decode(std::string_view bytes) {
        Counted c;
        std::memcpy(&c.n, bytes.data(), sizeof c.n);
        return c;
    }
};

namespace {

TEST(Entries, InsertOrAssignReturnsThePreviousValue) {
    StringMap m(seeded(1));
    EXPECT_EQ(m.insert_or_assign("k", "one"), std::nullopt);
    EXPECT_EQ(m.insert_or_assign("k", "two"), "one");
    EXPECT_EQ(m.put("k", "three"), "two");
    EXPECT_EQ(m.get("k"), "three");
    EXPECT_EQ(m.size(), 1u);
}

TEST(Entries, TryEmplaceInsertsOnlyWhenAbsent) {
    StringMap m(seeded(2));
    EXPECT_TRUE(m.try_emplace("k", 3, 'x'));
    EXPECT_EQ(m.get("k"), "xxx");
    EXPECT_FALSE(m.try_emplace("k", 5, 'y'));
    EXPECT_EQ(m.get("k"), "xxx");
    EXPECT_EQ(m.size(), 1u);
}

TEST(Entries, TryEmplaceConstructsNothingForAPresentKey) {
    ehm::map<int, Counted> m(seeded(3));
    Counted::constructions = 0;
    EXPECT_TRUE(m.try_emplace(1, 10));
    EXPECT_EQ(Counted::constructions, 1);
    EXPECT_FALSE(m.try_emplace(1, 20));
    EXPECT_EQ(Counted::constructions, 1);
    EXPECT_EQ(m.get(1)->n, 10);
}

TEST(Entries, GetOfAbsentKeyIsNullopt) {
    StringMap m(seeded(4));
    EXPECT_EQ(m.get("nothing"), std::nullopt);
    m.put("something", "x");
    EXPECT_EQ(m.get("nothing"), std::nullopt);
    EXPECT_EQ(m.get("somethin"), std::nullopt);
}

TEST(Entries, GetViewPointsIntoTheMap) {
    StringMap m(seeded(5));
    const std::string long_value(500, 'q');
    m.put("k", long_value);
    const std::optional<std::string_view> view = m.get_view("k");
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(*view, long_value);
    EXPECT_NE(static_cast<const void *>(view->data()),
              static_cast<const void *>(long_value.data()));

    const void *stored = nullptr;
    std::size_t stored_size = 0;
    ASSERT_EQ(ehm_get(m.native_handle(), "k", 1, &stored, &stored_size), EHM_OK);
    EXPECT_EQ(static_cast<const void *>(view->data()), stored) << "the view is no copy";
    EXPECT_EQ(view->size(), stored_size);
    EXPECT_EQ(m.get_view("absent"), std::nullopt);
}

TEST(Entries, GetViewOfFixedSizeValueIsItsBytes) {
    ehm::map<std::uint32_t, std::uint32_t> m(seeded(6));
    m.put(7, 0x01020304u);
    const std::optional<std::string_view> view = m.get_view(7);
    ASSERT_TRUE(view.has_value());
    ASSERT_EQ(view->size(), sizeof(std::uint32_t));
    std::uint32_t value = 0;
    std::memcpy(&value, view->data(), sizeof value);
    EXPECT_EQ(value, 0x01020304u);
}

TEST(Entries, ContainsAndContainsValue) {
    StringMap m(seeded(7));
    for (std::size_t i = 0; i < 100; ++i) m.put(key_of(i), value_of(i));
    for (std::size_t i = 0; i < 100; ++i) {
        EXPECT_TRUE(m.contains(key_of(i)));
        EXPECT_TRUE(m.contains_value(value_of(i)));
    }
    EXPECT_FALSE(m.contains(key_of(100)));
    EXPECT_FALSE(m.contains_value(value_of(100)));
    m.erase(key_of(5));
    EXPECT_FALSE(m.contains(key_of(5)));
    EXPECT_FALSE(m.contains_value(value_of(5)));
}

TEST(Entries, EraseReportsWhetherItRemoved) {
    StringMap m(seeded(8));
    m.put("a", "1");
    m.put("b", "2");
    EXPECT_TRUE(m.erase("a"));
    EXPECT_FALSE(m.erase("a"));
    EXPECT_FALSE(m.erase("never"));
    EXPECT_EQ(m.size(), 1u);
    EXPECT_EQ(m.get("b"), "2");
}

TEST(Entries, RemoveReturnsWhatItRemoved) {
    StringMap m(seeded(9));
    m.put("a", "alpha");
    EXPECT_EQ(m.remove("a"), "alpha");
    EXPECT_EQ(m.remove("a"), std::nullopt);
    EXPECT_TRUE(m.empty());
}

TEST(Entries, ClearKeepsTheCapacityAndTheMapUsable) {
    StringMap m(seeded(10));
    for (std::size_t i = 0; i < 2000; ++i) m.put(key_of(i), value_of(i));
    const std::size_t capacity = m.capacity();
    m.clear();
    EXPECT_TRUE(m.empty());
    EXPECT_EQ(m.capacity(), capacity);
    for (std::size_t i = 0; i < 2000; i += 101) EXPECT_FALSE(m.contains(key_of(i)));
    m.put(key_of(1), "again");
    EXPECT_EQ(m.get(key_of(1)), "again");
    EXPECT_EQ(m.size(), 1u);
}

TEST(Entries, ReserveGrowsOnceForWhatIsComing) {
    ehm::map<std::uint64_t, std::uint64_t> m(seeded(11));
    m.put(1, 1);
    m.reserve(50000);
    EXPECT_GE(m.capacity(), 50000u);
    const std::size_t capacity = m.capacity();
    for (std::uint64_t i = 0; i < 50000; ++i) m.put(i, i * 3);
    EXPECT_EQ(m.capacity(), capacity);
    EXPECT_EQ(m.get(49999), 49999u * 3);
    m.reserve(10);
    EXPECT_EQ(m.capacity(), capacity) << "reserve never shrinks";
}

// A string_view-keyed map owns its keys: the caller's buffer can change.
TEST(Entries, StringViewKeysAreCopiedIn) {
    ehm::map<std::string_view, int> m(seeded(12));
    std::string buffer = "first";
    m.put(buffer, 1);
    buffer = "other";
    EXPECT_EQ(m.get("first"), 1);
    EXPECT_FALSE(m.contains("other"));
}

} // namespace
