// Why this thread's last failing call failed (ehm_last_error).
//
// One buffer per thread. Every C entry point that can fail clears it with one
// store on entry; only a failing call, on its cold path, writes a message.
// The initial-exec model makes the store a plain %fs-relative write, with no
// call to __tls_get_addr. The core writes the messages for what it checks
// itself (the key and value lengths on the per-key paths), the C boundary for
// the rest.
#pragma once

#include "layout.hpp"

#include <cstddef>
#include <cstdint>

namespace ehm::detail {

inline constexpr size_t kMessageSize = 256;
// __thread, not thread_local: a thread_local defined in another file is reached
// through a wrapper call in case it needs dynamic initialization.
extern __thread char last_error[kMessageSize] __attribute__((tls_model("initial-exec")));

inline void clear_error() {
    last_error[0] = '\0';
}

// Records "function: message" and returns status.
__attribute__((cold, noinline, format(printf, 3, 4))) int fail(int status, const char *function,
                                                               const char *format, ...);

__attribute__((cold, noinline)) int null_argument(const char *function, const char *argument);

// Why a key or value blob was refused: `data` and `len` name the arguments,
// `what` is "key" or "value", `fixed_size` the map's size for it (0: any).
__attribute__((cold, noinline)) int blob_failure(int status, const char *function, const char *data,
                                                 const char *len, const char *what, Blob blob,
                                                 uint32_t fixed_size);

} // namespace ehm::detail
