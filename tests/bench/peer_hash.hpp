// The hash given to the peers that have no good default: std::unordered_map,
// tsl::robin_map and GLib. std::hash<uint64_t> is the identity and GLib's
// g_int64_hash folds the halves together, which would flatter sequential keys
// and punish random ones in ways unrelated to the tables; XXH3 (the hash ehm
// uses internally) on the key's bytes gives all three the same well-mixed
// input. boost and absl keep their own default hashes, as their users would.
#ifndef EHM_BENCH_PEER_HASH_HPP
#define EHM_BENCH_PEER_HASH_HPP

#include "keys.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ehm_bench {

inline uint64_t peer_hash_bytes(const void *data, size_t size) {
    return XXH3_64bits(data, size);
}

struct PeerHash {
    size_t operator()(uint64_t key) const noexcept { return peer_hash_bytes(&key, sizeof key); }
    size_t operator()(const Key16 &key) const noexcept { return peer_hash_bytes(&key, sizeof key); }
    size_t operator()(const std::string &key) const noexcept {
        return peer_hash_bytes(key.data(), key.size());
    }
};

} // namespace ehm_bench

#endif
