// ehm_get_copy: size discovery, exact and short buffers, and what is left
// untouched on each failure.
#include "capi_util.hpp"

namespace {

using namespace ehmtest;

const size_t kSentinelLen = 0xDEADBEEF;
const unsigned char kFill = 0xA5;

class GetCopy : public SeededMapTest<3> {
protected:
    void SetUp() override {
        ASSERT_NO_FATAL_FAILURE(SeededMapTest::SetUp());
        ASSERT_EQ(put(m(), "key", value_), EHM_OK);
        ASSERT_EQ(put(m(), "empty", ""), EHM_OK);
        fill(m(), 100);
        buf_.assign(value_.size() + 32, kFill);
    }
    int copy(const std::string &key, size_t buf_len, size_t *value_len) {
        return ehm_get_copy(m(), key.data(), key.size(), buf_.data(), buf_len, value_len);
    }
    bool buf_untouched_from(size_t from) const {
        return std::all_of(buf_.begin() + static_cast<std::ptrdiff_t>(from), buf_.end(),
                           [](unsigned char c) { return c == kFill; });
    }
    // A copy of "key" into `buf_len` bytes succeeds and writes the value and
    // nothing past it.
    void expect_copy_succeeds(size_t buf_len) {
        size_t len = kSentinelLen;
        ASSERT_EQ(copy("key", buf_len, &len), EHM_OK);
        EXPECT_EQ(len, value_.size());
        EXPECT_EQ(std::memcmp(buf_.data(), value_.data(), value_.size()), 0);
        EXPECT_TRUE(buf_untouched_from(value_.size()));
    }

    const std::string value_ = "the stored value, 33 bytes long!!";
    std::vector<unsigned char> buf_;
};

TEST_F(GetCopy, ZeroLengthBufferReportsNeededSize) {
    size_t len = kSentinelLen;
    EXPECT_EQ(ehm_get_copy(m(), "key", 3, nullptr, 0, &len), EHM_ERANGE);
    EXPECT_EQ(len, value_.size());
    len = kSentinelLen;
    EXPECT_EQ(copy("key", 0, &len), EHM_ERANGE);
    EXPECT_EQ(len, value_.size());
    EXPECT_TRUE(buf_untouched_from(0));
}

TEST_F(GetCopy, ShortBufferCopiesNothing) {
    for (size_t short_len : {size_t{1}, value_.size() / 2, value_.size() - 1}) {
        size_t len = kSentinelLen;
        EXPECT_EQ(copy("key", short_len, &len), EHM_ERANGE) << short_len;
        EXPECT_EQ(len, value_.size());
        EXPECT_TRUE(buf_untouched_from(0)) << short_len;
    }
}

TEST_F(GetCopy, ExactSizeBufferSucceeds) {
    expect_copy_succeeds(value_.size());
}

TEST_F(GetCopy, LargerBufferCopiesOnlyTheValue) {
    expect_copy_succeeds(buf_.size());
}

TEST_F(GetCopy, LearnSizeThenCopy) {
    for (size_t i = 0; i < 100; ++i) {
        const std::string k = key_of(i);
        size_t len = kSentinelLen;
        ASSERT_EQ(ehm_get_copy(m(), k.data(), k.size(), nullptr, 0, &len), EHM_ERANGE);
        ASSERT_EQ(len, value_of(i).size());
        std::vector<char> out(len);
        size_t len2 = kSentinelLen;
        ASSERT_EQ(ehm_get_copy(m(), k.data(), k.size(), out.data(), out.size(), &len2), EHM_OK);
        ASSERT_EQ(len2, len);
        EXPECT_EQ(std::string(out.begin(), out.end()), value_of(i));
    }
}

TEST_F(GetCopy, EmptyValueFitsInZeroLengthBuffer) {
    size_t len = kSentinelLen;
    EXPECT_EQ(ehm_get_copy(m(), "empty", 5, nullptr, 0, &len), EHM_OK);
    EXPECT_EQ(len, 0u);
    len = kSentinelLen;
    EXPECT_EQ(copy("empty", buf_.size(), &len), EHM_OK);
    EXPECT_EQ(len, 0u);
    EXPECT_TRUE(buf_untouched_from(0));
}

TEST_F(GetCopy, NotFoundLeavesBufferAndLengthUntouched) {
    size_t len = kSentinelLen;
    EXPECT_EQ(copy("absent", buf_.size(), &len), EHM_NOTFOUND);
    EXPECT_EQ(len, kSentinelLen);
    EXPECT_TRUE(buf_untouched_from(0));
    EXPECT_EQ(ehm_get_copy(m(), "absent", 6, nullptr, 0, &len), EHM_NOTFOUND);
    EXPECT_EQ(len, kSentinelLen);
}

TEST_F(GetCopy, NullValueLenIsInvalid) {
    EXPECT_EQ(copy("key", buf_.size(), nullptr), EHM_EINVAL);
    EXPECT_EQ(copy("key", 0, nullptr), EHM_EINVAL);
    EXPECT_EQ(copy("absent", buf_.size(), nullptr), EHM_EINVAL);
    EXPECT_TRUE(buf_untouched_from(0));
}

TEST_F(GetCopy, NullBufferWithNonZeroLengthIsInvalid) {
    size_t len = kSentinelLen;
    EXPECT_EQ(ehm_get_copy(m(), "key", 3, nullptr, 64, &len), EHM_EINVAL);
    EXPECT_EQ(len, kSentinelLen);
}

TEST_F(GetCopy, EmptyKey) {
    ASSERT_EQ(ehm_put(m(), nullptr, 0, "ev", 2), EHM_OK);
    size_t len = kSentinelLen;
    ASSERT_EQ(ehm_get_copy(m(), nullptr, 0, buf_.data(), buf_.size(), &len), EHM_OK);
    EXPECT_EQ(len, 2u);
    EXPECT_EQ(std::memcmp(buf_.data(), "ev", 2), 0);
}

TEST_F(GetCopy, DoesNotChangeTheMap) {
    const Snapshot before = snapshot(m());
    size_t len = 0;
    for (size_t b : {size_t{0}, size_t{5}, buf_.size()}) {
        (void)copy("key", b, &len);
        (void)copy("absent", b, &len);
    }
    EXPECT_TRUE(unchanged(before, m()));
}

TEST(GetCopyFixed, FixedSizeValue) {
    MapPtr map = make_map(fixed_size_config(8, 3));
    ASSERT_NE(map, nullptr);
    ASSERT_EQ(put(map.get(), "01234567", "abc"), EHM_OK);
    char buf[3] = {0, 0, 0};
    size_t len = kSentinelLen;
    EXPECT_EQ(ehm_get_copy(map.get(), "01234567", 8, buf, 2, &len), EHM_ERANGE);
    EXPECT_EQ(len, 3u);
    EXPECT_EQ(buf[0], 0);
    len = kSentinelLen;
    EXPECT_EQ(ehm_get_copy(map.get(), "01234567", 8, buf, 3, &len), EHM_OK);
    EXPECT_EQ(len, 3u);
    EXPECT_EQ(std::memcmp(buf, "abc", 3), 0);
}

} // namespace
