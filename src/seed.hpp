#pragma once

#include <cstdint>

namespace ehm::detail {

// A fresh seed per map, from the kernel's random source; falls back to a mix
// of the clock and an address when that source is unavailable.
uint64_t random_seed(const void *salt);

} // namespace ehm::detail
