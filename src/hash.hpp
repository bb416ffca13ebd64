// Hashing: XXH3 with the map's seed, compiled into the caller (XXH_INLINE_ALL),
// so nothing of xxHash is linked or exported. One 64-bit hash per key feeds
// every decision: the tag byte, the overflow class, the level-mask sub-class
// and each level's probe sequence, each from its own bits.
#pragma once

#include <cstddef>
#include <cstdint>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ehm::detail {

inline uint64_t hash_bytes(const void *data, size_t len, uint64_t seed) {
    return XXH3_64bits_withSeed(data, len, seed);
}

// XXH3 with one map's seed, its seed-dependent constants for 4- to 16-byte
// inputs computed once when the map is made, so that hashing a fixed-size key
// costs a few instructions. The result is bit-identical to
// XXH3_64bits_withSeed: the same steps of xxHash's own short-input code, with
// the seed's part hoisted (tests/core/test_hash.cpp checks every length).
class SeededHash {
public:
    SeededHash() : SeededHash(0) {}
    explicit SeededHash(uint64_t seed)
        : seed_(seed),
          flip_4to8_((XXH_readLE64(XXH3_kSecret + 8) ^ XXH_readLE64(XXH3_kSecret + 16)) -
                     (seed ^ (uint64_t{XXH_swap32(static_cast<uint32_t>(seed))} << 32))),
          flip_9to16_lo_((XXH_readLE64(XXH3_kSecret + 24) ^ XXH_readLE64(XXH3_kSecret + 32)) +
                         seed),
          flip_9to16_hi_((XXH_readLE64(XXH3_kSecret + 40) ^ XXH_readLE64(XXH3_kSecret + 48)) -
                         seed) {}

    uint64_t seed() const { return seed_; }

    // Any length.
    uint64_t operator()(const void *data, size_t len) const { return hash_bytes(data, len, seed_); }

    // A length known at compile time.
    template <size_t N>
    uint64_t fixed(const void *data) const {
        const auto *in = static_cast<const uint8_t *>(data);
        if constexpr (N >= 4 && N <= 8) {
            const uint64_t joined = XXH_readLE32(in + N - 4) + (uint64_t{XXH_readLE32(in)} << 32);
            return XXH3_rrmxmx(joined ^ flip_4to8_, N);
        } else if constexpr (N >= 9 && N <= 16) {
            const uint64_t lo = XXH_readLE64(in) ^ flip_9to16_lo_;
            const uint64_t hi = XXH_readLE64(in + N - 8) ^ flip_9to16_hi_;
            return XXH3_avalanche(N + XXH_swap64(lo) + hi + XXH3_mul128_fold64(lo, hi));
        } else {
            return hash_bytes(data, N, seed_);
        }
    }

private:
    uint64_t seed_;
    uint64_t flip_4to8_;
    uint64_t flip_9to16_lo_;
    uint64_t flip_9to16_hi_;
};

// Tags 0 and 1 mark empty and removed slots; live tags are 2..255.
inline uint8_t tag_of(uint64_t hash) {
    uint8_t t = static_cast<uint8_t>(hash);
    return t < 2 ? static_cast<uint8_t>(t + 2) : t;
}
// One of the 8 overflow bits of a group.
inline uint8_t overflow_bit_of(uint64_t hash) {
    return static_cast<uint8_t>(1u << ((hash >> 8) & 7));
}
// The level mask of a home group has one byte per sub-class.
inline constexpr unsigned kSubclasses = 48;
// The key's sub-class, from 16 bits of its own.
inline unsigned subclass_of(uint64_t hash) {
    return static_cast<unsigned>((((hash >> 11) & 0xFFFF) * kSubclasses) >> 16);
}

// Independent-looking hash for level i > 0; level 0 uses the hash itself.
inline uint64_t level_hash(uint64_t hash, unsigned level) {
    if (level == 0) return hash;
    uint64_t x = (hash ^ (level * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
    return x ^ (x >> 31);
}

// floor(x * n / 2^64): maps a uniform 64-bit value onto [0, n).
inline uint64_t reduce(uint64_t x, uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(x) * n) >> 64);
}

inline uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDull;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ull;
    return x ^ (x >> 33);
}

} // namespace ehm::detail
