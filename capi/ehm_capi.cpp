// The C boundary. Each entry point validates its arguments, reads versioned
// structs by their struct_size, and calls the core; no exception crosses it
// and no hashing logic lives here.
#include <ehm/ehm.h>

#include "errors.hpp"
#include "map.hpp"
#include "seed.hpp"

#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
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

// ---- ehm_last_error --------------------------------------------------------
// errors.hpp keeps the buffer; every entry point that can fail clears it first.

using ehm::detail::blob_failure;
using ehm::detail::clear_error;
using ehm::detail::fail;
using ehm::detail::last_error;
using ehm::detail::null_argument;

// A failure the core reported, which names no argument of the call.
__attribute__((cold, noinline)) int core_failure(int status, const char *function) {
    if (last_error[0] != '\0') return status; // the core said why already
    switch (status) {
    case EHM_ENOMEM:
        return fail(status, function, "the allocator returned NULL; the map is unchanged");
    case EHM_ETOOBIG:
        return fail(status, function,
                    "the table would outgrow the largest supported capacity; the map is "
                    "unchanged");
    default:
        return fail(status, function, "%s", ehm_strerror(status));
    }
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

// The struct_size rule shared by ehm_config and ehm_stats; `name` is the
// argument, `init` what fills its struct_size.
int check_struct_size(const void *object, uint32_t struct_size, size_t v1_size, size_t known_size,
                      const char *function, const char *name, const char *init) {
    if (struct_size < v1_size)
        return fail(EHM_EINVAL, function,
                    "%s->struct_size is %" PRIu32 ", below the smallest layout (%zu bytes); %s",
                    name, struct_size, v1_size, init);
    if (struct_size > kMaxStructSize)
        return fail(EHM_EVERSION, function,
                    "%s->struct_size is %" PRIu32 ", beyond any layout (this library's is %zu)",
                    name, struct_size, known_size);
    const auto *bytes = static_cast<const unsigned char *>(object);
    for (size_t i = known_size; i < struct_size; ++i)
        if (bytes[i] != 0)
            return fail(EHM_EVERSION, function,
                        "%s->struct_size is %" PRIu32 " and byte %zu is non-zero, beyond the "
                        "%zu bytes this library knows",
                        name, struct_size, i, known_size);
    return EHM_OK;
}

// Any other bit is refused: a caller who sets a flag this library does not
// know would otherwise believe it honoured.
constexpr uint32_t kKnownFlags = EHM_FLAG_FIXED_SEED | EHM_FLAG_NO_HUGE_PAGES;

int read_config(const ehm_config *given, ehm_config &cfg) {
    ehm_config_init(&cfg);
    if (given == nullptr) return EHM_OK;
    const uint32_t size = given->struct_size;
    int status = check_struct_size(given, size, kConfigV1Size, sizeof cfg, "ehm_create", "cfg",
                                   "ehm_config_init fills it");
    if (status != EHM_OK) return status;
    std::memcpy(&cfg, given, size < sizeof cfg ? size : sizeof cfg); // newer fields keep defaults
    cfg.struct_size = sizeof cfg;
    if ((cfg.flags & ~kKnownFlags) != 0)
        return fail(EHM_EINVAL, "ehm_create",
                    "cfg->flags is 0x%" PRIx32 "; the known bits are EHM_FLAG_FIXED_SEED (0x%x) "
                    "and EHM_FLAG_NO_HUGE_PAGES (0x%x)",
                    cfg.flags, EHM_FLAG_FIXED_SEED, EHM_FLAG_NO_HUGE_PAGES);
    if (!(cfg.delta > 0.0 && cfg.delta < 1.0)) // NaN fails too
        return fail(EHM_EINVAL, "ehm_create", "cfg->delta is %g; it must lie in (0, 1)", cfg.delta);
    return EHM_OK;
}

int check_map_and_key(const ehm_map *map, const void *key, size_t key_len, const char *function) {
    if (map == nullptr) return null_argument(function, "map");
    return core(map)->explain_key(function, Blob{key, key_len});
}

// What ehm_probe_count and ehm_probe_fetches share: the checks of their
// arguments (`out` is the caller's result pointer, named `out_name`) and the
// lookup, which reports its cost in `cost`.
int measure_lookup(const ehm_map *map, const void *key, size_t key_len, const void *out,
                   const char *function, const char *out_name, ehm::detail::LookupCost &cost) {
    clear_error();
    if (out == nullptr) return null_argument(function, out_name);
    const int status = check_map_and_key(map, key, key_len, function);
    if (status != EHM_OK) return status;
    return core(map)->probe(Blob{key, key_len}, &cost);
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
    case EHM_EXISTS:
        return "key already present";
    default:
        return "unknown status code";
    }
}

