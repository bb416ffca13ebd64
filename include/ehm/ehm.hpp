/*
 * ehm.hpp: ehm::map<K, V>, a typed, header-only C++17 map over the C ABI.
 *
 * The class owns one `ehm_map *` and calls nothing but the public functions
 * of ehm.h, so a C++ program sees exactly the library every other consumer
 * sees. Keys and values cross the ABI as bytes through ehm::codec<T>:
 * trivially copyable types by memcpy, with the map's fixed-size layout;
 * std::string, std::string_view and std::vector<std::byte> as variable-length
 * blobs; any other type through a user specialisation of ehm::codec<T>.
 *
 * Errors become exceptions: EHM_ENOMEM -> std::bad_alloc, EHM_EINVAL ->
 * std::invalid_argument, EHM_ETOOBIG -> std::length_error, anything else
 * unexpected -> ehm::error; their what() names the member called and carries
 * ehm_last_error's account of the failure. A failed C call changes nothing,
 * and a member whose codec throws after its C call undoes that call, so a
 * member that throws leaves the entries as they were (the strong guarantee;
 * capacity and statistics may show the undone call).
 *
 * Each entry member makes one C call, and so one lookup: put and
 * insert_or_assign through ehm_exchange, try_emplace through ehm_upsert
 * (fixed-size values) or ehm_insert, remove through ehm_remove_copy, erase
 * through ehm_remove. (A previous value longer than 256 bytes takes a second
 * call to fetch it.)
 *
 * Invariant: a map's handle is a live ehm_map whose key_size and value_size
 * are the codecs' fixed sizes, or null once the map has been moved from.
 *
 * This Source Code Form is subject to the terms of the Mozilla Public
 * License, v. 2.0. If a copy of the MPL was not distributed with this
 * file, You can obtain one at https://mozilla.org/MPL/2.0/.
 */
#ifndef EHM_EHM_HPP
#define EHM_EHM_HPP

#include <ehm/ehm.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#if __cplusplus >= 202002L
#include <ranges>
#include <span>
#endif

namespace ehm {

// ---- Errors ----------------------------------------------------------------

// A status with no standard exception of its own: one the wrapper does not
// expect from the calls it makes (for instance a code added by a newer
// library).
class error : public std::runtime_error {
public:
    error(int status, const std::string &what) : std::runtime_error(what), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

namespace bridge {

// The message names the member the caller used, the status, and what
// ehm_last_error says about the C call that just failed (which argument, what
// was expected and what was given).
[[noreturn]] inline void throw_status(int status, const char *operation) {
    if (status == EHM_ENOMEM) throw std::bad_alloc();
    std::string what = std::string("ehm::map::") + operation + ": " + ehm_strerror(status);
    const char *detail = ehm_last_error();
    if (detail != nullptr && detail[0] != '\0') what = what + " (" + detail + ")";
    if (status == EHM_EINVAL) throw std::invalid_argument(what);
    if (status == EHM_ETOOBIG) throw std::length_error(what);
    throw error(status, what);
}

// Passes non-negative results through: several calls answer 1 or 0.
inline int check(int status, const char *operation) {
    if (status < 0) throw_status(status, operation);
    return status;
}

inline std::string_view chars(const void *data, std::size_t size) noexcept {
    return {static_cast<const char *>(data), size};
}

// float and double are accepted although they lack unique representations:
// they compare by their bytes, so 0.0 and -0.0 are two keys and a NaN finds
// itself. Padding bytes would make equal values differ, so types with
// padding need a codec of their own.
template <class T>
inline constexpr bool is_plain_bytes_v =
    std::is_trivially_copyable_v<T> && !std::is_pointer_v<T> && !std::is_member_pointer_v<T> &&
    (std::has_unique_object_representations_v<T> || std::is_same_v<T, float> ||
     std::is_same_v<T, double>);

} // namespace bridge

// ---- Codecs ----------------------------------------------------------------

// codec<T> turns a T into the bytes the map stores and back. A codec has
//   static constexpr std::size_t fixed_size;  // N: every encoding is N bytes
//                                             // (the fixed-size layout); 0: any
//   static E encode(const T &);               // E: contiguous one-byte elements
//                                             // (std::string_view, std::string,
//                                             // std::array<std::byte, N>, ...)
//   static T decode(std::string_view bytes);  // the inverse of encode
// Equal values must encode to equal bytes: the map compares and hashes bytes.
// The primary template serves trivially copyable types without padding.
template <class T>
struct codec {
    static_assert(bridge::is_plain_bytes_v<T>,
                  "ehm::codec<T>: T is not trivially copyable without padding (or is a "
                  "pointer); specialise ehm::codec<T> for it");
    static_assert(std::is_default_constructible_v<T>,
                  "ehm::codec<T>: the memcpy codec decodes into a default-constructed T");

