#include "ipc/genetlink_codec.hpp"

#include <cerrno>
#include <cstring>
#include <limits>

#include <linux/time_types.h>
#include <linux/wireguard.h>

#include "ipc/genetlink_attr.hpp"

namespace wgx::ipc::genetlink {

namespace {

using nl::Attr;
using nl::AttrWriter;

ByteView key_bytes(const crypto::Key& k) {
    return ByteView(k.data(), k.size());
}

/// The bytes the smallest continuation of a peer needs beyond its nest header: public key,
/// flags, the allowed-IPs nest and one IPv6 entry.
constexpr std::size_t PEER_CONTINUATION_ROOM = 36 + 8 + 4 + 40;

bool put_allowed_ip(AttrWriter& w, const model::AllowedIp& a, bool native_removal) {
    std::size_t mark = w.size();
    auto nest = w.begin_nest(0);
    bool ok = nest && w.put_u16(WGALLOWEDIP_A_FAMILY, a.prefix.address.family) &&
              w.put(WGALLOWEDIP_A_IPADDR,
                    ByteView(a.prefix.address.bytes.data(), a.prefix.address.size())) &&
              w.put_u8(WGALLOWEDIP_A_CIDR_MASK, a.prefix.cidr);
    if (ok && a.remove && native_removal)
        ok = w.put_u32(ALLOWEDIP_A_FLAGS, ALLOWEDIP_F_REMOVE_ME);
    if (!ok) {
        w.cancel(mark);
        return false;
    }
    w.end_nest(*nest);
    return true;
}

/// The attributes a peer carries only in its first fragment.
bool put_peer_head(AttrWriter& w, const model::Peer& p) {
    if (p.preshared_key && !w.put(WGPEER_A_PRESHARED_KEY, key_bytes(*p.preshared_key)))
        return false;
    if (p.endpoint && p.endpoint->valid() &&
        !w.put(WGPEER_A_ENDPOINT, ByteView(reinterpret_cast<const std::uint8_t*>(p.endpoint->sa()),
                                           p.endpoint->sa_len())))
        return false;
    if (p.persistent_keepalive &&
        !w.put_u16(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, *p.persistent_keepalive))
        return false;
    return true;
}

/// Where the encoder stands: the next peer, its next allowed IP, and whether its first
/// fragment (the one with its preshared key, endpoint, keepalive, REPLACE_ALLOWEDIPS) went out.
struct Cursor {
    std::size_t peer = 0;
    std::size_t allowed_ip = 0;
    bool head_sent = false;

