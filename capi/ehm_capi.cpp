// The C boundary. Each entry point validates its arguments, reads versioned
// structs by their struct_size, and calls the core; no exception crosses it
// and no hashing logic lives here.
#include <ehm/ehm.h>

#include "map.hpp"
#include "seed.hpp"

#include <cmath>
#include <cstring>
#include <new>

using ehm::detail::Blob;
using ehm::detail::Map;

struct ehm_map {}; // opaque to callers; every handle is a Map

namespace {

// A versioned struct larger than this is from no layout we could ever have
// defined; it is rejected without reading its tail.
constexpr uint32_t kMaxStructSize = 1u << 20;

Map *core(ehm_map *map) {
    return reinterpret_cast<Map *>(map);
}
const Map *core(const ehm_map *map) {
    return reinterpret_cast<const Map *>(map);
}
ehm_map *handle(Map *map) {
    return reinterpret_cast<ehm_map *>(map);
}

// Converts anything thrown below into a status; nothing is expected to throw.
template <class Body>
int guarded(Body &&body) noexcept {
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return EHM_ENOMEM;
    } catch (...) {
        return EHM_EINVAL;
    }
}

// The sizes of the 1.0 layouts, the smallest a caller may pass. Fields a
// later 1.x adds lie beyond them; a caller built before they existed passes
// a smaller struct_size, and the library reads and writes only that much.
constexpr uint32_t kConfigV1Size = 48;
constexpr uint32_t kStatsV1Size = 80;
static_assert(sizeof(ehm_config) >= kConfigV1Size && sizeof(ehm_stats) >= kStatsV1Size);

// The struct_size rule shared by ehm_config and ehm_stats.
int check_struct_size(const void *object, uint32_t struct_size, size_t v1_size, size_t known_size) {
    if (struct_size < v1_size) return EHM_EINVAL;
    if (struct_size > kMaxStructSize) return EHM_EVERSION;
    const auto *bytes = static_cast<const unsigned char *>(object);
    for (size_t i = known_size; i < struct_size; ++i)
        if (bytes[i] != 0) return EHM_EVERSION;
    return EHM_OK;
}

int read_config(const ehm_config *given, ehm_config &cfg) {
    ehm_config_init(&cfg);
    if (given == nullptr) return EHM_OK;
    const uint32_t size = given->struct_size;
    int status = check_struct_size(given, size, kConfigV1Size, sizeof cfg);
    if (status != EHM_OK) return status;
    std::memcpy(&cfg, given, size < sizeof cfg ? size : sizeof cfg); // newer fields keep defaults
    cfg.struct_size = sizeof cfg;
    if ((cfg.flags & ~EHM_FLAG_FIXED_SEED) != 0) return EHM_EINVAL;
    if (!(cfg.delta > 0.0 && cfg.delta < 1.0)) return EHM_EINVAL; // NaN fails too
    return EHM_OK;
}

int check_map_and_key(const ehm_map *map, const void *key, size_t key_len) {
    if (map == nullptr) return EHM_EINVAL;
    return core(map)->check_key(Blob{key, key_len});
}

} // namespace

