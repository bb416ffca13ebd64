// A group: the unit of one probe. Its 16-byte control word holds 15 slot tags
// and one overflow byte, so a single aligned load answers "which slots may
// hold this key", "which are free" and "did a key of this class pass here".
//
//   byte:  0 ... 14      15
//          tag tag ...   overflow
//
// Tag 0 is an empty slot, tag 1 a removed one (a tombstone), 2..255 a live
// entry whose hash has that tag. Overflow bit c is set when an insertion of
// class c found this group without a usable slot and went on; a lookup of
// class c may stop at the first group where its bit is clear. Bits are only
// ever set; rebuilds and clear() start them at zero again.
#pragma once

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ehm::detail {

inline constexpr uint8_t kEmptyTag = 0;
inline constexpr uint8_t kTombstoneTag = 1;
inline constexpr unsigned kOverflowByte = 15;
inline constexpr uint32_t kSlotMask = 0x7FFF;

// Bit k set when slot k's tag equals `tag`.
inline uint32_t match_tag(const uint8_t *ctrl, uint8_t tag) {
#if defined(__SSE2__)
    __m128i word = _mm_load_si128(reinterpret_cast<const __m128i *>(ctrl));
    __m128i hits = _mm_cmpeq_epi8(word, _mm_set1_epi8(static_cast<char>(tag)));
    return static_cast<uint32_t>(_mm_movemask_epi8(hits)) & kSlotMask;
#else
    uint32_t bits = 0;
    for (unsigned k = 0; k < 15; ++k) bits |= static_cast<uint32_t>(ctrl[k] == tag) << k;
    return bits;
#endif
}

inline uint32_t match_empty(const uint8_t *ctrl) {
    return match_tag(ctrl, kEmptyTag);
}

inline uint32_t match_live(const uint8_t *ctrl) {
#if defined(__SSE2__)
    __m128i word = _mm_load_si128(reinterpret_cast<const __m128i *>(ctrl));
    // live tags are >= 2: max(word, 2) == word
    __m128i live = _mm_cmpeq_epi8(_mm_max_epu8(word, _mm_set1_epi8(2)), word);
    return static_cast<uint32_t>(_mm_movemask_epi8(live)) & kSlotMask;
#else
    uint32_t bits = 0;
    for (unsigned k = 0; k < 15; ++k) bits |= static_cast<uint32_t>(ctrl[k] >= 2) << k;
    return bits;
#endif
}

inline unsigned lowest_bit(uint32_t bits) {
    return static_cast<unsigned>(__builtin_ctz(bits));
}

} // namespace ehm::detail
