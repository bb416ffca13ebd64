#include "errors.hpp"

#include <ehm/ehm.h>

#include <cinttypes>
#include <cstdarg>
#include <cstdio>

namespace ehm::detail {

__thread char last_error[kMessageSize] __attribute__((tls_model("initial-exec")));

int fail(int status, const char *function, const char *format, ...) {
    int used = std::snprintf(last_error, kMessageSize, "%s: ", function);
    if (used < 0 || static_cast<size_t>(used) >= kMessageSize) used = 0;
    va_list args;
    va_start(args, format);
    std::vsnprintf(last_error + used, kMessageSize - static_cast<size_t>(used), format, args);
    va_end(args);
    return status;
}

int null_argument(const char *function, const char *argument) {
    return fail(EHM_EINVAL, function, "%s is NULL", argument);
}

int blob_failure(int status, const char *function, const char *data, const char *len,
                 const char *what, Blob blob, uint32_t fixed_size) {
    if (blob.data == nullptr && blob.len != 0)
        return fail(status, function, "%s is NULL with %s %zu; NULL is allowed only with length 0",
                    data, len, blob.len);
    if (fixed_size != 0 && blob.len != fixed_size)
        return fail(status, function, "%s is %zu but the map's %s_size is %" PRIu32, len, blob.len,
                    what, fixed_size);
    return fail(status, function, "%s is %zu, beyond the longest supported length %zu", len,
                blob.len, kMaxBlobLength);
}

} // namespace ehm::detail