extern "C" {

unsigned ehm_version(void) {
    return EHM_VERSION_NUMBER;
}

const char *ehm_version_string(void) {
#define EHM_STR2(x) #x
#define EHM_STR(x) EHM_STR2(x)
    return EHM_STR(EHM_VERSION_MAJOR) "." EHM_STR(EHM_VERSION_MINOR) "." EHM_STR(EHM_VERSION_PATCH);
#undef EHM_STR
#undef EHM_STR2
}

const char *ehm_strerror(int status) {
    switch (status) {
    case EHM_OK:
        return "success";
    case EHM_NOTFOUND:
        return "key not found";
    case EHM_EINVAL:
        return "invalid argument";
    case EHM_ENOMEM:
        return "out of memory";
    case EHM_ERANGE:
        return "buffer too small";
    case EHM_ETOOBIG:
        return "length or capacity too large";
    case EHM_EVERSION:
        return "struct from an unknown newer version";
    case EHM_ITEROVER:
        return "iteration finished";
    default:
        return "unknown status code";
    }
}

void ehm_config_init(ehm_config *cfg) {
    if (cfg == nullptr) return;
    std::memset(cfg, 0, sizeof *cfg);
    cfg->struct_size = sizeof *cfg;
    cfg->delta = EHM_DEFAULT_DELTA;
}

int ehm_create(ehm_map **out, const ehm_config *given) {
    if (out == nullptr) return EHM_EINVAL;
    *out = nullptr;
    return guarded([&] {
        ehm_config cfg;
        int status = read_config(given, cfg);
        if (status != EHM_OK) return status;
        ehm::detail::Settings settings;
        settings.delta = ehm::detail::Delta::from_double(cfg.delta);
        settings.layout = ehm::detail::EntryLayout::of(cfg.key_size, cfg.value_size);
        const ehm_allocator allocator =
            cfg.allocator != nullptr ? *cfg.allocator : ehm::detail::Memory::system_allocator();
        if (allocator.alloc == nullptr || allocator.free == nullptr) return EHM_EINVAL;
        settings.seed =
            (cfg.flags & EHM_FLAG_FIXED_SEED) != 0 ? cfg.seed : ehm::detail::random_seed(out);
        Map *map = nullptr;
        status = Map::create(allocator, settings, cfg.capacity, &map);
        *out = handle(map);
        return status;
    });
}

void ehm_destroy(ehm_map *map) {
    Map::destroy(core(map));
}

int ehm_clone(ehm_map **out, const ehm_map *src) {
    if (out == nullptr) return EHM_EINVAL;
    *out = nullptr;
    if (src == nullptr) return EHM_EINVAL;
    return guarded([&] {
        Map *copy = nullptr;
        int status = core(src)->clone(&copy);
        *out = handle(copy);
        return status;
    });
}

// The per-key calls reach code compiled for the map's entry layout through
// one indirect call; it checks the lengths itself.
int ehm_put(ehm_map *map, const void *key, size_t key_len, const void *value, size_t value_len) {
    if (map == nullptr) return EHM_EINVAL;
    return core(map)->ops().put(core(map), key, key_len, value, value_len);
}

int ehm_get(const ehm_map *map, const void *key, size_t key_len, const void **value,
            size_t *value_len) {
    if (map == nullptr) return EHM_EINVAL;
    return core(map)->ops().get(core(map), key, key_len, value, value_len);
}

int ehm_get_copy(const ehm_map *map, const void *key, size_t key_len, void *buf, size_t buf_len,
                 size_t *value_len) {
    if (map == nullptr) return EHM_EINVAL;
    if (value_len == nullptr || (buf == nullptr && buf_len != 0)) {
        const int status = core(map)->check_key(Blob{key, key_len});
        return status != EHM_OK ? status : EHM_EINVAL;
    }
    return core(map)->ops().get_copy(core(map), key, key_len, buf, buf_len, value_len);
}

int ehm_get_many(const ehm_map *map, size_t count, const void *const *keys, const size_t *key_lens,
                 const void **values, size_t *value_lens, int *statuses) {
    if (map == nullptr) return EHM_EINVAL;
    if (count == 0) return EHM_OK;
    if (keys == nullptr || key_lens == nullptr || statuses == nullptr) return EHM_EINVAL;
    for (size_t i = 0; i < count; ++i) {
        int status = core(map)->check_key(Blob{keys[i], key_lens[i]});
        if (status != EHM_OK) return status;
    }
    constexpr size_t kChunk = 64;
    Blob key[kChunk], found[kChunk];
    bool hit[kChunk];
    for (size_t start = 0; start < count; start += kChunk) {
        const size_t n = count - start < kChunk ? count - start : kChunk;
        for (size_t i = 0; i < n; ++i) key[i] = Blob{keys[start + i], key_lens[start + i]};
        core(map)->get_many(n, key, found, hit);
        for (size_t i = 0; i < n; ++i) {
            statuses[start + i] = hit[i] ? EHM_OK : EHM_NOTFOUND;
            if (!hit[i]) continue;
            if (values != nullptr) values[start + i] = found[i].data;
            if (value_lens != nullptr) value_lens[start + i] = found[i].len;
        }
    }
    return EHM_OK;
}

int ehm_remove(ehm_map *map, const void *key, size_t key_len) {
    if (map == nullptr) return EHM_EINVAL;
    return core(map)->ops().remove(core(map), key, key_len);
}

int ehm_contains(const ehm_map *map, const void *key, size_t key_len) {
    if (map == nullptr) return EHM_EINVAL;
    return core(map)->ops().contains(core(map), key, key_len);
}

int ehm_contains_value(const ehm_map *map, const void *value, size_t value_len) {
    if (map == nullptr) return EHM_EINVAL;
    int status = core(map)->check_value(Blob{value, value_len});
    if (status != EHM_OK) return status;
    return core(map)->contains_value(Blob{value, value_len}) ? 1 : 0;
}

size_t ehm_size(const ehm_map *map) {
    return map == nullptr ? 0 : static_cast<size_t>(core(map)->size());
}

size_t ehm_capacity(const ehm_map *map) {
    return map == nullptr ? 0 : static_cast<size_t>(core(map)->capacity());
}

int ehm_reserve(ehm_map *map, size_t entries) {
    if (map == nullptr) return EHM_EINVAL;
    return guarded([&] { return core(map)->reserve(entries); });
}

int ehm_clear(ehm_map *map) {
    if (map == nullptr) return EHM_EINVAL;
    core(map)->clear();
    return EHM_OK;
}

int ehm_equal(const ehm_map *a, const ehm_map *b) {
    if (a == nullptr || b == nullptr) return EHM_EINVAL;
    return core(a)->equals(*core(b)) ? 1 : 0;
}

uint64_t ehm_hash(const ehm_map *map) {
    return map == nullptr ? 0 : core(map)->content_hash();
}

int ehm_next(const ehm_map *map, size_t *cursor, const void **key, size_t *key_len,
             const void **value, size_t *value_len) {
    if (map == nullptr || cursor == nullptr) return EHM_EINVAL;
    Blob k{}, v{};
    int status = core(map)->next(cursor, &k, &v);
    if (status != EHM_OK) return status;
    if (key != nullptr) *key = k.data;
    if (key_len != nullptr) *key_len = k.len;
    if (value != nullptr) *value = v.data;
    if (value_len != nullptr) *value_len = v.len;
    return EHM_OK;
}

int ehm_stats_get(const ehm_map *map, ehm_stats *out) {
    if (map == nullptr || out == nullptr) return EHM_EINVAL;
    const uint32_t size = out->struct_size;
    int status = check_struct_size(out, size, kStatsV1Size, sizeof(ehm_stats));
    if (status != EHM_OK) return status;
    ehm_stats stats;
    std::memset(&stats, 0, sizeof stats);
    core(map)->stats(stats);
    stats.struct_size = size;
    std::memcpy(out, &stats, size < sizeof stats ? size : sizeof stats);
    return EHM_OK;
}

int ehm_probe_count(const ehm_map *map, const void *key, size_t key_len, uint64_t *probes) {
    if (probes == nullptr) return EHM_EINVAL;
    int status = check_map_and_key(map, key, key_len);
    if (status != EHM_OK) return status;
    return core(map)->probe(Blob{key, key_len}, probes);
}

} // extern "C"
