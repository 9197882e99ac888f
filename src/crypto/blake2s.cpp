#include "crypto/blake2s.hpp"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace wgx::crypto {

namespace {

// BLAKE2s written from RFC 7693 (sections 2 and 3). The handshake hashes about 55 times per
// message, mostly one or two blocks at a time: a direct implementation with its state on the
// stack avoids the generic digest interface's per-call set-up, which cost as much as the
// compression itself.

constexpr std::size_t BLOCK = 64;

// RFC 7693 2.6: the same initial values as SHA-256.
constexpr std::uint32_t IV[8] = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                                 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};

// RFC 7693 2.7: the message word permutation of each of the ten rounds.
constexpr std::uint8_t SIGMA[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

/// Wipes a fixed-size buffer of this file's working state. A handshake compresses about 90 blocks
/// and wipes each one's message and working vector: memset inlines to a few stores where a call
/// to sodium_memzero costs as much again, and the empty asm that takes the buffer's address and
/// clobbers memory keeps the compiler from dropping the stores as dead.
template <class T>
inline void wipe(T& buffer) {
    std::memset(&buffer, 0, sizeof buffer);
    __asm__ __volatile__("" : : "r"(&buffer) : "memory");
}

std::uint32_t load_le32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

void store_le32(std::uint8_t* p, std::uint32_t v) {
    p[0] = std::uint8_t(v);
    p[1] = std::uint8_t(v >> 8);
    p[2] = std::uint8_t(v >> 16);
    p[3] = std::uint8_t(v >> 24);
}

// RFC 7693 3.1: the mixing function G with BLAKE2s's rotations (R1..R4 = 16, 12, 8, 7).
inline void mix(std::uint32_t v[16], int a, int b, int c, int d, std::uint32_t x, std::uint32_t y) {
    v[a] = v[a] + v[b] + x;
    v[d] = std::rotr(v[d] ^ v[a], 16);
    v[c] = v[c] + v[d];
    v[b] = std::rotr(v[b] ^ v[c], 12);
    v[a] = v[a] + v[b] + y;
    v[d] = std::rotr(v[d] ^ v[a], 8);
    v[c] = v[c] + v[d];
    v[b] = std::rotr(v[b] ^ v[c], 7);
}

// One round (RFC 7693 3.2): columns, then diagonals. The schedule is a template argument so the
// compiler resolves every message index and keeps the working vector in registers.
template <std::size_t R>
inline void round(std::uint32_t v[16], const std::uint32_t m[16]) {
    constexpr const std::uint8_t* s = SIGMA[R];
    mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
    mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
    mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
    mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
    mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
    mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
    mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
    mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
}

template <std::size_t... R>
inline void rounds(std::uint32_t v[16], const std::uint32_t m[16], std::index_sequence<R...>) {
    (round<R>(v, m), ...);
}

/// One hash computation (RFC 7693 3.3): init with the parameter block's first word, update any
/// number of times, final once. The last block is only compressed by final (it carries the
/// final-block flag), so update keeps up to a full block buffered. Wiped on destruction: a keyed
/// hash holds its key in the buffer and every state derived from it.
class Blake2s {
  public:
    Blake2s(std::size_t out_len, std::span<const std::uint8_t> key) : out_len_(out_len) {
        std::memcpy(h_, IV, sizeof h_);
        // Parameter block: digest length, key length, fanout 1, depth 1; the rest zero.
        h_[0] ^= 0x01010000u ^ std::uint32_t(key.size()) << 8 ^ std::uint32_t(out_len);
        if (!key.empty()) {
            // A keyed hash starts with the key padded to a full block.
            std::memcpy(buffer_, key.data(), key.size());
            std::memset(buffer_ + key.size(), 0, BLOCK - key.size());
            buffered_ = BLOCK;
        }
    }
    /// A copy continues the same computation independently (HMAC keeps its padded-key states).
    Blake2s(const Blake2s&) = default;
    Blake2s& operator=(const Blake2s&) = delete;
    ~Blake2s() {
        wipe(h_);
        wipe(buffer_);
    }

    void update(std::span<const std::uint8_t> in) {
        const std::uint8_t* p = in.data();
        std::size_t n = in.size();
        if (n == 0)
            return;
        // Complete the buffered block; it is compressed only once more input follows.
        if (buffered_ > 0) {
            std::size_t take = std::min(n, BLOCK - buffered_);
            std::memcpy(buffer_ + buffered_, p, take);
            buffered_ += take;
            p += take;
            n -= take;
            if (n == 0)
                return;
            compress(buffer_, BLOCK, false);
            buffered_ = 0;
        }
        // Whole blocks straight from the input, keeping the last one (it may be final).
        while (n > BLOCK) {
            compress(p, BLOCK, false);
            p += BLOCK;
            n -= BLOCK;
        }
        std::memcpy(buffer_, p, n);
        buffered_ = n;
    }

    /// Compresses one whole block at once, before any other input: only when more input is
    /// sure to follow (the final flag belongs to the last block).
    void update_first_block_of_more(const std::uint8_t block[BLOCK]) {
        if (counter_ != 0 || buffered_ != 0)
            std::abort();
        compress(block, BLOCK, false);
    }

    void final(std::uint8_t* out) {
        std::memset(buffer_ + buffered_, 0, BLOCK - buffered_);
        compress(buffer_, buffered_, true);
        std::uint8_t full[HASH_LEN];
        for (int i = 0; i < 8; ++i)
            store_le32(full + 4 * i, h_[i]);
        std::memcpy(out, full, out_len_);
        wipe(full);
    }

  private:
    // RFC 7693 3.2: the compression function F, counting `bytes` more input.
    void compress(const std::uint8_t* block, std::size_t bytes, bool last) {
        counter_ += bytes;
        std::uint32_t m[16], v[16];
        for (int i = 0; i < 16; ++i)
            m[i] = load_le32(block + 4 * i);
        for (int i = 0; i < 8; ++i) {
            v[i] = h_[i];
            v[i + 8] = IV[i];
        }
        v[12] ^= std::uint32_t(counter_);
        v[13] ^= std::uint32_t(counter_ >> 32);
        if (last)
            v[14] = ~v[14];
        rounds(v, m, std::make_index_sequence<10>{});
        for (int i = 0; i < 8; ++i)
            h_[i] ^= v[i] ^ v[i + 8];
        wipe(m);
        wipe(v);
    }

    std::uint32_t h_[8];
    std::uint64_t counter_ = 0;
    std::uint8_t buffer_[BLOCK];
    std::size_t buffered_ = 0;
    std::size_t out_len_;
};

void hash_into(std::uint8_t out[HASH_LEN], std::span<const std::uint8_t> first, Parts parts) {
    Blake2s b(HASH_LEN, {});
    b.update(first);
    for (auto p : parts)
        b.update(p);
    b.final(out);
}

} // namespace

