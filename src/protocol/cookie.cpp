#include "protocol/cookie.hpp"

#include <algorithm>
#include <cstring>
#include <span>

#include "crypto/aead.hpp"
#include "crypto/blake2s.hpp"

namespace wgx::protocol {

namespace {

std::span<const std::uint8_t> label(const char* s) {
    return {reinterpret_cast<const std::uint8_t*>(s), std::strlen(s)};
}

/// HASH(label || public key): the key of MAC1 ("mac1----") or of the cookie AEAD ("cookie--").
Key labelled_key(const char* l, const Key& public_key) {
    Key k;
    crypto::blake2s_hash(k.data(), {label(l), public_key.view()});
    return k;
}

void mac(std::uint8_t* out, std::span<const std::uint8_t> key, ByteView data) {
    crypto::blake2s_mac(std::span(out, MAC_SIZE), key, {data});
}

std::size_t mac1_offset(ByteView m) {
    return m.size() - 2 * MAC_SIZE;
}
std::size_t mac2_offset(ByteView m) {
    return m.size() - MAC_SIZE;
}

} // namespace

void CookieChecker::set_public_key(const std::optional<Key>& our_public_key) {
    have_key_ = our_public_key.has_value();
    mac1_key_ = have_key_ ? labelled_key(LABEL_MAC1, *our_public_key) : Key();
    cookie_key_ = have_key_ ? labelled_key(LABEL_COOKIE, *our_public_key) : Key();
}

bool CookieChecker::check_mac1(ByteView m) const {
    if (!have_key_ || m.size() < 2 * MAC_SIZE)
        return false;
    std::uint8_t expected[MAC_SIZE];
    mac(expected, mac1_key_.view(), m.first(mac1_offset(m)));
    return crypto::equal_ct(expected, m.data() + mac1_offset(m), MAC_SIZE);
}

void CookieChecker::make_cookie(std::uint8_t* out, const Endpoint& from, MonoTime now,
                                crypto::Random& random) {
    if (!secret_birth_ || now >= *secret_birth_ + COOKIE_SECRET_MAX_AGE) {
        random.fill(secret_.mut_view());
        secret_birth_ = now;
    }
    // A_m: the source IP and port (big-endian), so a cookie is good only for that address.
    IpAddress ip = from.address();
    std::uint8_t port[2] = {std::uint8_t(from.port() >> 8), std::uint8_t(from.port())};
    crypto::blake2s_mac(std::span(out, COOKIE_SIZE), secret_.view(),
                        {std::span(ip.bytes.data(), ip.size()), std::span(port, 2)});
}

bool CookieChecker::check_mac2(ByteView m, const Endpoint& from, MonoTime now,
                               crypto::Random& random) {
    if (m.size() < 2 * MAC_SIZE)
        return false;
    // A sender without a cookie leaves MAC2 all zeros (what a flood sends): no need to compute.
    ByteView given = m.subspan(mac2_offset(m), MAC_SIZE);
    if (std::all_of(given.begin(), given.end(), [](std::uint8_t b) { return b == 0; }))
        return false;
    std::uint8_t cookie[COOKIE_SIZE], expected[MAC_SIZE];
    make_cookie(cookie, from, now, random);
    mac(expected, std::span(cookie, COOKIE_SIZE), m.first(mac2_offset(m)));
    return crypto::equal_ct(expected, m.data() + mac2_offset(m), MAC_SIZE);
}

void CookieChecker::create_reply(ByteView m, std::uint32_t receiver_index, const Endpoint& from,
                                 MonoTime now, crypto::Random& random, std::uint8_t* out) {
    write_header(out, MESSAGE_HANDSHAKE_COOKIE);
    store_le32(out + cookie_reply::RECEIVER, receiver_index);
    random.fill(std::span(out + cookie_reply::NONCE, COOKIE_NONCE_SIZE));
    std::uint8_t cookie[COOKIE_SIZE];
    make_cookie(cookie, from, now, random);
    crypto::xaead_seal(cookie_key_,
                       std::span<const std::uint8_t, COOKIE_NONCE_SIZE>(out + cookie_reply::NONCE,
                                                                        COOKIE_NONCE_SIZE),
                       std::span(cookie, COOKIE_SIZE), m.subspan(mac1_offset(m), MAC_SIZE),
                       out + cookie_reply::COOKIE);
    crypto::secure_zero(cookie, sizeof cookie);
}

void CookieMaker::set_peer_public_key(const Key& peer_public_key) {
    mac1_key_ = labelled_key(LABEL_MAC1, peer_public_key);
    cookie_key_ = labelled_key(LABEL_COOKIE, peer_public_key);
}

bool CookieMaker::has_fresh_cookie(MonoTime now) const {
    // The cookie is trusted a little less long than the responder keeps its secret.
    return cookie_birth_ && now < *cookie_birth_ + (COOKIE_SECRET_MAX_AGE - COOKIE_SECRET_LATENCY);
}

void CookieMaker::add_macs(MutableByteView m, MonoTime now) {
    std::size_t mac1_at = m.size() - 2 * MAC_SIZE, mac2_at = m.size() - MAC_SIZE;
    mac(m.data() + mac1_at, mac1_key_.view(), ByteView(m.data(), mac1_at));
    std::memcpy(last_mac1_.data(), m.data() + mac1_at, MAC_SIZE);
    sent_mac1_ = true;
    if (has_fresh_cookie(now))
        mac(m.data() + mac2_at, cookie_, ByteView(m.data(), mac2_at));
    else
        std::memset(m.data() + mac2_at, 0, MAC_SIZE);
}

bool CookieMaker::consume_reply(ByteView r, MonoTime now) {
    if (!sent_mac1_ || r.size() != cookie_reply::SIZE)
        return false;
    Mac cookie;
    if (!crypto::xaead_open(cookie_key_,
                            std::span<const std::uint8_t, COOKIE_NONCE_SIZE>(
                                r.data() + cookie_reply::NONCE, COOKIE_NONCE_SIZE),
                            r.subspan(cookie_reply::COOKIE, COOKIE_SIZE + TAG_SIZE), last_mac1_,
                            cookie.data()))
        return false;
    cookie_ = cookie;
    cookie_birth_ = now;
    sent_mac1_ = false;
    return true;
}

} // namespace wgx::protocol
