// Versioned-struct fuzzer: ehm_config (through ehm_create) and ehm_stats
// (through ehm_stats_get) with arbitrary struct_size, flags, delta, capacity,
// seed, fixed sizes and allocator, and non-zero bytes anywhere in the tail
// beyond today's layout.
//
// The struct sits at the start of a zeroed region of kRegionBytes followed by
// a page that faults on access, so a struct_size of up to kRegionBytes is
// honest (the caller really owns that many bytes) and a read past the region
// crashes. Larger sizes must be refused unread with EHM_EVERSION: the C
// boundary rejects any struct above 1 MiB, a size no layout will ever reach.
//
// Expected results follow the contract: too small is EHM_EINVAL, a non-zero
// tail EHM_EVERSION, bad flags, delta or allocator EHM_EINVAL (when several
// faults meet, any of their codes), and otherwise EHM_OK, or EHM_ENOMEM only
// when the allocator refused, or EHM_ETOOBIG only for capacities needing 2^40
// slots or more. A map that was created must then work.
#include <ehm/ehm.h>

#include "fuzz_input.hpp"
#include "test_allocator.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <set>
#include <string>
#include <vector>

namespace {

using ehm_fuzz::FuzzInput;

constexpr size_t kRegionBytes = size_t{1} << 20;
// Requests above this fail in the test allocator, so that huge capacities
// cost nothing but still reach the allocation.
constexpr size_t kAllocationBudget = size_t{16} << 20;
constexpr double kTooBigSlots = 1099511627776.0; // 2^40

// kRegionBytes of zeroes, then a page that faults. Mapped once per process.
unsigned char *region() {
    static unsigned char *base = [] {
        const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
        void *p = mmap(nullptr, kRegionBytes + page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        FUZZ_CHECK(p != MAP_FAILED);
        auto *bytes = static_cast<unsigned char *>(p);
        FUZZ_CHECK(mprotect(bytes + kRegionBytes, page, PROT_NONE) == 0);
        return bytes;
    }();
    return base;
}

// Sizes around every boundary: today's size, just below and above it, the
// region's end, 2^31 and 2^32.
uint32_t draw_struct_size(FuzzInput &in, uint32_t known) {
    switch (in.byte() % 8) {
    case 0:
        return known;
    case 1:
        return known + static_cast<uint32_t>(in.below(64));
    case 2:
        return known - 1 - static_cast<uint32_t>(in.below(known));
    case 3:
        return in.u32();
    case 4:
        return UINT32_MAX - static_cast<uint32_t>(in.below(16));
    case 5:
        return 0x80000000u - 8 + static_cast<uint32_t>(in.below(16));
    case 6:
        return static_cast<uint32_t>(kRegionBytes) - 8 + static_cast<uint32_t>(in.below(16));
    default:
        return known + static_cast<uint32_t>(in.below(4096));
    }
}

// Writes up to three non-zero bytes into the tail [known, struct_size) that
// lies inside the region; returns their offsets.
std::vector<size_t> dirty_tail(FuzzInput &in, uint32_t struct_size, size_t known) {
    std::vector<size_t> offsets;
    if (struct_size <= known) return offsets;
    const size_t tail = std::min<size_t>(struct_size, kRegionBytes) - known;
    for (unsigned n = in.byte() % 4; n > 0 && tail > 0; --n) {
        const size_t at = known + in.u32() % tail;
        region()[at] = static_cast<unsigned char>(in.byte() | 1);
        offsets.push_back(at);
    }
    return offsets;
}

void clean_region(size_t known, const std::vector<size_t> &dirty) {
    std::memset(region(), 0, known);
    for (size_t at : dirty) region()[at] = 0;
}

double draw_delta(FuzzInput &in) {
    static const double kTable[] = {
        EHM_DEFAULT_DELTA, 0.5, 1e-300, 5e-324, 0.999999999, 1.0 - 1e-16, 0.0, 1.0, -0.5, 2.0, NAN,
        INFINITY,          -0.0};
    switch (in.byte() % 4) {
    case 0: {
        const uint64_t bits = in.u64();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return d;
    }
    case 1:
        return kTable[in.below(sizeof kTable / sizeof kTable[0])];
    default:
        return (in.u32() + 1.0) / 4294967298.0; // inside (0, 1)
    }
}

uint64_t draw_capacity(FuzzInput &in) {
    switch (in.byte() % 4) {
    case 0:
        return in.below(5000);
    case 1:
        return in.u64();
    case 2:
        return UINT64_MAX - in.below(1 << 16);
    default:
        return uint64_t{1} << (in.byte() % 64);
    }
}

uint32_t draw_fixed_size(FuzzInput &in) {
    const uint8_t mode = in.byte();
    if (mode < 128) return 0;
    if (mode < 240) return mode % 140;
    return in.u32();
}

// A fresh map created from `cfg` takes a few entries of its layout and keeps them.
void exercise(ehm_map *map, const ehm_config &cfg, ehm_test::TestAllocator &alloc, FuzzInput &in) {
    FUZZ_CHECK(ehm_capacity(map) >= cfg.capacity);
    FUZZ_CHECK(ehm_size(map) == 0);
    if (cfg.key_size > 4096 || cfg.value_size > 4096) return;
    std::vector<std::pair<std::string, std::string>> kept;
    for (unsigned i = in.byte() % 16; i > 0; --i) {
        const std::string key = in.bytes(cfg.key_size != 0 ? cfg.key_size : in.below(40));
        const std::string value = in.bytes(cfg.value_size != 0 ? cfg.value_size : in.below(40));
        const uint64_t failed_before = alloc.failed_allocations();
        const int status = ehm_put(map, key.data(), key.size(), value.data(), value.size());
        if (status == EHM_ENOMEM) {
            FUZZ_CHECK(alloc.failed_allocations() > failed_before);
            continue;
        }
        FUZZ_CHECK(status == EHM_OK);
        bool replaced = false;
        for (auto &entry : kept) {
            if (entry.first != key) continue;
            entry.second = value;
            replaced = true;
        }
        if (!replaced) kept.emplace_back(key, value);
    }
    FUZZ_CHECK(ehm_size(map) == kept.size());
    for (const auto &entry : kept) {
        char buffer[4096];
        size_t length = 0;
        FUZZ_CHECK(ehm_get_copy(map, entry.first.data(), entry.first.size(), buffer, sizeof buffer,
                                &length) == EHM_OK);
        FUZZ_CHECK(std::string(buffer, length) == entry.second);
    }
    if (cfg.key_size != 0) {
        const std::string wrong(cfg.key_size + 1, 'k');
        FUZZ_CHECK(ehm_put(map, wrong.data(), wrong.size(), nullptr, 0) == EHM_EINVAL);
    }
}

// ---- ehm_config ------------------------------------------------------------

struct ConfigCase {
    ehm_config cfg;
    ehm_allocator allocator;
    bool system_allocator;
};

ConfigCase draw_config(FuzzInput &in, const ehm_test::TestAllocator &alloc) {
    ConfigCase c{};
    ehm_config_init(&c.cfg);
    c.cfg.flags = (in.byte() & 1) != 0 ? in.u32() : EHM_FLAG_FIXED_SEED * (in.byte() & 1);
    c.cfg.capacity = draw_capacity(in);
    c.cfg.delta = draw_delta(in);
    c.cfg.seed = in.u64();
    c.cfg.key_size = draw_fixed_size(in);
    c.cfg.value_size = draw_fixed_size(in);
    c.allocator = *alloc.get();
    switch (in.byte() % 4) {
    case 0:
        c.allocator.alloc = nullptr;
        break;
    case 1:
        c.allocator.free = nullptr;
        break;
    case 2:
        // The C library's allocator only where nothing can ask it for much.
        c.system_allocator = c.cfg.capacity <= 5000 && c.cfg.delta >= 1e-12 && c.cfg.delta <= 0.5;
        break;
    default:
        break;
    }
    c.cfg.allocator = c.system_allocator ? nullptr : &c.allocator;
    return c;
}

std::set<int> config_faults(const ehm_config &cfg, uint32_t struct_size, bool dirty_tail) {
    std::set<int> faults;
    if (struct_size < sizeof(ehm_config)) return {EHM_EINVAL};
    if (struct_size > kRegionBytes) return {EHM_EVERSION};
    if (dirty_tail) faults.insert(EHM_EVERSION);
    const bool delta_ok = cfg.delta > 0.0 && cfg.delta < 1.0;
    const bool allocator_ok = cfg.allocator == nullptr ||
                              (cfg.allocator->alloc != nullptr && cfg.allocator->free != nullptr);
    const uint32_t known_flags = EHM_FLAG_FIXED_SEED | EHM_FLAG_NO_HUGE_PAGES;
    if ((cfg.flags & ~known_flags) != 0 || !delta_ok || !allocator_ok) faults.insert(EHM_EINVAL);
    return faults;
}

void fuzz_config(FuzzInput &in) {
    ehm_test::TestAllocator alloc;
    alloc.fail_above(kAllocationBudget);
    const uint32_t struct_size = draw_struct_size(in, sizeof(ehm_config));
    ConfigCase c = draw_config(in, alloc);
    c.cfg.struct_size = struct_size;
    std::memcpy(region(), &c.cfg, sizeof c.cfg);
    const std::vector<size_t> dirty = dirty_tail(in, struct_size, sizeof(ehm_config));
    const std::set<int> faults = config_faults(c.cfg, struct_size, !dirty.empty());

    ehm_map *map = reinterpret_cast<ehm_map *>(&c); // non-NULL: a failure must reset it
    const int status = ehm_create(&map, reinterpret_cast<const ehm_config *>(region()));
    clean_region(sizeof(ehm_config), dirty);

    if (!faults.empty()) {
        FUZZ_CHECK(faults.count(status) == 1);
    } else if (status == EHM_ENOMEM) {
        FUZZ_CHECK(alloc.failed_allocations() > 0);
    } else if (status == EHM_ETOOBIG) {
        const double free_fraction = std::max(1.0 - c.cfg.delta, std::ldexp(1.0, -32));
        FUZZ_CHECK(static_cast<double>(c.cfg.capacity) / free_fraction >= kTooBigSlots);
    } else {
        FUZZ_CHECK(status == EHM_OK);
    }
    if (status != EHM_OK) {
        FUZZ_CHECK(map == nullptr);
        FUZZ_CHECK(alloc.live_bytes() == 0);
        return;
    }
    FUZZ_CHECK(map != nullptr);
    exercise(map, c.cfg, alloc, in);
    ehm_destroy(map);
    FUZZ_CHECK(alloc.live_bytes() == 0);
    FUZZ_CHECK(alloc.bad_frees() == 0);
}

// ---- ehm_stats -------------------------------------------------------------

void fuzz_stats(FuzzInput &in) {
    ehm_test::TestAllocator alloc;
    ehm_config cfg;
    ehm_config_init(&cfg);
    cfg.allocator = alloc.get();
    cfg.flags = EHM_FLAG_FIXED_SEED; // the same input must take the same paths
    cfg.seed = in.u64();
    ehm_map *map = nullptr;
    FUZZ_CHECK(ehm_create(&map, &cfg) == EHM_OK);
    const unsigned entries = in.byte();
    for (unsigned i = 0; i < entries; ++i) FUZZ_CHECK(ehm_put(map, &i, sizeof i, "v", 1) == EHM_OK);
    for (unsigned i = 0; i < entries; i += 3) FUZZ_CHECK(ehm_remove(map, &i, sizeof i) == EHM_OK);

    const uint32_t struct_size = draw_struct_size(in, sizeof(ehm_stats));
    const std::string garbage = in.bytes(sizeof(ehm_stats));
    std::memcpy(region(), garbage.data(), garbage.size());
    std::memcpy(region(), &struct_size, sizeof struct_size);
    const std::vector<size_t> dirty = dirty_tail(in, struct_size, sizeof(ehm_stats));
    std::vector<unsigned char> before(region(), region() + sizeof(ehm_stats));

    auto *out = reinterpret_cast<ehm_stats *>(region());
    const int status = ehm_stats_get(map, out);
    int expected = EHM_OK;
    if (struct_size < sizeof(ehm_stats)) {
        expected = EHM_EINVAL;
    } else if (struct_size > kRegionBytes || !dirty.empty()) {
        expected = EHM_EVERSION;
    }
    FUZZ_CHECK(status == expected);
    if (status != EHM_OK) {
        FUZZ_CHECK(std::memcmp(before.data(), region(), before.size()) == 0);
    } else {
        FUZZ_CHECK(out->struct_size == struct_size);
        FUZZ_CHECK(out->size == ehm_size(map));
        FUZZ_CHECK(out->capacity == ehm_capacity(map));
        FUZZ_CHECK(out->memory_bytes == alloc.live_bytes());
        FUZZ_CHECK(out->size + out->tombstones <= out->capacity);
        FUZZ_CHECK(out->probe_width >= 1);
        FUZZ_CHECK(out->insert_probes_max <= out->insert_probes_total);
        // Nothing is written past today's layout.
        const size_t tail = std::min<size_t>(struct_size, kRegionBytes) - sizeof(ehm_stats);
        const unsigned char *after = region() + sizeof(ehm_stats);
        for (size_t i = 0; i < tail && i < 64; ++i) FUZZ_CHECK(after[i] == 0);
    }
    clean_region(sizeof(ehm_stats), dirty);
    ehm_destroy(map);
    FUZZ_CHECK(alloc.live_bytes() == 0);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FuzzInput in(data, size);
    if ((in.byte() & 1) == 0) {
        fuzz_config(in);
    } else {
        fuzz_stats(in);
    }
    return 0;
}