    static constexpr std::size_t fixed_size = sizeof(T);

    static std::string_view encode(const T &value) noexcept {
        return bridge::chars(std::addressof(value), sizeof(T));
    }

    static T decode(std::string_view bytes) {
        if (bytes.size() != sizeof(T)) {
            throw std::invalid_argument("ehm::codec: stored bytes do not match the type's size");
        }
        T value;
        std::memcpy(static_cast<void *>(std::addressof(value)), bytes.data(), sizeof(T));
        return value;
    }
};

template <>
struct codec<std::string> {
    static constexpr std::size_t fixed_size = 0;
    static std::string_view encode(const std::string &value) noexcept { return value; }
    static std::string decode(std::string_view bytes) { return std::string(bytes); }
};

// Decodes to a view into the map: valid until the next change of the map.
template <>
struct codec<std::string_view> {
    static constexpr std::size_t fixed_size = 0;
    static std::string_view encode(std::string_view value) noexcept { return value; }
    static std::string_view decode(std::string_view bytes) noexcept { return bytes; }
};

template <>
struct codec<std::vector<std::byte>> {
    static constexpr std::size_t fixed_size = 0;
    static std::string_view encode(const std::vector<std::byte> &value) noexcept {
        return bridge::chars(value.data(), value.size());
    }
    static std::vector<std::byte> decode(std::string_view bytes) {
        const auto *first = reinterpret_cast<const std::byte *>(bytes.data());
        return std::vector<std::byte>(first, first + bytes.size());
    }
};

// The type a map hands back when the value must outlive a change of the map
// (the previous value from insert_or_assign and remove): T itself, except for
// types whose codec decodes to a view into the map. Specialise it next to a
// codec that borrows.
template <class T>
struct owned {
    using type = T;
};

template <>
struct owned<std::string_view> {
    using type = std::string;
};

template <class T>
using owned_t = typename owned<T>::type;

// ---- Options ---------------------------------------------------------------

struct options {
    // Entries that fit before the first growth; 0 = a small default.
    std::size_t capacity = 0;
    // The free fraction kept before the table grows, 0 < delta < 1.
    double delta = EHM_DEFAULT_DELTA;
    // A fixed seed makes layout and iteration order reproducible; without one
    // each map draws a random seed (HashDoS resistance).
    std::optional<std::uint64_t> seed;
    // Every byte of the map, and of its copies, comes from here; it must
    // outlive them. nullptr = the C library's malloc and free.
    std::pmr::memory_resource *resource = nullptr;
    // true keeps the table on ordinary pages (EHM_FLAG_NO_HUGE_PAGES). By
    // default, on Linux, a map without a resource asks for transparent huge
    // pages for tables of 4 MiB or more, rounded up to whole 2 MiB pages, so
    // that lookups in a large table miss the TLB less. A resource is asked
    // for exactly what the map needs either way. Copies keep the choice.
    bool no_huge_pages = false;
};

namespace bridge {

// ehm_allocator callbacks over a std::pmr::memory_resource. No exception may
// unwind through the C library: a throwing allocate reads as NULL, which the
// map reports as EHM_ENOMEM.
inline void *resource_allocate(void *ctx, std::size_t size, std::size_t align) noexcept {
    try {
        return static_cast<std::pmr::memory_resource *>(ctx)->allocate(size, align);
    } catch (...) {
        return nullptr;
    }
}

// The C free callback cannot report a failure, so a throwing deallocate
// loses that block rather than unwinding through C.
inline void resource_deallocate(void *ctx, void *ptr, std::size_t size,
                                std::size_t align) noexcept {
    try {
        static_cast<std::pmr::memory_resource *>(ctx)->deallocate(ptr, size, align);
    } catch (...) {
    }
}

inline ehm_allocator allocator_over(std::pmr::memory_resource *resource) noexcept {
    ehm_allocator allocator{};
    allocator.alloc = &resource_allocate;
    allocator.free = &resource_deallocate;
    allocator.ctx = resource;
    return allocator;
}

struct map_deleter {
    void operator()(ehm_map *map) const noexcept { ehm_destroy(map); }
};

// Keeps codec<T>::encode(value) alive for the C calls of one member function
// and exposes its bytes. Neither copied nor moved, so the bytes never move.
template <class T>
class encoded {
public:
    explicit encoded(const T &value) : encoding_(codec<T>::encode(value)) {
        static_assert(sizeof(*std::data(encoding_)) == 1,
                      "ehm::codec<T>::encode must return contiguous one-byte elements");
        data_ = static_cast<const void *>(std::data(encoding_));
        size_ = std::size(encoding_);
    }
    encoded(const encoded &) = delete;
    encoded &operator=(const encoded &) = delete;

