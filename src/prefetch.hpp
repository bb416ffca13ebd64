// A prefetch the compiler keeps.
//
// GCC deletes __builtin_prefetch when the address comes from a load used by
// nothing but the prefetch, which is exactly the look-ahead case (the address
// of a group read from a hash computed for later). An asm statement with a
// memory operand is never deleted. tests/symbols/check_prefetch.py checks the
// built library still holds the prefetches this project relies on.
#pragma once

namespace ehm::detail {

inline void prefetch(const void *address) {
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char *>(address)));
#else
    __builtin_prefetch(address);
#endif
}

} // namespace ehm::detail
