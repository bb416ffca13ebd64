// The counting ehm_allocator and memory resource, and glibc's heap figure.
#include "memory.hpp"

#include <malloc.h>

#include <new>

namespace ehm_bench {
namespace {

void *counted_alloc(void *, size_t size, size_t align) {
    void *block = ::operator new(size, std::align_val_t(align), std::nothrow);
    if (block != nullptr) {
        g_requested_bytes += size;
    }
    return block;
}

void counted_free(void *, void *block, size_t size, size_t align) {
    g_requested_bytes -= size;
    ::operator delete(block, std::align_val_t(align));
}

constexpr ehm_allocator kCountingAllocator = {counted_alloc, counted_free, nullptr};

class CountingResource final : public std::pmr::memory_resource {
    void *do_allocate(size_t size, size_t align) override {
        void *block = counted_alloc(nullptr, size, align);
        if (block == nullptr) {
            throw std::bad_alloc();
        }
        return block;
    }
    void do_deallocate(void *block, size_t size, size_t align) override {
        counted_free(nullptr, block, size, align);
    }
    bool do_is_equal(const std::pmr::memory_resource &other) const noexcept override {
        return this == &other;
    }
};

} // namespace

const ehm_allocator *counting_ehm_allocator() {
    return &kCountingAllocator;
}

std::pmr::memory_resource *counting_resource() {
    static CountingResource resource;
    return &resource;
}

uint64_t malloc_in_use() {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

} // namespace ehm_bench