    const void *data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }

private:
    decltype(codec<T>::encode(std::declval<const T &>())) encoding_;
    const void *data_ = nullptr;
    std::size_t size_ = 0;
};

// What operator-> of an iterator points at: the entry it decoded.
template <class T>
struct arrow {
    T value;
    const T *operator->() const noexcept { return std::addressof(value); }
};

template <std::size_t Size>
constexpr std::uint32_t layout_size() noexcept {
    static_assert(Size <= UINT32_MAX, "ehm::codec<T>::fixed_size does not fit ehm_config");
    return static_cast<std::uint32_t>(Size);
}

} // namespace bridge

// ---- Iteration -------------------------------------------------------------

template <class K, class V>
class map;

namespace bridge {

// What an iterator makes of the current entry's bytes.
template <class K>
struct decode_key {
    static K apply(std::string_view key, std::string_view) { return codec<K>::decode(key); }
};
template <class V>
struct decode_value {
    static V apply(std::string_view, std::string_view value) { return codec<V>::decode(value); }
};
template <class K, class V>
struct decode_entry {
    static std::pair<K, V> apply(std::string_view key, std::string_view value) {
        return {codec<K>::decode(key), codec<V>::decode(value)};
    }
};

} // namespace bridge

// Walks a map with ehm_next and decodes the current entry on every
// dereference. Any change of the map invalidates it, except map::erase(it),
// which returns it advanced.
template <class Projection>
class map_iterator {
public:
    using value_type = decltype(Projection::apply(std::string_view(), std::string_view()));
    using reference = value_type;
    using pointer = bridge::arrow<value_type>;
    using difference_type = std::ptrdiff_t;
    // Dereferencing yields a value, which C++17 allows only for input
    // iterators; copies do walk independently, which C++20 can say.
    using iterator_category = std::input_iterator_tag;
#if __cplusplus >= 202002L
    using iterator_concept = std::forward_iterator_tag;
#endif

    map_iterator() noexcept = default; // the end

    reference operator*() const {
        return Projection::apply(key_, value_);
    }
    pointer operator->() const {
        return pointer{**this};
    }

    map_iterator &operator++() {
        advance();
        return *this;
    }
    map_iterator operator++(int) {
        map_iterator before = *this;
        advance();
        return before;
    }

    friend bool operator==(const map_iterator &a, const map_iterator &b) noexcept {
        return a.map_ == b.map_ && a.cursor_ == b.cursor_;
    }
    friend bool operator!=(const map_iterator &a, const map_iterator &b) noexcept {
        return !(a == b);
    }

private:
    template <class, class>
    friend class map;
    template <class, class>
    friend class map_view;

    explicit map_iterator(const ehm_map *map) : map_(map) {
        advance();
    }

    void advance() {
        const void *key = nullptr, *value = nullptr;
        std::size_t key_size = 0, value_size = 0;
        const int status = ehm_next(map_, &cursor_, &key, &key_size, &value, &value_size);
        if (status == EHM_ITEROVER) {
            *this = map_iterator();
            return;
        }
        bridge::check(status, "iterator");
        key_ = bridge::chars(key, key_size);
        value_ = bridge::chars(value, value_size);
    }

