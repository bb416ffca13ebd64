// Key generation: each key is a bijective function of its index, so distinct
// indices give distinct keys, and query orders come from a seeded shuffle, so
// every run and every map sees the same sequences.
#include "keys.hpp"

#include <numeric>
#include <utility>

namespace ehm_bench {
namespace {

// A bijection of 64-bit words that scatters consecutive inputs (the SplitMix64
// output function).
uint64_t mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// A bijection of 48-bit words (odd multipliers and right xorshifts are both
// invertible modulo 2^48): the unique prefix of a text key.
uint64_t permute48(uint64_t x) {
    constexpr uint64_t kMask = (uint64_t(1) << 48) - 1;
    x = (x * 0x9e3779b97f4bULL) & kMask;
    x ^= x >> 23;
    x = (x * 0xd6e8feb86659fd93ULL) & kMask;
    return x ^ (x >> 21);
}

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr size_t kMinTextKey = 8;
constexpr size_t kMaxTextKey = 64;

// A random index below `bound` from a random word (Lemire's multiply-shift).
size_t below(uint64_t random, size_t bound) {
    return static_cast<size_t>((static_cast<unsigned __int128>(random) * bound) >> 64);
}

template <class T>
void shuffle(std::vector<T> &items, uint64_t seed) {
    for (size_t i = items.size(); i > 1; --i) {
        std::swap(items[i - 1], items[below(mix64(seed + i), i)]);
    }
}

constexpr uint64_t kHitOrderSeed = 0x68697473;   // "hits"
constexpr uint64_t kMixedOrderSeed = 0x6d697864; // "mixd"

template <class Key>
Key make_key(uint64_t index);

template <>
uint64_t make_key<uint64_t>(uint64_t index) {
    return mix64(index);
}

template <>
Key16 make_key<Key16>(uint64_t index) {
    return Key16{mix64(index), mix64(index ^ 0x5555555555555555ULL)};
}

// Indices must stay below 2^48, far beyond any size the suite runs.
template <>
std::string make_key<std::string>(uint64_t index) {
    size_t length = kMinTextKey + below(mix64(~index), kMaxTextKey - kMinTextKey + 1);
    std::string key(length, ' ');
    uint64_t prefix = permute48(index);
    for (size_t i = 0; i < kMinTextKey; ++i) {
        key[i] = kAlphabet[(prefix >> (6 * i)) & 63];
    }
    uint64_t random = 0;
    for (size_t i = kMinTextKey; i < length; ++i) {
        if ((i - kMinTextKey) % 10 == 0) {
            random = mix64(index * kMaxTextKey + i);
        }
        key[i] = kAlphabet[random & 63];
        random >>= 6;
    }
    return key;
}

} // namespace

std::vector<size_t> shuffled_indices(size_t count, uint64_t seed) {
    std::vector<size_t> order(count);
    std::iota(order.begin(), order.end(), size_t{0});
    shuffle(order, seed);
    return order;
}

template <class Key>
KeySets<Key> make_key_sets(size_t n) {
    KeySets<Key> sets;
    sets.inserted.reserve(n);
    sets.misses.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        sets.inserted.push_back(make_key<Key>(i));
        sets.misses.push_back(make_key<Key>(n + i));
    }

    std::vector<size_t> order = shuffled_indices(n, kHitOrderSeed);
    sets.hits.reserve(n);
    for (size_t index : order) {
        sets.hits.push_back(sets.inserted[index]);
        sets.hits_value_sum += value_word_of_index(index);
    }

    // Half of the hits (already in random order) and half of the misses,
    // interleaved at random: whether a lookup hits is unpredictable.
    sets.mixed_present = n / 2;
    sets.mixed.reserve(n);
    for (size_t j = 0; j < sets.mixed_present; ++j) {
        sets.mixed.push_back(sets.hits[j]);
        sets.mixed_value_sum += value_word_of_index(order[j]);
    }
    for (size_t j = sets.mixed_present; j < n; ++j) {
        sets.mixed.push_back(sets.misses[j]);
    }
    shuffle(sets.mixed, kMixedOrderSeed);
    return sets;
}

template KeySets<uint64_t> make_key_sets<uint64_t>(size_t);
template KeySets<Key16> make_key_sets<Key16>(size_t);
template KeySets<std::string> make_key_sets<std::string>(size_t);

} // namespace ehm_bench
