// The map's allocator and its exact byte count. Every byte a map holds,
// including the map object itself, passes through here, so
// ehm_stats.memory_bytes is the sum of the sizes currently held.
#pragma once

#include <ehm/ehm.h>

#include <cstddef>
#include <cstdint>

namespace ehm::detail {

class Memory {
public:
    explicit Memory(const ehm_allocator &allocator) : allocator_(allocator) {}

    static ehm_allocator system_allocator();

    void *allocate(size_t size, size_t align) {
        void *p = allocator_.alloc(allocator_.ctx, size, align);
        if (p != nullptr) held_ += size;
        return p;
    }
    void release(void *p, size_t size, size_t align) {
        if (p == nullptr) return;
        allocator_.free(allocator_.ctx, p, size, align);
        held_ -= size;
    }

    uint64_t held() const { return held_; }
    const ehm_allocator &allocator() const { return allocator_; }

private:
    ehm_allocator allocator_;
    uint64_t held_ = 0;
};

} // namespace ehm::detail