const char *ehm_last_error(void) {
    return last_error;
}

void ehm_config_init(ehm_config *cfg) {
    clear_error();
    if (cfg == nullptr) return;
    std::memset(cfg, 0, sizeof *cfg);
    cfg->struct_size = sizeof *cfg;
    cfg->delta = EHM_DEFAULT_DELTA;
}

int ehm_create(ehm_map **out, const ehm_config *given) {
    clear_error();
    if (out == nullptr) return null_argument("ehm_create", "out");
    *out = nullptr;
    int status = guarded([&] {
        ehm_config cfg;
        int status = read_config(given, cfg);
        if (status != EHM_OK) return status;
        ehm::detail::Settings settings;
        settings.delta = ehm::detail::Delta::from_double(cfg.delta);
        settings.layout = ehm::detail::EntryLayout::of(cfg.key_size, cfg.value_size);
        const bool huge_pages = (cfg.flags & EHM_FLAG_NO_HUGE_PAGES) == 0;
        const ehm_allocator allocator = cfg.allocator != nullptr
                                            ? *cfg.allocator
                                            : ehm::detail::Memory::system_allocator(huge_pages);
        if (allocator.alloc == nullptr || allocator.free == nullptr)
            return fail(EHM_EINVAL, "ehm_create", "cfg->allocator->%s is NULL",
                        allocator.alloc == nullptr ? "alloc" : "free");
        settings.seed =
            (cfg.flags & EHM_FLAG_FIXED_SEED) != 0 ? cfg.seed : ehm::detail::random_seed(out);
        Map *map = nullptr;
        status = Map::create(allocator, settings, cfg.capacity, &map);
        *out = handle(map);
        if (status == EHM_ETOOBIG)
            return fail(status, "ehm_create",
                        "cfg->capacity is %" PRIu64 ", beyond the largest supported capacity",
                        cfg.capacity);
        return status;
    });
    if (status == EHM_ENOMEM && last_error[0] == '\0')
        return fail(status, "ehm_create", "the allocator returned NULL; *out is NULL");
    if (status < 0 && last_error[0] == '\0') return core_failure(status, "ehm_create");
    return status;
}

void ehm_destroy(ehm_map *map) {
    clear_error();
    Map::destroy(core(map));
}

int ehm_clone(ehm_map **out, const ehm_map *src) {
    clear_error();
    if (out == nullptr) return null_argument("ehm_clone", "out");
    *out = nullptr;
    if (src == nullptr) return null_argument("ehm_clone", "src");
    int status = guarded([&] {
        Map *copy = nullptr;
        int status = core(src)->clone(&copy);
        *out = handle(copy);
        return status;
    });
    if (status == EHM_ENOMEM)
        return fail(status, "ehm_clone", "the allocator returned NULL; *out is NULL");
    return status < 0 ? core_failure(status, "ehm_clone") : status;
}

// The per-key calls reach code compiled for the map's entry layout through
// one indirect call; that code checks the key and value lengths and records
// why it refused them.
int ehm_put(ehm_map *map, const void *key, size_t key_len, const void *value, size_t value_len) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_put", "map");
    const int status = core(map)->ops().put(core(map), key, key_len, value, value_len);
    return status < 0 ? core_failure(status, "ehm_put") : status;
}

int ehm_insert(ehm_map *map, const void *key, size_t key_len, const void *value, size_t value_len) {
    clear_error();
    int status = check_map_and_key(map, key, key_len, "ehm_insert");
    if (status != EHM_OK) return status;
    status = core(map)->explain_value("ehm_insert", Blob{value, value_len});
    if (status != EHM_OK) return status;
    status = core(map)->insert(Blob{key, key_len}, Blob{value, value_len});
    return status < 0 && status != EHM_EXISTS ? core_failure(status, "ehm_insert") : status;
}

int ehm_upsert(ehm_map *map, const void *key, size_t key_len, void **value, int *inserted) {
    clear_error();
    int status = check_map_and_key(map, key, key_len, "ehm_upsert");
    if (status != EHM_OK) return status;
    if (value == nullptr) return null_argument("ehm_upsert", "value");
    if (core(map)->layout().value_size == 0)
        return fail(EHM_EINVAL, "ehm_upsert",
                    "the map's value_size is 0 (variable-length values); ehm_upsert needs a "
                    "fixed value_size");
    void *found = nullptr;
    bool added = false;
    status = core(map)->upsert(Blob{key, key_len}, &found, &added);
    if (status != EHM_OK) return core_failure(status, "ehm_upsert");
    *value = found;
    if (inserted != nullptr) *inserted = added ? 1 : 0;
    return EHM_OK;
}

