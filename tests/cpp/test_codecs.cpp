// Codecs: trivially copyable types go through memcpy and select the
// fixed-size layout; std::string, std::string_view and
// std::vector<std::byte> are variable-length blobs; user types plug in by
// specialising ehm::codec<T>, with owning or fixed-size encodings.
#include "cpp_util.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Padding between the fields: the memcpy codec refuses it, so it gets a
// fixed-size codec of its own that writes the 9 meaningful bytes.
struct Reading {
    std::uint8_t sensor = 0;
    double value = 0;
};

// Variable length, encoded as "first\0last" into an owned std::string.
struct Name {
    std::string first, last;
    bool operator==(const Name &o) const { return first == o.first && last == o.last; }
};

// Encodes into a std::array<std::byte, 2>: any contiguous one-byte range works.
struct Tag {
    std::uint16_t id = 0;
};

struct NoPadding {
    std::int32_t a = 0, b = 0;
};

enum class Color : std::uint8_t { red, green, blue };

} // namespace

template <>
struct ehm::codec<Reading> {
    static constexpr std::size_t fixed_size = 1 + sizeof(double);
    static std::array<char, fixed_size> encode(const Reading &r) noexcept {
        std::array<char, fixed_size> bytes{};
        bytes[0] = static_cast<char>(r.sensor);
        std::memcpy(bytes.data() + 1, &r.value, sizeof r.value);
        return bytes;
    }
    static Reading decode(std::string_view bytes) {
        Reading r;
        r.sensor = static_cast<std::uint8_t>(bytes[0]);
        std::memcpy(&r.value, bytes.data() + 1, sizeof r.value);
        return r;
    }
};

template <>
struct ehm::codec<Name> {
    static constexpr std::size_t fixed_size = 0;
    static std::string encode(const Name &n) { return n.first + '\0' + n.last; }
    static Name decode(std::string_view bytes) {
        const std::size_t split = bytes.find('\0');
        if (split == std::string_view::npos) throw std::invalid_argument("not a Name");
        return {std::string(bytes.substr(0, split)), std::string(bytes.substr(split + 1))};
    }
};

template <>
struct ehm::codec<Tag> {
    static constexpr std::size_t fixed_size = 2;
    static std::array<std::byte, 2> encode(const Tag &t) noexcept {
        return {std::byte(t.id & 0xFF), std::byte(t.id >> 8)};
    }
    static Tag decode(std::string_view bytes) {
        return Tag{static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[0]) |
                                              static_cast<unsigned char>(bytes[1]) << 8)};
    }
};