    bool operator==(const Cursor&) const = default;
};

/// Writes as much of peer `c.peer` as fits and advances the cursor. False when the message is
/// full: what fit stays in (closed), a fragment that would carry nothing new is dropped.
bool put_peer(AttrWriter& w, const model::Peer& p, Cursor& c, const SetEncoding& how) {
    std::size_t mark = w.size();
    auto nest = w.begin_nest(0);
    bool first = !c.head_sent;
    std::uint32_t flags =
        (p.remove ? std::uint32_t(WGPEER_F_REMOVE_ME) : 0U) |
        (p.update_only ? std::uint32_t(WGPEER_F_UPDATE_ONLY) : 0U) |
        (first && p.replace_allowed_ips ? std::uint32_t(WGPEER_F_REPLACE_ALLOWEDIPS) : 0U);
    bool ok = nest && w.put(WGPEER_A_PUBLIC_KEY, key_bytes(p.public_key)) &&
              (!first || p.remove || put_peer_head(w, p)) &&
              (!flags || w.put_u32(WGPEER_A_FLAGS, flags));
    if (!ok) {
        w.cancel(mark);
        return false;
    }
    std::size_t count = p.remove ? 0 : p.allowed_ips.size();
    std::size_t before = c.allowed_ip;
    if (c.allowed_ip < count) {
        std::size_t list_mark = w.size();
        auto list = w.begin_nest(WGPEER_A_ALLOWEDIPS);
        while (list && c.allowed_ip < count &&
               put_allowed_ip(w, p.allowed_ips[c.allowed_ip], how.native_allowed_ip_removal))
            ++c.allowed_ip;
        if (c.allowed_ip > before)
            w.end_nest(*list);
        else
            w.cancel(list_mark);
    }
    if (c.allowed_ip < count) {
        if (first || c.allowed_ip > before) {
            w.end_nest(*nest);
            c.head_sent = true;
        } else {
            w.cancel(mark);
        }
        return false;
    }
    w.end_nest(*nest);
    c = Cursor{c.peer + 1, 0, false};
    return true;
}

} // namespace

Result<std::vector<Bytes>> encode_set_device(const model::Device& update, const SetEncoding& how) {
    if (!how.native_allowed_ip_removal)
        for (const auto& p : update.peers)
            for (const auto& a : p.allowed_ips)
                if (a.remove && !p.remove)
                    return make_error("allowed-IP removal needs WGALLOWEDIP_F_REMOVE_ME", EINVAL);
    std::vector<Bytes> messages;
    Cursor c;
    for (bool first_message = true;; first_message = false) {
        AttrWriter w(how.max_attrs);
        if (!w.put_string(WGDEVICE_A_IFNAME, update.name))
            return make_error("interface name does not fit in a message", EMSGSIZE);
        if (first_message) {
            bool ok =
                (!update.private_key ||
                 w.put(WGDEVICE_A_PRIVATE_KEY, key_bytes(*update.private_key))) &&
                (!update.listen_port || w.put_u16(WGDEVICE_A_LISTEN_PORT, *update.listen_port)) &&
                (!update.fwmark || w.put_u32(WGDEVICE_A_FWMARK, *update.fwmark)) &&
                (!update.replace_peers || w.put_u32(WGDEVICE_A_FLAGS, WGDEVICE_F_REPLACE_PEERS));
            if (!ok)
                return make_error("device attributes do not fit in a message", EMSGSIZE);
        }
        Cursor before = c;
        if (c.peer < update.peers.size()) {
            if (auto peers = w.begin_nest(WGDEVICE_A_PEERS, PEER_CONTINUATION_ROOM)) {
                std::size_t inside = w.size();
                while (c.peer < update.peers.size() && put_peer(w, update.peers[c.peer], c, how))
                    ;
                if (w.size() > inside)
                    w.end_nest(*peers);
                else
                    w.cancel(*peers);
            }
        }
        if (!first_message && c == before)
            return make_error("a peer does not fit in a message", EMSGSIZE);
        messages.push_back(w.take());
        if (c.peer >= update.peers.size())
            break;
    }
    return messages;
}

Bytes encode_get_device(const std::string& ifname) {
    AttrWriter w(64 * 1024);
    (void)w.put_string(WGDEVICE_A_IFNAME, ifname);
    return w.take();
}

namespace {

Error malformed(const char* what) {
    return make_error(std::string("malformed wireguard netlink reply: ") + what, EPROTO);
}

std::optional<crypto::Key> key_of(const Attr& a) {
    if (a.payload.size() != crypto::KEY_LEN)
        return std::nullopt;
    return crypto::Key(
        std::span<const std::uint8_t, crypto::KEY_LEN>(a.payload.data(), crypto::KEY_LEN));
}

Result<model::AllowedIp> decode_allowed_ip(ByteView attrs) {
    std::optional<std::uint16_t> family;
    std::optional<std::uint8_t> cidr;
    ByteView addr;
    bool ok = nl::for_each_attr(attrs, [&](const Attr& a) {
        if (a.type == WGALLOWEDIP_A_FAMILY)
            family = a.u16();
        else if (a.type == WGALLOWEDIP_A_CIDR_MASK)
            cidr = a.u8();
        else if (a.type == WGALLOWEDIP_A_IPADDR)
            addr = a.payload;
    });
    if (!ok || !family || !cidr)
        return malformed("allowed IP");
    model::AllowedIp out;
    if (*family == AF_INET && addr.size() == 4 && *cidr <= 32)
        out.prefix.address = IpAddress::v4(addr.data());
    else if (*family == AF_INET6 && addr.size() == 16 && *cidr <= 128)
        out.prefix.address = IpAddress::v6(addr.data());
    else
        return malformed("allowed IP family, address or mask");
    out.prefix.cidr = *cidr;
    return out;
}

std::optional<Endpoint> decode_endpoint(ByteView p) {
    sockaddr_storage ss{};
    if (p.size() < sizeof(sa_family_t) || p.size() > sizeof ss)
        return std::nullopt;
    std::memcpy(&ss, p.data(), p.size());
    if ((ss.ss_family == AF_INET && p.size() == sizeof(sockaddr_in)) ||
        (ss.ss_family == AF_INET6 && p.size() == sizeof(sockaddr_in6)))
        return Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), socklen_t(p.size()));
    return std::nullopt;
}

