#pragma once
// MAC1, MAC2 and cookie replies (whitepaper §5.4.4, §5.4.7): the responder's CookieChecker and
// the initiator's per-peer CookieMaker.
#include <array>
#include <cstdint>
#include <optional>

#include "base/bytes.hpp"
#include "base/ip.hpp"
#include "base/now.hpp"
#include "crypto/key.hpp"
#include "crypto/random.hpp"
#include "protocol/messages.hpp"

namespace wgx::protocol {

using crypto::Key;
using Mac = std::array<std::uint8_t, MAC_SIZE>;

/// The device's side: checks MAC1/MAC2 of incoming handshake messages and creates cookie
/// replies. The cookie is a MAC of the sender's IP and port under a secret rotated every 120 s.
class CookieChecker {
  public:
    /// Derives the MAC1 and cookie keys from our public key (none: every MAC1 check fails).
    void set_public_key(const std::optional<Key>& our_public_key);
    /// True when the message's MAC1 is MAC(HASH("mac1----" || our public key), msg[..mac1]).
    bool check_mac1(ByteView message) const;
    /// True when the message's MAC2 is MAC(cookie for `from`, msg[..mac2]).
    bool check_mac2(ByteView message, const Endpoint& from, MonoTime now, crypto::Random& random);
    /// Writes a cookie reply (cookie_reply::SIZE bytes) to `message` from `from`.
    void create_reply(ByteView message, std::uint32_t receiver_index, const Endpoint& from,
                      MonoTime now, crypto::Random& random, std::uint8_t* out);

  private:
    void make_cookie(std::uint8_t* out, const Endpoint& from, MonoTime now, crypto::Random& random);

    bool have_key_ = false;
    Key mac1_key_;
    Key cookie_key_;
    Key secret_;
    std::optional<MonoTime> secret_birth_;
};

/// The initiator's side, one per peer: adds MAC1 and (with a fresh cookie) MAC2 to outgoing
/// handshake messages, and consumes cookie replies.
class CookieMaker {
  public:
    void set_peer_public_key(const Key& peer_public_key);
    /// Fills the last 32 bytes (mac1, mac2) of a handshake message.
    void add_macs(MutableByteView message, MonoTime now);
    /// Decrypts a cookie reply with the last MAC1 we sent as associated data and stores the
    /// cookie. False (nothing changes) when it does not authenticate or no MAC1 is outstanding.
    bool consume_reply(ByteView reply, MonoTime now);
    bool has_fresh_cookie(MonoTime now) const;

  private:
    Key mac1_key_;
    Key cookie_key_;
    Mac last_mac1_{};
    bool sent_mac1_ = false;
    Mac cookie_{};
    std::optional<MonoTime> cookie_birth_;
};

} // namespace wgx::protocol