    const ehm_map *map_ = nullptr; // null at the end
    std::size_t cursor_ = 0;       // ehm_next's cursor, just past the current entry
    std::string_view key_, value_; // the current entry, borrowed from the map
};

// keys(), values() and entries(): live views of a map, as cheap to copy as a
// pointer. Their iterators do not depend on the view object, so C++20 treats
// them as borrowed ranges.
template <class Map, class Projection>
class map_view
#if __cplusplus >= 202002L
    : public std::ranges::view_base
#endif
{
public:
    map_iterator<Projection> begin() const {
        return map_iterator<Projection>(map_->native_handle());
    }
    map_iterator<Projection> end() const noexcept {
        return {};
    }
    std::size_t size() const noexcept {
        return map_->size();
    }
    bool empty() const noexcept {
        return map_->empty();
    }

private:
    friend Map;
    explicit map_view(const Map &owner) noexcept : map_(&owner) {}
    const Map *map_;
};

// ---- The map ---------------------------------------------------------------

// A hash map from K to V, stored by libehm as the codecs' bytes. Lookups and
// iteration decode into fresh K and V objects: nothing hands out references
// into the map except the explicitly borrowed views (get_view, get_bytes,
// string_view keys or values), which stay valid until the next change.
//
// A moved-from map holds no handle: it may be assigned to or destroyed,
// reports size() == 0, and every other member throws std::invalid_argument.
template <class K, class V>
class map {
public:
    using key_type = K;
    using mapped_type = V;
    using value_type = std::pair<K, V>;
    using size_type = std::size_t;
    using iterator = map_iterator<bridge::decode_entry<K, V>>;
    using const_iterator = iterator;
    using key_iterator = map_iterator<bridge::decode_key<K>>;
    using value_iterator = map_iterator<bridge::decode_value<V>>;
    using entry_view = map_view<map, bridge::decode_entry<K, V>>;
    using key_view = map_view<map, bridge::decode_key<K>>;
    using value_view = map_view<map, bridge::decode_value<V>>;

    // ---- Construction

    map() : map(options()) {}
    explicit map(const options &opts) : handle_(create(opts)) {}
    // The original's constructor: a positive capacity and 0 < delta < 1.
    map(size_type capacity, double delta) : map(capacity_and_delta(capacity, delta)) {}
    // Like repeated try_emplace: the first of two equal keys wins.
    map(std::initializer_list<value_type> entries, const options &opts = options()) : map(opts) {
        for (const value_type &entry : entries) try_emplace(entry.first, entry.second);
    }

    // Copies through ehm_clone: same seed, delta, memory resource and pages.
    map(const map &other) : handle_(clone(other.handle_.get())) {}
    map(map &&other) noexcept = default;
    map &operator=(const map &other) {
        if (this != &other) {
            map copy(other);
            swap(copy);
        }
        return *this;
    }
    map &operator=(map &&other) noexcept = default;
    ~map() = default;

    void swap(map &other) noexcept { handle_.swap(other.handle_); }
    friend void swap(map &a, map &b) noexcept { a.swap(b); }

    // For the C functions the class does not wrap (ehm_stats_get, ehm_probe_count,
    // ehm_probe_fetches).
    ehm_map *native_handle() noexcept { return handle_.get(); }
    const ehm_map *native_handle() const noexcept { return handle_.get(); }

    // ---- Entries

    // Inserts, or replaces the value of an existing key; returns the value it
    // replaced.
    std::optional<owned_t<V>> insert_or_assign(const K &key, const V &value) {
        return exchange_encoded(key, value, "insert_or_assign");
    }
    std::optional<owned_t<V>> put(const K &key, const V &value) {
        return exchange_encoded(key, value, "put");
    }

    // Inserts V(args...) only if the key is absent; returns whether it
    // inserted. With a fixed-size value codec nothing is constructed when the
    // key is present: the entry is made with ehm_upsert and the value encoded
    // into it. A variable-size value must be encoded before the one lookup
    // (ehm_insert), so V(args...) is constructed first and dropped if the key
    // is present, as std::unordered_map::emplace does.
    template <class... Args>
    bool try_emplace(const K &key, Args &&...args) {
        const bridge::encoded<K> k(key);
        if constexpr (codec<V>::fixed_size != 0) {
            void *slot = nullptr;
            int inserted = 0;
            bridge::check(ehm_upsert(handle_.get(), k.data(), k.size(), &slot, &inserted),
                          "try_emplace");
            if (inserted == 0) return false;
            try {
                const V made(std::forward<Args>(args)...); // outlives its encoding
                const bridge::encoded<V> v(made);
                if (v.size() != codec<V>::fixed_size) {
                    throw std::invalid_argument(
                        "ehm::map::try_emplace: ehm::codec<V>::encode gave " +
                        std::to_string(v.size()) + " bytes, its fixed_size is " +
                        std::to_string(codec<V>::fixed_size));
                }
                std::memcpy(slot, v.data(), v.size());
            } catch (...) {
                ehm_remove(handle_.get(), k.data(), k.size()); // cannot fail: k is present
                throw;
            }
            return true;
        } else {
            const V made(std::forward<Args>(args)...); // outlives its encoding
            const bridge::encoded<V> v(made);
            const int status = ehm_insert(handle_.get(), k.data(), k.size(), v.data(), v.size());
            if (status == EHM_EXISTS) return false;
            bridge::check(status, "try_emplace");
            return true;
        }
    }

