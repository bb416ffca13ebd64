// Exceptions name the member the caller used and carry ehm_last_error's
// account of the failed C call.
#include "cpp_util.hpp"

#include <limits>
#include <string>

namespace {

using ehm_cpp_test::seeded;

template <class Exception, class Call>
std::string what_of(const Call &call) {
    try {
        call();
    } catch (const Exception &e) {
        return e.what();
    }
    ADD_FAILURE() << "nothing thrown";
    return {};
}

TEST(ErrorMessages, MovedFromMapNamesTheMemberCalled) {
    ehm::map<std::string, std::string> source(seeded(1));
    ehm::map<std::string, std::string> target(std::move(source));
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.put("a", "b"); }),
              "ehm::map::put: invalid argument (ehm_exchange: map is NULL)");
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.insert_or_assign("a", "b"); }),
              "ehm::map::insert_or_assign: invalid argument (ehm_exchange: map is NULL)");
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.try_emplace("a", "b"); }),
              "ehm::map::try_emplace: invalid argument (ehm_insert: map is NULL)");
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.remove("a"); }),
              "ehm::map::remove: invalid argument (ehm_remove_copy: map is NULL)");
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.erase("a"); }),
              "ehm::map::erase: invalid argument (ehm_remove: map is NULL)");
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.get("a"); }),
              "ehm::map::get: invalid argument (ehm_get: map is NULL)");
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.get_view("a"); }),
              "ehm::map::get_view: invalid argument (ehm_get: map is NULL)");
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.contains("a"); }),
              "ehm::map::contains: invalid argument (ehm_contains: map is NULL)");
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.clear(); }),
              "ehm::map::clear: invalid argument (ehm_clear: map is NULL)");
}

TEST(ErrorMessages, FixedSizeMapOnAMovedFromHandle) {
    ehm::map<int, int> source(seeded(2));
    ehm::map<int, int> target(std::move(source));
    EXPECT_EQ(what_of<std::invalid_argument>([&] { source.try_emplace(1, 2); }),
              "ehm::map::try_emplace: invalid argument (ehm_upsert: map is NULL)");
}

TEST(ErrorMessages, TooBigNamesTheArgument) {
    ehm::map<int, int> m(seeded(3));
    const std::size_t huge = std::numeric_limits<std::size_t>::max();
    EXPECT_EQ(what_of<std::length_error>([&] { m.reserve(huge); }),
              "ehm::map::reserve: length or capacity too large (ehm_reserve: entries is " +
                  std::to_string(huge) +
                  ", beyond the largest supported capacity; the map is unchanged)");
}

TEST(ErrorMessages, BadOptionsNameTheField) {
    ehm::options opts;
    opts.delta = 2.0;
    EXPECT_EQ(what_of<std::invalid_argument>([&] { ehm::map<int, int> m(opts); }),
              "ehm::map::map: invalid argument (ehm_create: cfg->delta is 2; it must lie in "
              "(0, 1))");
}

TEST(ErrorMessages, AnIteratorUsedAfterAnInsertionSaysSo) {
    ehm::map<int, int> m(seeded(4));
    for (int i = 0; i < 10; ++i) m.put(i, i);
    auto it = m.begin();
    m.put(100, 100);
    const std::string what = what_of<std::invalid_argument>([&] { ++it; });
    EXPECT_EQ(what.rfind("ehm::map::iterator: invalid argument (ehm_next: *cursor carries "
                         "generation tag ",
                         0),
              0u)
        << what;
}

TEST(ErrorMessages, StatusesWithoutAFailingCallCarryNoDetail) {
    EXPECT_EQ(ehm_clear(nullptr), EHM_EINVAL);
    ehm_size(nullptr); // a call that did not fail clears the last error
    EXPECT_EQ(what_of<ehm::error>([] { ehm::bridge::throw_status(EHM_EVERSION, "op"); }),
              std::string("ehm::map::op: ") + ehm_strerror(EHM_EVERSION));
}

} // namespace
