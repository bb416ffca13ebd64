// Keys, values and the key sets every map in a run is measured with.
//
// Fairness rests on this file: for a given key kind and size n, every map
// inserts the same keys in the same order and looks up the same queries in the
// same order. Keys are generated from their index by bijections, so the keys
// of one set are distinct and the absent keys (indices n .. 2n-1) are disjoint
// from the present ones without any deduplication pass.
#ifndef EHM_BENCH_KEYS_HPP
#define EHM_BENCH_KEYS_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace ehm_bench {

// A 16-byte key (a UUID, say). Peers hash it with their own framework where
// they have one (see the boost and absl adapters) and with PeerHash otherwise.
struct Key16 {
    uint64_t lo;
    uint64_t hi;
    friend bool operator==(const Key16 &a, const Key16 &b) { return a.lo == b.lo && a.hi == b.hi; }
    friend bool operator!=(const Key16 &a, const Key16 &b) { return !(a == b); }
};

// Values: an 8-byte word, or 64 bytes. Lookups read the first word, as a
// caller reading the value would, so that a lookup cannot skip the value.
struct Value8 {
    uint64_t words[1];
};
struct Value64 {
    uint64_t words[8];
};

template <class Value>
Value value_for(size_t index) {
    Value v;
    for (size_t i = 0; i < sizeof v.words / sizeof v.words[0]; ++i) {
        v.words[i] = index + 1 + i;
    }
    return v;
}

template <class Value>
uint64_t first_word(const Value &v) {
    return v.words[0];
}

// The bytes of a key, as the C ABI takes them.
struct Blob {
    const void *data;
    size_t size;
};
inline Blob blob_of(const uint64_t &key) {
    return {&key, sizeof key};
}
inline Blob blob_of(const Key16 &key) {
    return {&key, sizeof key};
}
inline Blob blob_of(const std::string &key) {
    return {key.data(), key.size()};
}

// 0 for variable-length keys, else the length of every key.
template <class Key>
constexpr uint32_t fixed_key_size() {
    return 0;
}
template <>
constexpr uint32_t fixed_key_size<uint64_t>() {
    return sizeof(uint64_t);
}
template <>
constexpr uint32_t fixed_key_size<Key16>() {
    return sizeof(Key16);
}

// The key sets of one size. `value_sum` fields are the sums of first_word over
// the present keys of a query set; lookups check their sums against them.
template <class Key>
struct KeySets {
    std::vector<Key> inserted; // keys 0 .. n-1, in insertion order
    std::vector<Key> hits;     // the same keys, shuffled: random access order
    std::vector<Key> misses;   // keys n .. 2n-1: absent, and also the churn's newcomers
    std::vector<Key> mixed;    // n/2 of the hits and n/2 of the misses, shuffled together
    uint64_t hits_value_sum = 0;
    size_t mixed_present = 0;
    uint64_t mixed_value_sum = 0;
};

// The value stored with inserted[i] is value_for<Value>(i); its first word is
// i + 1 for every value type.
inline uint64_t value_word_of_index(size_t index) {
    return index + 1;
}

// 0 .. count-1 in a random order fixed by `seed`.
std::vector<size_t> shuffled_indices(size_t count, uint64_t seed);

// The key sets of size n for u64, Key16 or std::string keys. u64 and Key16
// keys are random words; text keys are 8 to 64 printable bytes, uniformly
// distributed in length, with a unique 8-byte prefix.
template <class Key>
KeySets<Key> make_key_sets(size_t n);

} // namespace ehm_bench

#endif
