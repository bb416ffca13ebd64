// EHM_FLAG_NO_HUGE_PAGES and the huge pages of large tables: the flag is
// accepted and unknown bits are still refused; memory_bytes stays the exact
// sum of what the map asked the C library for (a large table rounded up to
// whole 2 MiB pages unless the flag says no); a caller's allocator sees the
// same calls with and without the flag; and on Linux the kernel's own record
// (/proc/self/smaps) shows the table advised for huge pages exactly when the
// flag is clear, after a clone and a rebuild too.
#include "capi_util.hpp"
#include "smaps.hpp"

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace {

using namespace ehmtest;

#if defined(__linux__) && defined(MADV_HUGEPAGE)
constexpr bool kAdvises = true;
#else
constexpr bool kAdvises = false;
#endif

constexpr uint64_t kHugePage = uint64_t{2} << 20;
constexpr uint64_t kMinHugeBlock = uint64_t{4} << 20;

// What the default allocator is asked for, and counts, to hold a block of
// `bytes` in a map without EHM_FLAG_NO_HUGE_PAGES.
uint64_t held_for(uint64_t bytes) {
    if (!kAdvises || bytes < kMinHugeBlock) return bytes;
    return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

// Entries of a fixed 8-byte-key, 8-byte-value map whose table is over 4 MiB,
// and of a variable-length one (8-byte slots) whose table is too.
constexpr uint64_t kLargeFixed = 300000;
constexpr uint64_t kLargeVariable = 600000;

ehm_config u64_config(uint64_t capacity, uint32_t flags = 0) {
    ehm_config cfg = fixed_size_config(8, 8);
    cfg.capacity = capacity;
    cfg.flags = flags;
    return cfg;
}

int put_u64(ehm_map *map, uint64_t key, uint64_t value) {
    return ehm_put(map, &key, sizeof key, &value, sizeof value);
}

// ---- The flag ---------------------------------------------------------------

TEST(HugePagesFlag, IsAccepted) {
    for (uint32_t flags : {EHM_FLAG_NO_HUGE_PAGES, EHM_FLAG_NO_HUGE_PAGES | EHM_FLAG_FIXED_SEED}) {
        SCOPED_TRACE(flags);
        ehm_config cfg = default_config();
        cfg.flags = flags;
        MapPtr map = make_map(cfg);
        ASSERT_NE(map, nullptr);
        const Contents model = fill(map.get(), 2000);
        EXPECT_TRUE(holds_exactly(map.get(), model));
    }
}

TEST(HugePagesFlag, IsAcceptedWithACallersAllocator) {
    TestAllocator alloc;
    ehm_config cfg = default_config(alloc.get());
    cfg.flags = EHM_FLAG_NO_HUGE_PAGES;
    MapPtr map = make_map(cfg);
    ASSERT_NE(map, nullptr);
    EXPECT_EQ(put(map.get(), "k", "v"), EHM_OK);
}

TEST(HugePagesFlag, UnknownBitsAreRefusedNamingBothKnownBits) {
    for (uint32_t flags : {4u, EHM_FLAG_NO_HUGE_PAGES | 8u, 0x80000000u}) {
        SCOPED_TRACE(flags);
        ehm_config cfg = default_config();
        cfg.flags = flags;
        ehm_map *out = sentinel_map();
        EXPECT_EQ(ehm_create(&out, &cfg), EHM_EINVAL);
        EXPECT_EQ(out, nullptr);
        const std::string message = ehm_last_error();
        EXPECT_NE(message.find("EHM_FLAG_FIXED_SEED (0x1)"), std::string::npos) << message;
        EXPECT_NE(message.find("EHM_FLAG_NO_HUGE_PAGES (0x2)"), std::string::npos) << message;
    }
}

// ---- memory_bytes -----------------------------------------------------------

// One sequence of calls run on three maps made from the same config: one on a
// counting allocator, which sees exactly the blocks the map needs (its table
// is the latest request after ehm_create or a growing ehm_reserve), one on the
// default allocator, one on the default allocator with EHM_FLAG_NO_HUGE_PAGES.
class ThreeMaps {
public:
    explicit ThreeMaps(const ehm_config &cfg) {
        ehm_config counted_cfg = cfg;
        counted_cfg.allocator = alloc_.get();
        ehm_config small_cfg = cfg;
        small_cfg.flags |= EHM_FLAG_NO_HUGE_PAGES;
        counted_ = make_map(counted_cfg);
        table_ = alloc_.last_request();
        huge_ = make_map(cfg);
        small_ = make_map(small_cfg);
    }

    bool made() const { return counted_ && huge_ && small_; }
    uint64_t table() const { return table_; }

    // Runs `call` on each map; a call on the counting map that allocates its
    // latest block last may set `table_grew` to record the new table.
    template <class Call>
    void each(Call call, bool table_grew = false) {
        call(counted_.get());
        if (table_grew) table_ = alloc_.last_request();
        call(huge_.get());
        call(small_.get());
    }

    // memory_bytes of the counting map is its allocator's count; the map
    // without the flag holds that much plus its table's rounding, and the map
    // with the flag exactly that much.
    ::testing::AssertionResult exact() const {
        const uint64_t counted = stats_of(counted_.get()).memory_bytes;
        const uint64_t huge = stats_of(huge_.get()).memory_bytes;
        const uint64_t small = stats_of(small_.get()).memory_bytes;
        if (counted != alloc_.live_bytes())
            return ::testing::AssertionFailure() << "counted map: memory_bytes " << counted
                                                 << ", allocator " << alloc_.live_bytes();
        if (small != counted)
            return ::testing::AssertionFailure()
                   << "with the flag: " << small << ", expected " << counted;
        const uint64_t expected = counted - table_ + held_for(table_);
        if (huge != expected)
            return ::testing::AssertionFailure() << "without the flag: " << huge << ", expected "
                                                 << expected << " (table " << table_ << ")";
        return ::testing::AssertionSuccess();
    }

    // Clones of the three maps keep their sources' memory_bytes.
    ::testing::AssertionResult clones_exact() const {
        for (const MapPtr *source : {&counted_, &huge_, &small_}) {
            MapPtr copy = clone_map(source->get());
            if (!copy) return ::testing::AssertionFailure() << "ehm_clone failed";
            const uint64_t mine = stats_of(copy.get()).memory_bytes;
            const uint64_t theirs = stats_of(source->get()).memory_bytes;
            if (mine != theirs)
                return ::testing::AssertionFailure()
                       << "clone holds " << mine << ", its source " << theirs;
        }
        return ::testing::AssertionSuccess();
    }

private:
    TestAllocator alloc_; // outlives counted_
    MapPtr counted_, huge_, small_;
    uint64_t table_ = 0;
};

TEST(HugePagesMemory, SmallTableIsNotRounded) {
    ThreeMaps maps(u64_config(1000));
    ASSERT_TRUE(maps.made());
    ASSERT_LT(maps.table(), kMinHugeBlock);
    EXPECT_TRUE(maps.exact());
}

TEST(HugePagesMemory, LargeTableCountsItsRoundedSize) {
    ThreeMaps maps(u64_config(kLargeFixed));
    ASSERT_TRUE(maps.made());
    ASSERT_GE(maps.table(), kMinHugeBlock);
    EXPECT_TRUE(maps.exact());
}

// The rounding is the table's alone: entries, removals, clear, clones and
// rebuilds keep every figure exact, for inline entries and for nodes (which
// stay unrounded).
class HugePagesLifecycle : public ::testing::TestWithParam<bool> {
protected:
    bool fixed() const { return GetParam(); }
    ehm_config config() const {
        if (fixed()) return u64_config(kLargeFixed);
        ehm_config cfg = default_config();
        cfg.capacity = kLargeVariable;
        return cfg;
    }
    void put_keys(ThreeMaps &maps, uint64_t first, uint64_t count) {
        maps.each([&](ehm_map *map) {
            for (uint64_t i = first; i < first + count; ++i) {
                const int rc = fixed() ? put_u64(map, i, i * 3) : put(map, key_of(i), value_of(i));
                ASSERT_EQ(rc, EHM_OK);
            }
        });
    }
    void erase_keys(ThreeMaps &maps, uint64_t first, uint64_t count) {
        maps.each([&](ehm_map *map) {
            for (uint64_t i = first; i < first + count; ++i) {
                const int rc = fixed() ? ehm_remove(map, &i, sizeof i) : erase(map, key_of(i));
                ASSERT_EQ(rc, EHM_OK);
            }
        });
    }
};

TEST_P(HugePagesLifecycle, MemoryBytesStaysExact) {
    ThreeMaps maps(config());
    ASSERT_TRUE(maps.made());
    ASSERT_GE(maps.table(), kMinHugeBlock);
    EXPECT_TRUE(maps.exact());
    ASSERT_NO_FATAL_FAILURE(put_keys(maps, 0, 20000));
    EXPECT_TRUE(maps.exact()) << "after puts";
    ASSERT_NO_FATAL_FAILURE(erase_keys(maps, 0, 7000));
    EXPECT_TRUE(maps.exact()) << "after removals";
    EXPECT_TRUE(maps.clones_exact());
    const uint64_t before = maps.table();
    maps.each([&](ehm_map *map) { ASSERT_EQ(ehm_reserve(map, 2 * config().capacity), EHM_OK); },
              true);
    ASSERT_GT(maps.table(), before);
    EXPECT_TRUE(maps.exact()) << "after a growing reserve";
    EXPECT_TRUE(maps.clones_exact()) << "after a growing reserve";
    maps.each([&](ehm_map *map) { ASSERT_EQ(ehm_clear(map), EHM_OK); });
    EXPECT_TRUE(maps.exact()) << "after clear";
    ASSERT_NO_FATAL_FAILURE(put_keys(maps, 100, 1000));
    EXPECT_TRUE(maps.exact()) << "after puts into the cleared map";
}

INSTANTIATE_TEST_SUITE_P(HugePages, HugePagesLifecycle, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool> &info) {
                             return info.param ? "Inline" : "Nodes";
                         });

// A caller's allocator is asked for the table as the map needs it, with the
// flag or without: never rounded, and every free matches its alloc.
TEST(HugePagesMemory, CallersAllocatorSeesTheSameCalls) {
    uint64_t table[2] = {}, live[2] = {};
    for (int with_flag = 0; with_flag < 2; ++with_flag) {
        TestAllocator alloc;
        ehm_config cfg = u64_config(kLargeFixed, with_flag ? EHM_FLAG_NO_HUGE_PAGES : 0);
        cfg.allocator = alloc.get();
        MapPtr map = make_map(cfg);
        ASSERT_NE(map, nullptr);
        table[with_flag] = alloc.last_request();
        live[with_flag] = alloc.live_bytes();
        EXPECT_EQ(stats_of(map.get()).memory_bytes, alloc.live_bytes());
        ASSERT_EQ(put_u64(map.get(), 1, 2), EHM_OK);
        ASSERT_EQ(ehm_reserve(map.get(), 2 * kLargeFixed), EHM_OK);
        EXPECT_EQ(stats_of(map.get()).memory_bytes, alloc.live_bytes());
        MapPtr copy = clone_map(map.get());
        ASSERT_NE(copy, nullptr);
        copy.reset();
        map.reset();
        EXPECT_EQ(alloc.live_bytes(), 0u);
        EXPECT_EQ(alloc.live_blocks(), 0u);
        EXPECT_EQ(alloc.bad_frees(), 0u);
        EXPECT_EQ(alloc.bad_aligns(), 0u);
    }
    EXPECT_EQ(table[0], table[1]);
    EXPECT_EQ(live[0], live[1]);
    EXPECT_GE(table[0], kMinHugeBlock);
}

// ---- The kernel's view ------------------------------------------------------

#if defined(__linux__) && defined(MADV_HUGEPAGE)

// Why huge pages cannot be observed here, or "" when they can.
std::string why_no_huge_pages() {
    std::ifstream enabled("/sys/kernel/mm/transparent_hugepage/enabled");
    std::string mode;
    if (!std::getline(enabled, mode)) return "the kernel has no transparent huge pages";
    if (mode.find("[never]") != std::string::npos) return "transparent huge pages are [never]";
    // The library ignores a failed advice; so does this test, but it must
    // then not expect the advice to show.
    const size_t bytes = size_t{4} << 20;
    void *probe = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (probe == MAP_FAILED) return "mmap failed";
    const int advised = madvise(probe, bytes, MADV_HUGEPAGE);
    munmap(probe, bytes);
    return advised == 0 ? "" : "madvise(MADV_HUGEPAGE) fails in this process";
}

// The VmFlags of the mapping that contains `address`, from /proc/self/smaps.
std::string vm_flags_at(const void *address) {
    std::string flags;
    if (!ehm_test::smaps_field(address, "VmFlags", flags))
        ADD_FAILURE() << "no mapping in /proc/self/smaps contains " << address;
    return flags;
}

bool advised_for_huge_pages(const void *address) {
    std::istringstream flags(vm_flags_at(address));
    std::string flag;
    while (flags >> flag)
        if (flag == "hg") return true;
    return false;
}

// An address inside the table block of a fixed-size map: the value of a
// present key, which ehm_get returns in place.
const void *inside_table(const ehm_map *map) {
    const uint64_t key = 1;
    const void *value = nullptr;
    EXPECT_EQ(ehm_get(map, &key, sizeof key, &value, nullptr), EHM_OK);
    return value;
}

// Tables of 32 MiB and more: glibc's malloc serves requests that large by a
// fresh mmap of their own, never from memory an earlier block of this
// process left advised, so each table's mapping says what its own map asked.
constexpr uint64_t kSmapsEntries = 2000000;

void expect_advice(uint32_t flags, bool advised) {
    MapPtr map = make_map(u64_config(kSmapsEntries, flags));
    ASSERT_NE(map, nullptr);
    ASSERT_GE(stats_of(map.get()).memory_bytes, uint64_t{32} << 20);
    ASSERT_EQ(put_u64(map.get(), 1, 2), EHM_OK);
    EXPECT_EQ(advised_for_huge_pages(inside_table(map.get())), advised) << "new map";
    MapPtr copy = clone_map(map.get());
    ASSERT_NE(copy, nullptr);
    EXPECT_EQ(advised_for_huge_pages(inside_table(copy.get())), advised) << "clone";
    ASSERT_EQ(ehm_reserve(map.get(), 2 * kSmapsEntries), EHM_OK);
    EXPECT_EQ(advised_for_huge_pages(inside_table(map.get())), advised) << "after a rebuild";
}

TEST(HugePagesSmaps, TableIsAdvisedWithoutTheFlag) {
    const std::string why_not = why_no_huge_pages();
    if (!why_not.empty()) GTEST_SKIP() << why_not;
    expect_advice(0, true);
}

TEST(HugePagesSmaps, TableIsNotAdvisedWithTheFlag) {
    const std::string why_not = why_no_huge_pages();
    if (!why_not.empty()) GTEST_SKIP() << why_not;
    expect_advice(EHM_FLAG_NO_HUGE_PAGES, false);
}

#endif

} // namespace