int ehm_exchange(ehm_map *map, const void *key, size_t key_len, const void *value, size_t value_len,
                 void *old_buf, size_t old_buf_len, size_t *old_len) {
    clear_error();
    int status = check_map_and_key(map, key, key_len, "ehm_exchange");
    if (status != EHM_OK) return status;
    status = core(map)->explain_value("ehm_exchange", Blob{value, value_len});
    if (status != EHM_OK) return status;
    if (old_len == nullptr) return null_argument("ehm_exchange", "old_len");
    if (old_buf == nullptr && old_buf_len != 0)
        return fail(EHM_EINVAL, "ehm_exchange",
                    "old_buf is NULL with old_buf_len %zu; NULL is allowed only with length 0",
                    old_buf_len);
    status = guarded([&] {
        return core(map)->exchange(Blob{key, key_len}, Blob{value, value_len}, old_buf, old_buf_len,
                                   old_len);
    });
    if (status == EHM_ERANGE)
        return fail(status, "ehm_exchange",
                    "old_buf_len is %zu but the value it would replace is %zu bytes; nothing "
                    "changed",
                    old_buf_len, *old_len);
    return status < 0 ? core_failure(status, "ehm_exchange") : status;
}

int ehm_get(const ehm_map *map, const void *key, size_t key_len, const void **value,
            size_t *value_len) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_get", "map");
    return core(map)->ops().get(core(map), key, key_len, value, value_len);
}

// The arguments of a copy-out call that the core does not check: the key
// first, as every call checks it first.
__attribute__((cold, noinline)) int copy_out_refusal(const Map &map, const void *key,
                                                     size_t key_len, const void *buf,
                                                     size_t buf_len, const size_t *value_len,
                                                     const char *function) {
    int status = map.explain_key(function, Blob{key, key_len});
    if (status != EHM_OK) return status;
    if (value_len == nullptr) return null_argument(function, "value_len");
    (void)buf;
    return fail(EHM_EINVAL, function,
                "buf is NULL with buf_len %zu; NULL is allowed only with length 0", buf_len);
}

int ehm_get_copy(const ehm_map *map, const void *key, size_t key_len, void *buf, size_t buf_len,
                 size_t *value_len) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_get_copy", "map");
    if (value_len == nullptr || (buf == nullptr && buf_len != 0))
        return copy_out_refusal(*core(map), key, key_len, buf, buf_len, value_len, "ehm_get_copy");
    const int status = core(map)->ops().get_copy(core(map), key, key_len, buf, buf_len, value_len);
    if (status == EHM_ERANGE)
        return fail(EHM_ERANGE, "ehm_get_copy", "buf_len is %zu but the value is %zu bytes",
                    buf_len, *value_len);
    return status;
}

int ehm_get_many(const ehm_map *map, size_t count, const void *const *keys, const size_t *key_lens,
                 const void **values, size_t *value_lens, int *statuses) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_get_many", "map");
    if (count == 0) return EHM_OK;
    if (keys == nullptr) return null_argument("ehm_get_many", "keys");
    if (key_lens == nullptr) return null_argument("ehm_get_many", "key_lens");
    if (statuses == nullptr) return null_argument("ehm_get_many", "statuses");
    for (size_t i = 0; i < count; ++i) {
        int status = core(map)->check_key(Blob{keys[i], key_lens[i]});
        if (status != EHM_OK) {
            char data[48], len[48];
            std::snprintf(data, sizeof data, "keys[%zu]", i);
            std::snprintf(len, sizeof len, "key_lens[%zu]", i);
            return blob_failure(status, "ehm_get_many", data, len, "key",
                                Blob{keys[i], key_lens[i]}, core(map)->layout().key_size);
        }
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
    clear_error();
    if (map == nullptr) return null_argument("ehm_remove", "map");
    return core(map)->ops().remove(core(map), key, key_len);
}

int ehm_remove_copy(ehm_map *map, const void *key, size_t key_len, void *buf, size_t buf_len,
                    size_t *value_len) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_remove_copy", "map");
    if (value_len == nullptr || (buf == nullptr && buf_len != 0))
        return copy_out_refusal(*core(map), key, key_len, buf, buf_len, value_len,
                                "ehm_remove_copy");
    const int status = core(map)->take(Blob{key, key_len}, buf, buf_len, value_len);
    if (status == EHM_ERANGE)
        return fail(status, "ehm_remove_copy",
                    "buf_len is %zu but the value is %zu bytes; nothing removed", buf_len,
                    *value_len);
    return status;
}

