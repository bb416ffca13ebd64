// Status codes become exceptions (EHM_ENOMEM -> std::bad_alloc, EHM_EINVAL ->
// std::invalid_argument, EHM_ETOOBIG -> std::length_error), and a member
// that throws, whether in the C call or in a codec, leaves the map as it was.
#include "cpp_util.hpp"

#include <limits>
#include <string>
#include <string_view>

namespace {

// Encodes to 4 bytes, except `broken` ones, which encode to 3: the fixed-size
// map rejects those with EHM_EINVAL. Encoding or decoding throws while
// `fragile` is set, so codec failures can be placed around the C calls.
struct Word {
    static inline bool fragile = false;
    std::uint32_t bits = 0;
    bool broken = false;
};

} // namespace

template <>
struct ehm::codec<Word> {
    static constexpr std::size_t fixed_size = 4;
    static std::string encode(const Word &w) {
        if (Word::fragile) throw std::runtime_error("encode");
        return std::string(reinterpret_cast<const char *>(&w.bits), w.broken ? 3 : 4);
    }
    static Word decode(std::string_view bytes) {
        if (Word::fragile) throw std::runtime_error("decode");
        Word w;
        std::memcpy(&w.bits, bytes.data(), sizeof w.bits);
        return w;
    }
};

namespace {

using ehm_cpp_test::seeded;
using WordMap = ehm::map<std::string, Word>;

class Errors : public ::testing::Test {
protected:
    void TearDown() override { Word::fragile = false; }
};

TEST_F(Errors, InvalidArgumentNamesTheOperationAndTheStatus) {
    WordMap m(seeded(1));
    try {
        m.put("k", Word{7, true});
        FAIL() << "a 3-byte value went into a 4-byte map";
    } catch (const std::invalid_argument &e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("put"), std::string::npos) << what;
        EXPECT_NE(what.find(ehm_strerror(EHM_EINVAL)), std::string::npos) << what;
    }
    EXPECT_FALSE(m.contains("k"));
    EXPECT_TRUE(m.empty());
}

TEST_F(Errors, TooBigIsALengthError) {
    ehm::map<int, int> m(seeded(2));
    m.put(1, 1);
    const std::size_t capacity = m.capacity();
    EXPECT_THROW(m.reserve(std::numeric_limits<std::size_t>::max()), std::length_error);
    EXPECT_EQ(m.capacity(), capacity);
    EXPECT_EQ(m.get(1), 1);
}

TEST_F(Errors, OutOfMemoryIsBadAlloc) {
    ehm_cpp_test::CountingResource resource;
    ehm::options opts = seeded(3);
    opts.resource = &resource;
    ehm::map<std::string, std::string> m(opts);
    resource.fail_after(0);
    EXPECT_THROW(m.put("key", std::string(100, 'v')), std::bad_alloc);
    EXPECT_TRUE(m.empty());
}

TEST_F(Errors, EncodeFailureChangesNothing) {
    WordMap m(seeded(4));
    m.put("k", Word{1});
    Word::fragile = true;
    EXPECT_THROW(m.put("k", Word{2}), std::runtime_error);
    EXPECT_THROW(m.put("new", Word{2}), std::runtime_error);
    EXPECT_THROW(m.try_emplace("other", Word{2}), std::runtime_error);
    Word::fragile = false;
    EXPECT_EQ(m.size(), 1u);
    EXPECT_EQ(m.get("k")->bits, 1u);
}

// insert_or_assign and remove hand the previous value's bytes out of their
// one C call and decode them after; a decode failure puts them back.
TEST_F(Errors, DecodeFailureOfThePreviousValueChangesNothing) {
    WordMap m(seeded(5));
    m.put("k", Word{1});
    const ehm::map<std::string, Word> before = m;
    Word::fragile = true;
    EXPECT_THROW(m.insert_or_assign("k", Word{2}), std::runtime_error);
    EXPECT_THROW(m.remove("k"), std::runtime_error);
    Word::fragile = false;
    EXPECT_TRUE(m == before);
    EXPECT_EQ(m.get("k")->bits, 1u);
}

// The whole table, including the statuses no member expects to see.
TEST_F(Errors, EveryStatusMapsToItsException) {
    EXPECT_THROW(ehm::bridge::throw_status(EHM_ENOMEM, "op"), std::bad_alloc);
    EXPECT_THROW(ehm::bridge::throw_status(EHM_EINVAL, "op"), std::invalid_argument);
    EXPECT_THROW(ehm::bridge::throw_status(EHM_ETOOBIG, "op"), std::length_error);
    for (int status : {EHM_NOTFOUND, EHM_ERANGE, EHM_EVERSION, EHM_ITEROVER, -1000}) {
        try {
            ehm::bridge::throw_status(status, "op");
            ADD_FAILURE() << "nothing thrown for " << status;
        } catch (const ehm::error &e) {
            EXPECT_EQ(e.status(), status);
            EXPECT_NE(std::string(e.what()).find(ehm_strerror(status)), std::string::npos);
        }
    }
    EXPECT_EQ(ehm::bridge::check(1, "op"), 1);
    EXPECT_EQ(ehm::bridge::check(0, "op"), 0);
}

} // namespace