    std::optional<V> get(const K &key) const {
        const bridge::encoded<K> k(key);
        const std::optional<std::string_view> bytes = find_bytes(k, "get");
        if (!bytes) return std::nullopt;
        return codec<V>::decode(*bytes);
    }

    // The stored bytes of the value without a copy, valid until the next
    // change of the map.
    std::optional<std::string_view> get_view(const K &key) const {
        const bridge::encoded<K> k(key);
        return find_bytes(k, "get_view");
    }
#if __cplusplus >= 202002L
    std::optional<std::span<const std::byte>> get_bytes(const K &key) const {
        const std::optional<std::string_view> bytes = get_view(key);
        if (!bytes) return std::nullopt;
        return std::span<const std::byte>(reinterpret_cast<const std::byte *>(bytes->data()),
                                          bytes->size());
    }
#endif

    bool contains(const K &key) const {
        const bridge::encoded<K> k(key);
        return bridge::check(ehm_contains(handle_.get(), k.data(), k.size()), "contains") == 1;
    }

    // O(size()).
    bool contains_value(const V &value) const {
        const bridge::encoded<V> v(value);
        return bridge::check(ehm_contains_value(handle_.get(), v.data(), v.size()),
                             "contains_value") == 1;
    }

    // Returns whether the key was present.
    bool erase(const K &key) {
        const bridge::encoded<K> k(key);
        return erase_encoded(k);
    }

    // Returns the value it removed.
    std::optional<owned_t<V>> remove(const K &key) {
        const bridge::encoded<K> k(key);
        char small[kInlineCopy];
        std::string large;
        char *buffer = small;
        std::size_t capacity = sizeof small, length = 0;
        int status;
        while ((status = ehm_remove_copy(handle_.get(), k.data(), k.size(), buffer, capacity,
                                         &length)) == EHM_ERANGE) {
            large.resize(length);
            buffer = &large[0];
            capacity = length;
        }
        if (status == EHM_NOTFOUND) return std::nullopt;
        bridge::check(status, "remove");
        try {
            return owned_t<V>(codec<V>::decode(bridge::chars(buffer, length)));
        } catch (...) {
            // Put it back; the slot it left is free, so this allocates at most
            // a node (with a variable-size layout).
            ehm_insert(handle_.get(), k.data(), k.size(), buffer, length);
            throw;
        }
    }

    // Removes the entry `position` is at and returns the iterator to the
    // next one; every other iterator of this map is invalidated.
    template <class Projection>
    map_iterator<Projection> erase(map_iterator<Projection> position) {
        if (position.map_ == nullptr || position.map_ != handle_.get()) {
            throw std::invalid_argument("ehm::map::erase: the iterator is not at an entry of "
                                        "this map");
        }
        // The key is the view ehm_next returned: removing the entry just
        // returned is what keeps the cursor valid.
        bridge::check(ehm_remove(handle_.get(), position.key_.data(), position.key_.size()),
                      "erase");
        ++position;
        return position;
    }

    void clear() {
        bridge::check(ehm_clear(handle_.get()), "clear");
    }

    size_type size() const noexcept {
        return ehm_size(handle_.get());
    }
    bool empty() const noexcept {
        return size() == 0;
    }
    // Slots, of which the map fills at most 1 - delta before it grows.
    size_type capacity() const noexcept {
        return ehm_capacity(handle_.get());
    }
    // Grows now so that `entries` fit without growth.
    void reserve(size_type entries) {
        bridge::check(ehm_reserve(handle_.get(), entries), "reserve");
    }

    // ---- Views and iteration, in the map's (unspecified) order

    key_view keys() const noexcept {
        return key_view(*this);
    }
    value_view values() const noexcept {
        return value_view(*this);
    }
    entry_view entries() const noexcept {
        return entry_view(*this);
    }
    iterator begin() const {
        return iterator(handle_.get());
    }
    iterator end() const noexcept {
        return iterator();
    }

    // ---- Whole map

