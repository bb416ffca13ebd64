// Which compiled paths serve which layout. Fixed key and value sizes of 4, 8
// and 16 bytes get paths of their own, with every size a constant; other
// inline sizes share one path with sizes read at run time, and node entries
// another.
#include "entry_paths.hpp"

namespace ehm::detail {

namespace {

template <uint32_t K>
const EntryOps *fixed_key_ops(uint32_t value_size) {
    switch (value_size) {
    case 4:
        return &EntryPaths<FixedInline<K, 4>>::kOps;
    case 8:
        return &EntryPaths<FixedInline<K, 8>>::kOps;
    case 16:
        return &EntryPaths<FixedInline<K, 16>>::kOps;
    default:
        return nullptr;
    }
}

} // namespace

const EntryOps &entry_ops_for(const EntryLayout &layout) {
    if (!layout.inline_entries) return EntryPaths<Nodes>::kOps;
    const EntryOps *fixed = nullptr;
    switch (layout.key_size) {
    case 4:
        fixed = fixed_key_ops<4>(layout.value_size);
        break;
    case 8:
        fixed = fixed_key_ops<8>(layout.value_size);
        break;
    case 16:
        fixed = fixed_key_ops<16>(layout.value_size);
        break;
    default:
        break;
    }
    return fixed != nullptr ? *fixed : EntryPaths<InlineAny>::kOps;
}

} // namespace ehm::detail
