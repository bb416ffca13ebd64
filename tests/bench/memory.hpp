// Byte accounting for the measured tables, two ways.
//
// Requested bytes: every map except GLib allocates through a counter here
// (CountingAllocator for the C++ peers, counting_ehm_allocator() or
// counting_resource() for ehm), so
// the bytes a table holds are the counter's growth while it was built. Keys a
// table owns outside its allocator (the heap buffers of long std::string keys)
// are added by the adapters that have them.
//
// Malloc bytes: the growth of glibc's in-use heap (mallinfo2) while a table is
// built, for every map. It includes malloc's per-block overhead and is the only
// count available for GLib, whose g_malloc cannot be redirected.
//
// Single-threaded: the suite builds and measures one table at a time.
#ifndef EHM_BENCH_MEMORY_HPP
#define EHM_BENCH_MEMORY_HPP

#include <ehm/ehm.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <memory_resource>
#include <string>

namespace ehm_bench {

// Bytes handed out by the counting allocators and not yet returned.
inline uint64_t g_requested_bytes = 0;

// A std-compatible allocator that counts into g_requested_bytes.
template <class T>
class CountingAllocator {
public:
    using value_type = T;

    CountingAllocator() = default;
    template <class U>
    CountingAllocator(const CountingAllocator<U> &) noexcept {}

    T *allocate(size_t count) {
        T *block = std::allocator<T>().allocate(count);
        g_requested_bytes += count * sizeof(T);
        return block;
    }

    void deallocate(T *block, size_t count) noexcept {
        g_requested_bytes -= count * sizeof(T);
        std::allocator<T>().deallocate(block, count);
    }

    template <class U>
    friend bool operator==(const CountingAllocator &, const CountingAllocator<U> &) {
        return true;
    }
    template <class U>
    friend bool operator!=(const CountingAllocator &, const CountingAllocator<U> &) {
        return false;
    }
};

// An ehm_allocator that counts into g_requested_bytes, and the same as a
// memory resource (what ehm's C++ wrapper takes).
const ehm_allocator *counting_ehm_allocator();
std::pmr::memory_resource *counting_resource();

// glibc's bytes in use: arena chunks plus mmapped blocks.
uint64_t malloc_in_use();

// What a table holds, measured around its construction.
struct Footprint {
    uint64_t requested = 0; // through the counters (0 when the map cannot be counted)
    uint64_t malloc = 0;    // growth of malloc_in_use()
};

// Starts measuring at construction; finish() returns what was added since.
class FootprintMeter {
public:
    FootprintMeter() : requested_(g_requested_bytes), malloc_(malloc_in_use()) {}
    Footprint finish() const {
        return Footprint{g_requested_bytes - requested_, malloc_in_use() - malloc_};
    }

private:
    uint64_t requested_;
    uint64_t malloc_;
};

// Heap bytes a std::string owns outside itself: 0 when its characters sit in
// the object (the short-string buffer), else its buffer of capacity + 1 (what
// libstdc++ and libc++ allocate).
inline size_t string_heap_bytes(const std::string &s) {
    const char *object = reinterpret_cast<const char *>(&s);
    bool in_object = s.data() >= object && s.data() < object + sizeof s;
    return in_object ? 0 : s.capacity() + 1;
}

} // namespace ehm_bench

#endif