    // The same keys with byte-equal values; seeds and capacities may differ.
    friend bool operator==(const map &a, const map &b) {
        return bridge::check(ehm_equal(a.handle_.get(), b.handle_.get()), "operator==") == 1;
    }
    friend bool operator!=(const map &a, const map &b) {
        return !(a == b);
    }

private:
    static options capacity_and_delta(size_type capacity, double delta) {
        if (capacity == 0) throw std::invalid_argument("ehm::map: the capacity must be positive");
        options opts;
        opts.capacity = capacity;
        opts.delta = delta;
        return opts;
    }

    static ehm_map *create(const options &opts) {
        ehm_config config;
        ehm_config_init(&config);
        config.capacity = opts.capacity;
        config.delta = opts.delta;
        if (opts.seed) {
            config.flags |= EHM_FLAG_FIXED_SEED;
            config.seed = *opts.seed;
        }
        if (opts.no_huge_pages) config.flags |= EHM_FLAG_NO_HUGE_PAGES;
        config.key_size = bridge::layout_size<codec<K>::fixed_size>();
        config.value_size = bridge::layout_size<codec<V>::fixed_size>();
        // ehm_create copies the allocator struct; only the resource must live on.
        const ehm_allocator allocator = bridge::allocator_over(opts.resource);
        if (opts.resource != nullptr) config.allocator = &allocator;
        ehm_map *created = nullptr;
        bridge::check(ehm_create(&created, &config), "map");
        return created;
    }

    static ehm_map *clone(const ehm_map *source) {
        ehm_map *copy = nullptr;
        bridge::check(ehm_clone(&copy, source), "map(const map &)");
        return copy;
    }

    std::optional<std::string_view> find_bytes(const bridge::encoded<K> &key,
                                               const char *operation) const {
        const void *value = nullptr;
        std::size_t value_size = 0;
        const int status = ehm_get(handle_.get(), key.data(), key.size(), &value, &value_size);
        if (status == EHM_NOTFOUND) return std::nullopt;
        bridge::check(status, operation);
        return bridge::chars(value, value_size);
    }

    // Previous values up to this many bytes are fetched in the same call.
    static constexpr std::size_t kInlineCopy =
        codec<V>::fixed_size != 0 && codec<V>::fixed_size <= 256 ? codec<V>::fixed_size : 256;

    // put and insert_or_assign: ehm_exchange stores the value and hands back
    // the bytes it replaced, which are decoded after; if decoding throws, they
    // are put back.
    std::optional<owned_t<V>> exchange_encoded(const K &key, const V &value,
                                               const char *operation) {
        const bridge::encoded<K> k(key);
        const bridge::encoded<V> v(value);
        char small[kInlineCopy];
        std::string large;
        char *buffer = small;
        std::size_t capacity = sizeof small, length = 0;
        int status;
        while ((status = ehm_exchange(handle_.get(), k.data(), k.size(), v.data(), v.size(), buffer,
                                      capacity, &length)) == EHM_ERANGE) {
            large.resize(length);
            buffer = &large[0];
            capacity = length;
        }
        if (bridge::check(status, operation) == 0) return std::nullopt;
        try {
            return owned_t<V>(codec<V>::decode(bridge::chars(buffer, length)));
        } catch (...) {
            ehm_put(handle_.get(), k.data(), k.size(), buffer, length);
            throw;
        }
    }

    bool erase_encoded(const bridge::encoded<K> &key) {
        const int status = ehm_remove(handle_.get(), key.data(), key.size());
        if (status == EHM_NOTFOUND) return false;
        bridge::check(status, "erase");
        return true;
    }

    std::unique_ptr<ehm_map, bridge::map_deleter> handle_;
};

// Prints {k=v, k=v, ...} in iteration order, like java.util.Map's toString.
template <class K, class V>
std::ostream &operator<<(std::ostream &out, const map<K, V> &m) {
    out << '{';
    const char *separator = "";
    for (const auto &[key, value] : m) {
        out << separator << key << '=' << value;
        separator = ", ";
    }
    return out << '}';
}

} // namespace ehm

// From ehm_hash: independent of seed, capacity and insertion order, so equal
// maps hash equal.
namespace std {
template <class K, class V>
struct hash<ehm::map<K, V>> {
    size_t operator()(const ehm::map<K, V> &m) const noexcept {
        return static_cast<size_t>(ehm_hash(m.native_handle()));
    }
};
} // namespace std

#if __cplusplus >= 202002L
namespace std::ranges {
template <class Map, class Projection>
inline constexpr bool enable_borrowed_range<ehm::map_view<Map, Projection>> = true;
} // namespace std::ranges
#endif

#endif /* EHM_EHM_HPP */
