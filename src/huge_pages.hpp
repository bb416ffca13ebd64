// Transparent huge pages for the large blocks of the default allocator.
//
// What. A block of kHugePageMinBlock bytes or more from the C library's
// allocator is requested 2 MiB aligned, its size rounded up to whole 2 MiB
// pages, and then advised with madvise(MADV_HUGEPAGE). In practice that block
// is the table of a map of a few hundred thousand entries or more.
//
// Why. Lookups in a large table land on random pages: with 4 KiB pages nearly
// every one misses the TLB as well as the caches, and the page walk adds to
// the cache miss. A 2 MiB page covers what 512 small ones do. Linux hands out
// huge pages only to ranges that ask for them when its THP mode is "madvise",
// a common default, so without the advice a table never gets them. The
// alignment and the rounding put every byte of the block, its tail included,
// inside whole huge pages. Below 4 MiB the rounding could cost more than half
// the block again and the TLB reach of small pages is less of a limit, so
// small blocks are left as they are.
//
// Invariant. huge_page_request is a pure function of the size and alignment
// of the block asked for: releasing a block computes the same request as
// allocating it did, so the allocator's free receives the size and alignment
// its alloc was given, and Memory counts the rounded size both ways. Advice
// that fails (or a platform without it) changes the page size, never the
// memory: the block is used as it is.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ehm::detail {

#if defined(__linux__) && defined(MADV_HUGEPAGE)
inline constexpr bool kHugePagesSupported = true;
#else
inline constexpr bool kHugePagesSupported = false;
#endif

inline constexpr size_t kHugePageSize = size_t{2} << 20;
inline constexpr size_t kHugePageMinBlock = size_t{4} << 20;

// What the allocator is asked for; `huge` when the block is to be advised.
struct BlockRequest {
    size_t size;
    size_t align;
    bool huge;
};

// The request for a block of `size` bytes aligned to `align` that may go on
// huge pages. A size so close to SIZE_MAX that rounding would wrap is asked
// for as it is (the allocator refuses it anyway).
constexpr BlockRequest huge_page_request(size_t size, size_t align) {
    if (!kHugePagesSupported || size < kHugePageMinBlock || align > kHugePageSize ||
        size > SIZE_MAX - kHugePageSize)
        return BlockRequest{size, align, false};
    const size_t rounded = (size + kHugePageSize - 1) & ~(kHugePageSize - 1);
    return BlockRequest{rounded, kHugePageSize, true};
}

// Asks the kernel to back [block, block + size) with huge pages. Failure is
// not reported: the block is good either way.
inline void advise_huge_pages(void *block, size_t size) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(block, size, MADV_HUGEPAGE);
#else
    (void)block;
    (void)size;
#endif
}

} // namespace ehm::detail
