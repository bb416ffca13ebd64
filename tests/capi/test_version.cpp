// Version macros and functions, status code values and ehm_strerror.
#include "capi_util.hpp"

#include <climits>
#include <set>

namespace {

const int kAllCodes[] = {EHM_OK,      EHM_NOTFOUND, EHM_EINVAL,   EHM_ENOMEM, EHM_ERANGE,
                         EHM_ETOOBIG, EHM_EVERSION, EHM_ITEROVER, EHM_EXISTS};

TEST(Version, MacrosAreConsistent) {
    EXPECT_EQ(EHM_VERSION_MAJOR, 1);
    EXPECT_EQ(EHM_VERSION_NUMBER,
              EHM_VERSION_MAJOR * 10000 + EHM_VERSION_MINOR * 100 + EHM_VERSION_PATCH);
}

TEST(Version, NumberMatchesHeader) {
    EXPECT_EQ(ehm_version(), static_cast<unsigned>(EHM_VERSION_NUMBER));
}

TEST(Version, StringMatchesMacros) {
    const char *v = ehm_version_string();
    ASSERT_NE(v, nullptr);
    const std::string expected = std::to_string(EHM_VERSION_MAJOR) + "." +
                                 std::to_string(EHM_VERSION_MINOR) + "." +
                                 std::to_string(EHM_VERSION_PATCH);
    EXPECT_EQ(std::string(v), expected);
    EXPECT_EQ(std::string(v), "1.2.0");
    EXPECT_EQ(ehm_version_string(), v) << "static storage";
}

TEST(StatusCodes, HaveTheContractValues) {
    EXPECT_EQ(EHM_OK, 0);
    EXPECT_EQ(EHM_NOTFOUND, -1);
    EXPECT_EQ(EHM_EINVAL, -2);
    EXPECT_EQ(EHM_ENOMEM, -3);
    EXPECT_EQ(EHM_ERANGE, -4);
    EXPECT_EQ(EHM_ETOOBIG, -5);
    EXPECT_EQ(EHM_EVERSION, -6);
    EXPECT_EQ(EHM_ITEROVER, -7);
    EXPECT_EQ(EHM_EXISTS, -8);
    EXPECT_EQ(EHM_FLAG_FIXED_SEED, 1u);
}

TEST(Strerror, DistinctNonEmptyStringForEveryCode) {
    std::set<std::string> seen;
    for (int code : kAllCodes) {
        const char *s = ehm_strerror(code);
        ASSERT_NE(s, nullptr) << code;
        EXPECT_GT(std::strlen(s), 0u) << code;
        EXPECT_TRUE(seen.insert(s).second) << "duplicate message for " << code << ": " << s;
        EXPECT_EQ(ehm_strerror(code), s) << "static storage";
    }
}

TEST(Strerror, GenericStringForUnknownCodes) {
    std::set<std::string> known;
    for (int code : kAllCodes) known.insert(ehm_strerror(code));
    for (int code : {12345, -999, 1, -9, 100, INT_MAX, INT_MIN}) {
        const char *s = ehm_strerror(code);
        ASSERT_NE(s, nullptr) << code;
        EXPECT_GT(std::strlen(s), 0u) << code;
        EXPECT_EQ(known.count(s), 0u) << code << " reported as a known code: " << s;
    }
    EXPECT_STREQ(ehm_strerror(12345), ehm_strerror(-999));
}

} // namespace
