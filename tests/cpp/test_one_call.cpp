// put, insert_or_assign, try_emplace and remove each make one C call: what
// they return and leave behind, values longer than the wrapper's buffer, and
// the undoing of the call when a codec throws after it.
#include "cpp_util.hpp"

#include <string>
#include <string_view>

namespace {

// Counts constructions, to show try_emplace builds nothing for a present key.
struct Counted {
    static inline int constructed = 0;
    static inline bool fail_encode = false;
    std::uint64_t n = 0;
    Counted() = default;
    explicit Counted(std::uint64_t v) : n(v) { ++constructed; }
};

} // namespace

template <>
struct ehm::codec<Counted> {
    static constexpr std::size_t fixed_size = 8;
    static std::string encode(const Counted &c) {
        if (Counted::fail_encode) throw std::runtime_error("encode");
        return std::string(reinterpret_cast<const char *>(&c.n), 8);
    }
    static Counted decode(std::string_view bytes) {
        Counted c;
        std::memcpy(&c.n, bytes.data(), 8);
        return c;
    }
};

namespace {

using ehm_cpp_test::key_of;
using ehm_cpp_test::seeded;

TEST(OneCall, PutAndInsertOrAssignReturnThePreviousValue) {
    ehm::map<std::string, std::string> m(seeded(1));
    EXPECT_EQ(m.put("k", "one"), std::nullopt);
    EXPECT_EQ(m.insert_or_assign("k", "two"), std::optional<std::string>("one"));
    EXPECT_EQ(m.put("k", std::string(1000, 'x')), std::optional<std::string>("two"));
    // Longer than the buffer the wrapper passes first.
    EXPECT_EQ(m.put("k", "short"), std::optional<std::string>(std::string(1000, 'x')));
    EXPECT_EQ(m.get("k"), std::optional<std::string>("short"));
    EXPECT_EQ(m.size(), 1u);
}

TEST(OneCall, FixedSizePutReturnsThePreviousValue) {
    ehm::map<std::uint64_t, std::uint64_t> m(seeded(2));
    for (std::uint64_t i = 0; i < 2000; ++i) EXPECT_EQ(m.put(i, i), std::nullopt);
    for (std::uint64_t i = 0; i < 2000; ++i) EXPECT_EQ(m.put(i, i + 1), i);
    EXPECT_EQ(m.size(), 2000u);
}

TEST(OneCall, RemoveReturnsShortAndLongValues) {
    ehm::map<std::string, std::string> m(seeded(3));
    m.put("short", "s");
    m.put("long", std::string(5000, 'L'));
    m.put("empty", "");
    EXPECT_EQ(m.remove("long"), std::optional<std::string>(std::string(5000, 'L')));
    EXPECT_EQ(m.remove("short"), std::optional<std::string>("s"));
    EXPECT_EQ(m.remove("empty"), std::optional<std::string>(""));
    EXPECT_EQ(m.remove("short"), std::nullopt);
    EXPECT_TRUE(m.empty());
}

TEST(OneCall, TryEmplaceConstructsNothingForAPresentFixedSizeKey) {
    ehm::map<std::string, Counted> m(seeded(4));
    Counted::constructed = 0;
    EXPECT_TRUE(m.try_emplace("k", std::uint64_t{7}));
    EXPECT_EQ(Counted::constructed, 1);
    EXPECT_FALSE(m.try_emplace("k", std::uint64_t{8}));
    EXPECT_EQ(Counted::constructed, 1) << "the key was present";
    EXPECT_EQ(m.get("k")->n, 7u);
    for (std::uint64_t i = 0; i < 3000; ++i) EXPECT_TRUE(m.try_emplace(key_of(i), i));
    for (std::uint64_t i = 0; i < 3000; ++i) EXPECT_EQ(m.get(key_of(i))->n, i);
}

TEST(OneCall, TryEmplaceOfVariableSizeValues) {
    ehm::map<int, std::string> m(seeded(5));
    EXPECT_TRUE(m.try_emplace(1, 3, 'a'));
    EXPECT_FALSE(m.try_emplace(1, 5, 'b'));
    EXPECT_EQ(m.get(1), std::optional<std::string>("aaa"));
}

TEST(OneCall, TryEmplaceUndoesItsInsertionWhenEncodingThrows) {
    ehm::map<std::string, Counted> m(seeded(6));
    m.try_emplace("kept", std::uint64_t{1});
    Counted::fail_encode = true;
    EXPECT_THROW(m.try_emplace("new", std::uint64_t{2}), std::runtime_error);
    Counted::fail_encode = false;
    EXPECT_FALSE(m.contains("new"));
    EXPECT_EQ(m.size(), 1u);
    EXPECT_EQ(m.get("kept")->n, 1u);
}

} // namespace