/// A handshake time; nullopt for "never" (zero). Result error when it is out of range: the
/// kernel never sends one, and converting it to nanoseconds would overflow.
Result<std::optional<std::chrono::system_clock::time_point>> decode_time(ByteView p) {
    __kernel_timespec ts{};
    if (p.size() != sizeof ts)
        return std::optional<std::chrono::system_clock::time_point>();
    std::memcpy(&ts, p.data(), sizeof ts);
    if (ts.tv_sec == 0 && ts.tv_nsec == 0)
        return std::optional<std::chrono::system_clock::time_point>(); // never
    // Within about 292 years of the epoch, the range of system_clock's nanoseconds.
    constexpr std::int64_t max_seconds = std::numeric_limits<std::int64_t>::max() / 1000000000 - 1;
    if (ts.tv_sec < -max_seconds || ts.tv_sec > max_seconds || ts.tv_nsec < 0 ||
        ts.tv_nsec >= 1000000000)
        return malformed("last handshake time");
    auto d = std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
    return std::optional(std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(d)));
}

} // namespace

Result<void> DeviceDumpReader::add_peer(ByteView attrs) {
    model::Peer p;
    bool has_key = false;
    std::optional<Error> err;
    bool ok = nl::for_each_attr(attrs, [&](const Attr& a) {
        switch (a.type) {
        case WGPEER_A_PUBLIC_KEY:
            if (auto k = key_of(a)) {
                p.public_key = *k;
                has_key = true;
            }
            break;
        case WGPEER_A_PRESHARED_KEY:
            if (auto k = key_of(a); k && !k->is_zero())
                p.preshared_key = *k;
            break;
        case WGPEER_A_ENDPOINT:
            p.endpoint = decode_endpoint(a.payload);
            break;
        case WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL:
            p.persistent_keepalive = a.u16();
            break;
        case WGPEER_A_LAST_HANDSHAKE_TIME:
            if (auto t = decode_time(a.payload))
                p.last_handshake = *t;
            else if (!err)
                err = t.error();
            break;
        case WGPEER_A_RX_BYTES:
            p.rx_bytes = a.u64();
            break;
        case WGPEER_A_TX_BYTES:
            p.tx_bytes = a.u64();
            break;
        case WGPEER_A_PROTOCOL_VERSION:
            if (auto v = a.u32())
                p.protocol_version = *v;
            break;
        case WGPEER_A_ALLOWEDIPS:
            if (!nl::for_each_attr(a.payload,
                                   [&](const Attr& entry) {
                                       auto ip = decode_allowed_ip(entry.payload);
                                       if (ip)
                                           p.allowed_ips.push_back(*ip);
                                       else if (!err)
                                           err = ip.error();
                                   }) &&
                !err)
                err = malformed("allowed IPs");
            break;
        default:
            break;
        }
    });
    if (err)
        return *err;
    if (!ok || !has_key)
        return malformed("peer");
    // The continuation of the previous message's last peer (its allowed IPs did not fit).
    if (!device_.peers.empty() && device_.peers.back().public_key == p.public_key) {
        auto& last = device_.peers.back();
        for (auto& a : p.allowed_ips)
            last.allowed_ips.push_back(a);
        return {};
    }
    device_.peers.push_back(std::move(p));
    return {};
}

Result<void> DeviceDumpReader::add(ByteView attrs) {
    std::optional<Error> err;
    bool ok = nl::for_each_attr(attrs, [&](const Attr& a) {
        if (err)
            return;
        switch (a.type) {
        case WGDEVICE_A_PRIVATE_KEY:
            if (auto k = key_of(a); k && !k->is_zero())
                device_.private_key = *k;
            break;
        case WGDEVICE_A_PUBLIC_KEY:
            if (auto k = key_of(a); k && !k->is_zero())
                device_.public_key = *k;
            break;
        case WGDEVICE_A_LISTEN_PORT:
            if (auto v = a.u16(); v && *v)
                device_.listen_port = *v;
            break;
        case WGDEVICE_A_FWMARK:
            if (auto v = a.u32(); v && *v)
                device_.fwmark = *v;
            break;
        case WGDEVICE_A_PEERS:
            if (!nl::for_each_attr(a.payload,
                                   [&](const Attr& peer) {
                                       if (err)
                                           return;
                                       if (auto r = add_peer(peer.payload); !r)
                                           err = r.error();
                                   }) &&
                !err)
                err = malformed("peers");
            break;
        default:
            break;
        }
    });
    if (err)
        return *err;
    if (!ok)
        return malformed("device");
    return {};
}

} // namespace wgx::ipc::genetlink
