// A std::pmr::memory_resource as the map's allocator: every byte comes from
// it and goes back to it, copies share it, and a resource that throws makes
// the call fail with std::bad_alloc and leaves the map as it was.
#include "cpp_util.hpp"

#include <array>
#include <string>

namespace {

using ehm_cpp_test::CountingResource;
using ehm_cpp_test::key_of;
using ehm_cpp_test::stats_of;
using ehm_cpp_test::value_of;
using StringMap = ehm::map<std::string, std::string>;

ehm::options using_resource(std::pmr::memory_resource *resource, std::size_t capacity = 0) {
    ehm::options opts;
    opts.seed = 31;
    opts.capacity = capacity;
    opts.resource = resource;
    return opts;
}

void fill(StringMap &m, std::size_t first, std::size_t count) {
    for (std::size_t i = first; i < first + count; ++i) m.put(key_of(i), value_of(i));
}

TEST(Allocator, EveryByteComesFromTheResourceAndGoesBack) {
    CountingResource resource;
    {
        StringMap m(using_resource(&resource));
        EXPECT_GT(resource.allocations(), 0u);
        fill(m, 0, 5000);
        EXPECT_EQ(stats_of(m).memory_bytes, resource.live_bytes());
        for (std::size_t i = 0; i < 5000; i += 2) m.erase(key_of(i));
        m.reserve(20000);
        EXPECT_EQ(stats_of(m).memory_bytes, resource.live_bytes());
    }
    EXPECT_EQ(resource.live_bytes(), 0u);
    EXPECT_EQ(resource.live_blocks(), 0u);
    EXPECT_EQ(resource.mismatched_frees(), 0u);
}

TEST(Allocator, CopiesShareTheResource) {
    CountingResource resource;
    {
        StringMap original(using_resource(&resource));
        fill(original, 0, 300);
        const std::size_t before = resource.live_bytes();
        StringMap copy(original);
        EXPECT_EQ(resource.live_bytes(), before + stats_of(copy).memory_bytes);
        fill(copy, 300, 300);
        EXPECT_EQ(resource.live_bytes(),
                  stats_of(original).memory_bytes + stats_of(copy).memory_bytes);
    }
    EXPECT_EQ(resource.live_bytes(), 0u);
    EXPECT_EQ(resource.mismatched_frees(), 0u);
}

TEST(Allocator, ThrowingResourceFailsCreationCleanly) {
    CountingResource resource;
    resource.fail_after(0);
    EXPECT_THROW(StringMap{using_resource(&resource)}, std::bad_alloc);
    EXPECT_GT(resource.refusals(), 0u);
    resource.never_fail();
    EXPECT_EQ(resource.live_bytes(), 0u);
}

// Puts until one needs memory the resource refuses; that put throws and
// the map keeps every earlier entry and nothing of the failed one.
TEST(Allocator, ThrowingResourceLeavesTheMapUnchanged) {
    CountingResource resource;
    StringMap m(using_resource(&resource));
    fill(m, 0, 100);
    resource.fail_after(0);
    std::size_t refused_at = 0;
    for (std::size_t i = 100; i < 100000 && refused_at == 0; ++i) {
        try {
            m.put(key_of(i), value_of(i));
        } catch (const std::bad_alloc &) {
            refused_at = i;
        }
    }
    ASSERT_NE(refused_at, 0u) << "no put needed memory";
    EXPECT_FALSE(m.contains(key_of(refused_at)));
    EXPECT_EQ(m.size(), refused_at);
    for (std::size_t i = 0; i < refused_at; ++i) ASSERT_EQ(m.get(key_of(i)), value_of(i));

    EXPECT_THROW(m.put(key_of(0), std::string(1000, 'n')), std::bad_alloc);
    EXPECT_EQ(m.get(key_of(0)), value_of(0)) << "a failed replace keeps the old value";
    const std::size_t capacity = m.capacity();
    EXPECT_THROW(m.reserve(m.size() * 4), std::bad_alloc);
    EXPECT_EQ(m.capacity(), capacity);
    EXPECT_THROW(StringMap{m}, std::bad_alloc);

    resource.never_fail();
    m.put(key_of(refused_at), value_of(refused_at));
    EXPECT_EQ(m.get(key_of(refused_at)), value_of(refused_at));
    EXPECT_EQ(stats_of(m).memory_bytes, resource.live_bytes());
}

TEST(Allocator, MonotonicBufferResource) {
    std::array<std::byte, 1 << 16> buffer;
    std::pmr::monotonic_buffer_resource arena(buffer.data(), buffer.size(),
                                              std::pmr::null_memory_resource());
    StringMap m(using_resource(&arena));
    std::size_t stored = 0;
    try {
        for (; stored < 100000; ++stored) m.put(key_of(stored), value_of(stored));
    } catch (const std::bad_alloc &) {
        // The arena is exhausted: null_memory_resource threw, the map reported it.
    }
    EXPECT_GT(stored, 0u);
    EXPECT_LT(stored, 100000u) << "a 64 KiB arena cannot hold 100000 entries";
    EXPECT_EQ(m.size(), stored);
    for (std::size_t i = 0; i < stored; ++i) ASSERT_EQ(m.get(key_of(i)), value_of(i));
}

} // namespace
