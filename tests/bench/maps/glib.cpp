// GLib's GHashTable, as a C program would use it: keys and values are
// pointers. 8-byte keys and values are packed into the pointer itself; larger
// ones are g_malloc'd copies the table owns and frees (g_hash_table_new_full),
// the way ehm owns its copies. Hashing is PeerHash (XXH3) on the key bytes; text
// keys are NUL-terminated copies, as GLib string keys are.
//
// GHashTable has no reserve and no way to fix its capacity, so it runs in the
// groups without `insert_reserved` and sits out the sweep. g_malloc cannot be
// redirected to a counter: its memory is the malloc figure only.
#include "../peer_hash.hpp"
#include "../registry.hpp"
#include "../workloads.hpp"

#include <glib.h>

#include <cstdint>
#include <cstring>

namespace ehm_bench {
namespace {

static_assert(sizeof(gpointer) == sizeof(uint64_t), "8-byte keys are packed into pointers");

gpointer pack(uint64_t word) {
    return reinterpret_cast<gpointer>(static_cast<uintptr_t>(word));
}
uint64_t unpack(gconstpointer pointer) {
    return reinterpret_cast<uintptr_t>(pointer);
}

// How a key of each type is stored, passed to lookups, hashed and compared.
template <class Key>
struct GlibKey;

template <>
struct GlibKey<uint64_t> {
    static guint hash(gconstpointer key) {
        uint64_t word = unpack(key);
        return static_cast<guint>(peer_hash_bytes(&word, sizeof word));
    }
    static constexpr GEqualFunc kEqual = g_direct_equal;
    static constexpr GDestroyNotify kDestroy = nullptr;
    static gpointer stored(const uint64_t &key) { return pack(key); }
    static gconstpointer query(const uint64_t &key) { return pack(key); }
};

template <>
struct GlibKey<Key16> {
    static guint hash(gconstpointer key) {
        return static_cast<guint>(peer_hash_bytes(key, sizeof(Key16)));
    }
    static gboolean equal(gconstpointer a, gconstpointer b) {
        return std::memcmp(a, b, sizeof(Key16)) == 0;
    }
    static constexpr GEqualFunc kEqual = equal;
    static constexpr GDestroyNotify kDestroy = g_free;
    static gpointer stored(const Key16 &key) { return g_memdup2(&key, sizeof key); }
    static gconstpointer query(const Key16 &key) { return &key; }
};

template <>
struct GlibKey<std::string> {
    static guint hash(gconstpointer key) {
        const char *text = static_cast<const char *>(key);
        return static_cast<guint>(peer_hash_bytes(text, std::strlen(text)));
    }
    static constexpr GEqualFunc kEqual = g_str_equal;
    static constexpr GDestroyNotify kDestroy = g_free;
    static gpointer stored(const std::string &key) { return g_strndup(key.data(), key.size()); }
    static gconstpointer query(const std::string &key) { return key.c_str(); }
};

template <class Value>
struct GlibValue;

template <>
struct GlibValue<Value8> {
    static constexpr GDestroyNotify kDestroy = nullptr;
    static gpointer stored(const Value8 &value) { return pack(value.words[0]); }
    static uint64_t first_word(gconstpointer stored) { return unpack(stored); }
};

template <>
struct GlibValue<Value64> {
    static constexpr GDestroyNotify kDestroy = g_free;
    static gpointer stored(const Value64 &value) { return g_memdup2(&value, sizeof value); }
    static uint64_t first_word(gconstpointer stored) {
        uint64_t word;
        std::memcpy(&word, stored, sizeof word);
        return word;
    }
};

template <class W>
class Glib {
public:
    using Workload = W;
    using Key = typename W::Key;
    using Value = typename W::Value;
    using Keys = GlibKey<Key>;
    using Values = GlibValue<Value>;
    static constexpr const char *kId = "glib";
    static constexpr bool kHasReserve = false;
    static constexpr bool kCountsRequested = false;
    static constexpr bool kIsEhm = false;

    explicit Glib(const MapOptions &)
        : table_(
              g_hash_table_new_full(Keys::hash, Keys::kEqual, Keys::kDestroy, Values::kDestroy)) {}
    ~Glib() { g_hash_table_destroy(table_); }
    Glib(const Glib &) = delete;
    Glib &operator=(const Glib &) = delete;

    const char *error() const { return nullptr; } // g_malloc aborts on failure

    bool insert(const Key &key, const Value &value) {
        return g_hash_table_insert(table_, Keys::stored(key), Values::stored(value)) != FALSE;
    }

    bool find(const Key &key, uint64_t *first_word) const {
        gpointer value;
        if (!g_hash_table_lookup_extended(table_, Keys::query(key), nullptr, &value)) {
            return false;
        }
        *first_word = Values::first_word(value);
        return true;
    }

    bool erase(const Key &key) { return g_hash_table_remove(table_, Keys::query(key)) != FALSE; }

    size_t size() const { return g_hash_table_size(table_); }
    size_t slots() const { return 0; }

    uint64_t sum_values(size_t *count) const {
        uint64_t sum = 0;
        GHashTableIter it;
        gpointer value;
        g_hash_table_iter_init(&it, table_);
        while (g_hash_table_iter_next(&it, nullptr, &value)) {
            sum += Values::first_word(value);
            ++*count;
        }
        return sum;
    }

    size_t key_heap_bytes() const { return 0; }

private:
    GHashTable *table_;
};

} // namespace

MapRegistration glib_registration() {
    return {Glib<U64V8>::kId, &add_group<Glib>, nullptr};
}

} // namespace ehm_bench