void blake2s_hash(std::uint8_t out[HASH_LEN], Parts parts) {
    hash_into(out, {}, parts);
}

void blake2s_mac(std::span<std::uint8_t> out, std::span<const std::uint8_t> key, Parts parts) {
    // WireGuard keys its MACs with 16- or 32-byte keys and asks for 16 or 32 bytes; RFC 7693
    // allows keys of up to 32 bytes and outputs of 1..32.
    if (key.size() > HASH_LEN || out.empty() || out.size() > HASH_LEN)
        std::abort();
    Blake2s b(out.size(), key);
    for (auto p : parts)
        b.update(p);
    b.final(out.data());
}

void hmac_blake2s(std::uint8_t out[HASH_LEN], std::span<const std::uint8_t> key, Parts parts) {
    // RFC 2104 over BLAKE2s (64-byte blocks): H(K ^ opad || H(K ^ ipad || text)). WireGuard's
    // keys are at most 32 bytes; a longer one would be hashed first.
    std::uint8_t pad[BLOCK] = {};
    if (key.size() > BLOCK)
        hash_into(pad, key, {});
    else
        std::memcpy(pad, key.data(), key.size());
    for (auto& b : pad)
        b ^= 0x36;
    std::uint8_t inner[HASH_LEN];
    hash_into(inner, pad, parts);
    for (auto& b : pad)
        b ^= 0x36 ^ 0x5c;
    hash_into(out, pad, {std::span<const std::uint8_t>(inner, HASH_LEN)});
    wipe(pad);
    wipe(inner);
}

namespace {

/// HMAC-BLAKE2s for a key of at most one block used for several messages: the two padded key
/// blocks are compressed once, not once per message. Only for non-empty messages (so the
/// padded block is never the last one).
class HmacKey {
  public:
    explicit HmacKey(std::span<const std::uint8_t> key) {
        std::uint8_t pad[BLOCK] = {};
        std::memcpy(pad, key.data(), key.size());
        for (auto& b : pad)
            b ^= 0x36;
        inner_.update_first_block_of_more(pad);
        for (auto& b : pad)
            b ^= 0x36 ^ 0x5c;
        outer_.update_first_block_of_more(pad);
        wipe(pad);
    }

    void mac(std::uint8_t out[HASH_LEN], std::span<const std::uint8_t> message) const {
        std::uint8_t inner[HASH_LEN];
        Blake2s in(inner_);
        in.update(message);
        in.final(inner);
        Blake2s o(outer_);
        o.update(std::span<const std::uint8_t>(inner, HASH_LEN));
        o.final(out);
        wipe(inner);
    }

  private:
    Blake2s inner_{HASH_LEN, {}};
    Blake2s outer_{HASH_LEN, {}};
};

} // namespace

void kdf(std::span<Key> outputs, const Key& key, std::span<const std::uint8_t> input) {
    Key prk;
    hmac_blake2s(prk.data(), key.view(), {input});
    // T1 = HMAC(prk, 0x1), Ti = HMAC(prk, Ti-1 || i): up to three MACs under one key.
    const HmacKey prk_mac(prk.view());
    std::uint8_t block[HASH_LEN + 1];
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        block[HASH_LEN] = std::uint8_t(i + 1);
        if (i == 0)
            prk_mac.mac(outputs[i].data(), std::span(block + HASH_LEN, 1));
        else
            prk_mac.mac(outputs[i].data(), std::span(block, HASH_LEN + 1));
        std::memcpy(block, outputs[i].data(), HASH_LEN);
    }
    wipe(block);
}

} // namespace wgx::crypto
