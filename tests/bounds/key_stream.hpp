// Reproducible 64-bit streams for keys and probe sequences.
//
// splitmix64: the output is a bijection of a counter that steps by an odd
// constant, so one stream yields 2^64 distinct values before it repeats. The
// measurements rely on that: keys drawn later from the stream that produced
// the inserted keys are guaranteed absent.
#pragma once

#include <cstdint>

namespace bounds {

inline uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

class KeyStream {
public:
    explicit KeyStream(uint64_t seed) : state_(seed) {}
    uint64_t next() { return mix64(state_ += 0x9E3779B97F4A7C15ull); }

private:
    uint64_t state_;
};

} // namespace bounds
