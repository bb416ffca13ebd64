// The map's allocator and its exact byte count. Every byte a map holds,
// including the map object itself, passes through here, so
// ehm_stats.memory_bytes is the sum of the sizes currently held.
//
// The default allocator (the C library's malloc and free) comes in two
// variants that differ only in the policy their ctx names: with transparent
// huge pages for large blocks (huge_pages.hpp) or without
// (EHM_FLAG_NO_HUGE_PAGES). Memory recognises the first and asks it for large
// blocks rounded up to whole huge pages; what it counts is what it asked for,
// rounding included. An allocator from the caller is never second-guessed: it
// receives the sizes and alignments the map needs, unchanged.
//
// Invariant: release() passes the allocator the size and alignment that
// allocate() passed for the same block, and subtracts what allocate() added.
// The policy is part of the allocator, so a clone, which is made from its
// source's allocator, keeps its source's choice, and a rebuild, which
// allocates through the same Memory, keeps the map's.
#pragma once

#include "huge_pages.hpp"

#include <ehm/ehm.h>

#include <cstddef>
#include <cstdint>

namespace ehm::detail {

class Memory {
public:
    explicit Memory(const ehm_allocator &allocator)
        : allocator_(allocator), huge_pages_(wants_huge_pages(allocator)) {}

    // The C library's allocator; with `huge_pages` (the default, as
    // ehm_create uses it without EHM_FLAG_NO_HUGE_PAGES), blocks of
    // kHugePageMinBlock bytes and more go on transparent huge pages.
    static ehm_allocator system_allocator(bool huge_pages = true);

    void *allocate(size_t size, size_t align) {
        const BlockRequest request = request_for(size, align);
        void *p = allocator_.alloc(allocator_.ctx, request.size, request.align);
        if (p == nullptr) return nullptr;
        held_ += request.size;
        if (request.huge) advise_huge_pages(p, request.size);
        return p;
    }
    void release(void *p, size_t size, size_t align) {
        if (p == nullptr) return;
        const BlockRequest request = request_for(size, align);
        allocator_.free(allocator_.ctx, p, request.size, request.align);
        held_ -= request.size;
    }

    uint64_t held() const { return held_; }
    const ehm_allocator &allocator() const { return allocator_; }

private:
    // Whether `allocator` is the default one with huge pages.
    static bool wants_huge_pages(const ehm_allocator &allocator);

    // What the allocator is asked for to hold a block of `size` bytes.
    BlockRequest request_for(size_t size, size_t align) const {
        if (huge_pages_) return huge_page_request(size, align);
        return BlockRequest{size, align, false};
    }

    ehm_allocator allocator_;
    bool huge_pages_;
    uint64_t held_ = 0;
};

} // namespace ehm::detail