namespace {

using ehm_cpp_test::seeded;

// The lengths the C map accepts show the layout the codecs selected.
int raw_put(ehm_map *m, std::size_t key_size, std::size_t value_size) {
    const std::string key(key_size, 'k'), value(value_size, 'v');
    return ehm_put(m, key.data(), key.size(), value.data(), value.size());
}

TEST(Codecs, TriviallyCopyableTypesSelectTheFixedSizeLayout) {
    ehm::map<std::uint64_t, std::uint32_t> fixed(seeded(1));
    EXPECT_EQ(raw_put(fixed.native_handle(), 8, 4), EHM_OK);
    EXPECT_EQ(raw_put(fixed.native_handle(), 7, 4), EHM_EINVAL);
    EXPECT_EQ(raw_put(fixed.native_handle(), 8, 5), EHM_EINVAL);

    ehm::map<std::string, std::uint16_t> mixed(seeded(2));
    EXPECT_EQ(raw_put(mixed.native_handle(), 1, 2), EHM_OK);
    EXPECT_EQ(raw_put(mixed.native_handle(), 100, 2), EHM_OK);
    EXPECT_EQ(raw_put(mixed.native_handle(), 3, 3), EHM_EINVAL);

    ehm::map<std::string, std::string> blobs(seeded(3));
    EXPECT_EQ(raw_put(blobs.native_handle(), 0, 0), EHM_OK);
    EXPECT_EQ(raw_put(blobs.native_handle(), 1000, 3), EHM_OK);
}

TEST(Codecs, PlainTypesRoundTrip) {
    ehm::map<NoPadding, std::array<std::uint16_t, 3>> arrays(seeded(4));
    arrays.put({1, 2}, {7, 8, 9});
    arrays.put({2, 1}, {1, 1, 1});
    EXPECT_EQ(arrays.get({1, 2}), (std::array<std::uint16_t, 3>{7, 8, 9}));
    EXPECT_EQ(arrays.size(), 2u);

    ehm::map<Color, bool> flags(seeded(5));
    flags.put(Color::green, true);
    flags.put(Color::blue, false);
    EXPECT_EQ(flags.get(Color::green), true);
    EXPECT_EQ(flags.get(Color::blue), false);
    EXPECT_EQ(flags.get(Color::red), std::nullopt);

    ehm::map<char, std::int64_t> chars(seeded(6));
    chars.put('x', std::numeric_limits<std::int64_t>::min());
    EXPECT_EQ(chars.get('x'), std::numeric_limits<std::int64_t>::min());
}

// Doubles compare by their bytes: -0.0 and 0.0 are two keys, a NaN finds
// itself (Java's Double.equals behaves the same way).
TEST(Codecs, FloatingKeysCompareByBytes) {
    ehm::map<double, int> m(seeded(7));
    m.put(0.0, 1);
    m.put(-0.0, 2);
    m.put(std::numeric_limits<double>::quiet_NaN(), 3);
    EXPECT_EQ(m.size(), 3u);
    EXPECT_EQ(m.get(0.0), 1);
    EXPECT_EQ(m.get(-0.0), 2);
    EXPECT_EQ(m.get(std::numeric_limits<double>::quiet_NaN()), 3);
}

TEST(Codecs, StringsKeepEmbeddedZeros) {
    ehm::map<std::string, std::string> m(seeded(8));
    const std::string key("a\0b", 3), value("\0\0x", 3);
    m.put(key, value);
    EXPECT_EQ(m.get(key), value);
    EXPECT_FALSE(m.contains("a"));
    EXPECT_FALSE(m.contains(std::string("a\0c", 3)));
}

TEST(Codecs, ByteVectorsAreBlobs) {
    using Bytes = std::vector<std::byte>;
    ehm::map<Bytes, Bytes> m(seeded(9));
    const Bytes key{std::byte{0}, std::byte{255}, std::byte{0}};
    const Bytes value(1000, std::byte{0x5A});
    m.put(key, value);
    m.put({}, {std::byte{1}});
    EXPECT_EQ(m.get(key), value);
    EXPECT_EQ(m.get(Bytes{}), Bytes{std::byte{1}});
    EXPECT_EQ(m.get(Bytes{std::byte{0}, std::byte{255}}), std::nullopt);
}

// string_view values are views into the map; what must outlive a change is
// handed back as std::string.
TEST(Codecs, StringViewValuesBorrowAndPreviousValuesOwn) {
    ehm::map<std::string_view, std::string_view> m(seeded(10));
    static_assert(std::is_same_v<decltype(m.get("k")), std::optional<std::string_view>>);
    static_assert(std::is_same_v<decltype(m.put("k", "v")), std::optional<std::string>>);
    static_assert(std::is_same_v<decltype(m.remove("k")), std::optional<std::string>>);
    std::string first = "first value";
    m.put("k", first);
    first.assign(first.size(), '#');
    EXPECT_EQ(m.get("k"), "first value");
    const std::optional<std::string> previous = m.put("k", "second");
    for (int i = 0; i < 100; ++i) m.put(std::to_string(i), "filler");
    EXPECT_EQ(previous, "first value");
    EXPECT_EQ(m.remove("k"), "second");
}

TEST(Codecs, CustomFixedSizeCodecOverPaddedType) {
    ehm::map<std::uint32_t, Reading> m(seeded(11));
    EXPECT_EQ(raw_put(m.native_handle(), 4, 9), EHM_OK);
    EXPECT_EQ(raw_put(m.native_handle(), 4, sizeof(Reading)), EHM_EINVAL);
    m.put(1, Reading{3, 2.5});
    const std::optional<Reading> r = m.get(1);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->sensor, 3);
    EXPECT_EQ(r->value, 2.5);
}

TEST(Codecs, CustomOwningCodec) {
    ehm::map<Name, int> m(seeded(12));
    m.put({"Ada", "Lovelace"}, 1815);
    m.put({"Ada", ""}, 1);
    m.put({"", "Ada"}, 2);
    EXPECT_EQ(m.size(), 3u);
    EXPECT_EQ(m.get({"Ada", "Lovelace"}), 1815);
    EXPECT_EQ(m.get({"", "Ada"}), 2);
    const auto entry = *m.begin();
    EXPECT_TRUE(m.contains(entry.first));
}

TEST(Codecs, CustomByteArrayCodec) {
    ehm::map<Tag, Tag> m(seeded(13));
    EXPECT_EQ(raw_put(m.native_handle(), 2, 2), EHM_OK);
    m.put(Tag{0x1234}, Tag{0xBEEF});
    EXPECT_EQ(m.get(Tag{0x1234})->id, 0xBEEF);
    EXPECT_EQ(*m.get_view(Tag{0x1234}), std::string_view("\xEF\xBE", 2));
}

TEST(Codecs, MemcpyCodecRejectsBytesOfTheWrongSize) {
    EXPECT_THROW(ehm::codec<std::uint32_t>::decode("abc"), std::invalid_argument);
    EXPECT_EQ(ehm::codec<std::uint32_t>::decode(std::string_view("\x01\0\0\0", 4)), 1u);
}

static_assert(ehm::codec<std::uint64_t>::fixed_size == 8);
static_assert(ehm::codec<Color>::fixed_size == 1);
static_assert(ehm::codec<std::string>::fixed_size == 0);
static_assert(ehm::codec<std::vector<std::byte>>::fixed_size == 0);
static_assert(ehm::bridge::is_plain_bytes_v<NoPadding>);
static_assert(!ehm::bridge::is_plain_bytes_v<Reading>, "padding");
static_assert(!ehm::bridge::is_plain_bytes_v<const char *>, "pointers");
static_assert(!ehm::bridge::is_plain_bytes_v<long double>, "padding inside");

} // namespace
