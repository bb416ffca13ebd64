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