int ehm_contains(const ehm_map *map, const void *key, size_t key_len) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_contains", "map");
    return core(map)->ops().contains(core(map), key, key_len);
}

int ehm_contains_value(const ehm_map *map, const void *value, size_t value_len) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_contains_value", "map");
    int status = core(map)->explain_value("ehm_contains_value", Blob{value, value_len});
    if (status != EHM_OK) return status;
    return core(map)->contains_value(Blob{value, value_len}) ? 1 : 0;
}

size_t ehm_size(const ehm_map *map) {
    clear_error();
    return map == nullptr ? 0 : static_cast<size_t>(core(map)->size());
}

size_t ehm_capacity(const ehm_map *map) {
    clear_error();
    return map == nullptr ? 0 : static_cast<size_t>(core(map)->capacity());
}

int ehm_reserve(ehm_map *map, size_t entries) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_reserve", "map");
    int status = guarded([&] { return core(map)->reserve(entries); });
    if (status == EHM_ETOOBIG)
        return fail(status, "ehm_reserve",
                    "entries is %zu, beyond the largest supported capacity; the map is unchanged",
                    entries);
    return status < 0 ? core_failure(status, "ehm_reserve") : status;
}

int ehm_clear(ehm_map *map) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_clear", "map");
    core(map)->clear();
    return EHM_OK;
}

int ehm_equal(const ehm_map *a, const ehm_map *b) {
    clear_error();
    if (a == nullptr) return null_argument("ehm_equal", "a");
    if (b == nullptr) return null_argument("ehm_equal", "b");
    return core(a)->equals(*core(b)) ? 1 : 0;
}

uint64_t ehm_hash(const ehm_map *map) {
    clear_error();
    return map == nullptr ? 0 : core(map)->content_hash();
}

int ehm_next(const ehm_map *map, size_t *cursor, const void **key, size_t *key_len,
             const void **value, size_t *value_len) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_next", "map");
    if (cursor == nullptr) return null_argument("ehm_next", "cursor");
    Blob k{}, v{};
    int status = core(map)->next(cursor, &k, &v);
    if (status == EHM_EINVAL)
        return fail(status, "ehm_next",
                    "*cursor carries generation tag %u but the map's is %u: an insertion, rebuild "
                    "or clear since the cursor was made invalidated it; start again with "
                    "*cursor = 0",
                    Map::cursor_tag_of(*cursor), core(map)->cursor_tag());
    if (status != EHM_OK) return status;
    if (key != nullptr) *key = k.data;
    if (key_len != nullptr) *key_len = k.len;
    if (value != nullptr) *value = v.data;
    if (value_len != nullptr) *value_len = v.len;
    return EHM_OK;
}

int ehm_stats_get(const ehm_map *map, ehm_stats *out) {
    clear_error();
    if (map == nullptr) return null_argument("ehm_stats_get", "map");
    if (out == nullptr) return null_argument("ehm_stats_get", "out");
    const uint32_t size = out->struct_size;
    int status = check_struct_size(out, size, kStatsV1Size, sizeof(ehm_stats), "ehm_stats_get",
                                   "out", "set it to sizeof(ehm_stats)");
    if (status != EHM_OK) return status;
    ehm_stats stats;
    std::memset(&stats, 0, sizeof stats);
    core(map)->stats(stats);
    stats.struct_size = size;
    std::memcpy(out, &stats, size < sizeof stats ? size : sizeof stats);
    return EHM_OK;
}

int ehm_probe_count(const ehm_map *map, const void *key, size_t key_len, uint64_t *probes) {
    ehm::detail::LookupCost cost;
    const int status = measure_lookup(map, key, key_len, probes, "ehm_probe_count", "probes", cost);
    if (status == EHM_OK || status == EHM_NOTFOUND) *probes = cost.probes;
    return status;
}

int ehm_probe_fetches(const ehm_map *map, const void *key, size_t key_len, uint64_t *fetches) {
    ehm::detail::LookupCost cost;
    const int status =
        measure_lookup(map, key, key_len, fetches, "ehm_probe_fetches", "fetches", cost);
    if (status == EHM_OK || status == EHM_NOTFOUND) *fetches = cost.fetches;
    return status;
}

} // extern "C"
