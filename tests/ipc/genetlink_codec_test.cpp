// The wireguard genetlink encoding against linux/wireguard.h's attribute layout, without a
// kernel: set requests (and their split), get dumps (and their coalescing), policy dumps.
#include <doctest/doctest.h>

#include <cstring>
#include <limits>
#include <map>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wireguard.h>

#include "ipc/genetlink_attr.hpp"
#include "ipc/genetlink_codec.hpp"
#include "ipc/genetlink_policy.hpp"

using namespace wgx;
using namespace wgx::ipc;
using nl::Attr;

namespace {

crypto::Key key(std::uint8_t fill) {
    std::array<std::uint8_t, 32> b{};
    b.fill(fill);
    return crypto::Key(b);
}

IpPrefix prefix(const char* text) {
    return *IpPrefix::parse(text);
}

/// Attributes of a stream by type (the last one of a type wins), and the list in order.
std::vector<Attr> attrs_of(ByteView b) {
    std::vector<Attr> out;
    REQUIRE(nl::for_each_attr(b, [&](const Attr& a) { out.push_back(a); }));
    return out;
}
std::optional<Attr> find(const std::vector<Attr>& v, std::uint16_t type) {
    for (const auto& a : v)
        if (a.type == type)
            return a;
    return std::nullopt;
}

/// What the kernel does with a sequence of set messages (drivers/net/wireguard/netlink.c as
/// documented in linux/wireguard.h), applied to a device model: the test's reference.
struct KernelModel {
    std::vector<model::Peer> peers;
    std::optional<crypto::Key> private_key;
    std::uint16_t port = 0;

    model::Peer* find_peer(const crypto::Key& k) {
        for (auto& p : peers)
            if (p.public_key == k)
                return &p;
        return nullptr;
    }
    void apply(ByteView msg) {
        auto dev = attrs_of(msg);
        REQUIRE(find(dev, WGDEVICE_A_IFNAME));
        if (auto f = find(dev, WGDEVICE_A_FLAGS); f && (*f->u32() & WGDEVICE_F_REPLACE_PEERS))
            peers.clear();
        if (auto k = find(dev, WGDEVICE_A_PRIVATE_KEY))
            private_key = crypto::Key(std::span<const std::uint8_t, 32>(k->payload.data(), 32));
        if (auto p = find(dev, WGDEVICE_A_LISTEN_PORT))
            port = *p->u16();
        auto peers_attr = find(dev, WGDEVICE_A_PEERS);
        if (!peers_attr)
            return;
        for (const auto& pa : attrs_of(peers_attr->payload)) {
            auto pv = attrs_of(pa.payload);
            auto pk = find(pv, WGPEER_A_PUBLIC_KEY);
            REQUIRE(pk);
            REQUIRE(pk->payload.size() == 32);
            crypto::Key k(std::span<const std::uint8_t, 32>(pk->payload.data(), 32));
            std::uint32_t flags = 0;
            if (auto f = find(pv, WGPEER_A_FLAGS))
                flags = *f->u32();
            model::Peer* peer = find_peer(k);
            if (!peer) {
                if (flags & (WGPEER_F_REMOVE_ME | WGPEER_F_UPDATE_ONLY))
                    continue;
                peers.push_back(model::Peer{});
                peers.back().public_key = k;
                peer = &peers.back();
                flags &= ~std::uint32_t(WGPEER_F_REPLACE_ALLOWEDIPS);
            }
            if (flags & WGPEER_F_REMOVE_ME) {
                std::erase_if(peers, [&](const model::Peer& p) { return p.public_key == k; });
                continue;
            }
            if (auto psk = find(pv, WGPEER_A_PRESHARED_KEY))
                peer->preshared_key =
                    crypto::Key(std::span<const std::uint8_t, 32>(psk->payload.data(), 32));
            if (auto ka = find(pv, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL))
                peer->persistent_keepalive = ka->u16();
            if (auto ep = find(pv, WGPEER_A_ENDPOINT))
                peer->endpoint =
                    Endpoint::from_sockaddr(reinterpret_cast<const sockaddr*>(ep->payload.data()),
                                            socklen_t(ep->payload.size()));
            if (flags & WGPEER_F_REPLACE_ALLOWEDIPS)
                peer->allowed_ips.clear();
            if (auto list = find(pv, WGPEER_A_ALLOWEDIPS))
                for (const auto& e : attrs_of(list->payload)) {
                    auto ev = attrs_of(e.payload);
                    auto fam = find(ev, WGALLOWEDIP_A_FAMILY)->u16();
                    auto addr = find(ev, WGALLOWEDIP_A_IPADDR)->payload;
                    model::AllowedIp a;
                    a.prefix.address =
                        *fam == AF_INET ? IpAddress::v4(addr.data()) : IpAddress::v6(addr.data());
                    a.prefix.cidr = *find(ev, WGALLOWEDIP_A_CIDR_MASK)->u8();
                    peer->allowed_ips.push_back(a);
                }
        }
    }
};

model::Peer big_peer(std::uint8_t fill, unsigned count) {
    model::Peer p;
    p.public_key = key(fill);
    p.preshared_key = key(0x55);
    p.endpoint = Endpoint::parse("192.0.2.1:51820");
    p.persistent_keepalive = 25;
    p.replace_allowed_ips = true;
    for (unsigned i = 0; i < count; ++i) {
        std::string text = (i % 2) ? "fd00::" + std::to_string(i) + "/128"
                                   : "10." + std::to_string(i / 256 % 256) + "." +
                                         std::to_string(i % 256) + ".0/24";
        p.allowed_ips.push_back(model::AllowedIp{prefix(text.c_str()), false});
    }
    return p;
}

} // namespace

TEST_CASE("genetlink attr: writer and reader agree, puts that do not fit change nothing") {
    nl::AttrWriter w(40);
    CHECK(w.put_u16(1, 0x1234));
    auto nest = w.begin_nest(2);
    REQUIRE(nest);
    CHECK(w.put_u8(3, 7));
    w.end_nest(*nest);
    CHECK(w.size() == 8 + 4 + 8);
    std::size_t before = w.size();
    CHECK_FALSE(w.put(4, Bytes(20, 1)));
    CHECK(w.size() == before);
    auto v = attrs_of(w.bytes());
    REQUIRE(v.size() == 2);
    CHECK(*v[0].u16() == 0x1234);
    CHECK(v[1].type == 2); // NLA_F_NESTED is masked off
    std::uint16_t raw_type;
    std::memcpy(&raw_type, w.bytes().data() + 10, 2);
    CHECK((raw_type & NLA_F_NESTED) != 0);
    CHECK(*attrs_of(v[1].payload).at(0).u8() == 7);
    Bytes bad{8, 0, 1, 0}; // length beyond the buffer
    CHECK_FALSE(nl::for_each_attr(bad, [](const Attr&) {}));
}

TEST_CASE("genetlink set: one small update is one message with the documented layout") {
    model::Device d;
    d.name = "wg0";
    d.private_key = key(1);
    d.listen_port = 51820;
    d.fwmark = 0;
    d.replace_peers = true;
    model::Peer p;
    p.public_key = key(2);
    p.endpoint = Endpoint::parse("[fd00::1]:4500");
    p.allowed_ips.push_back({prefix("192.0.2.0/24"), false});
    d.peers.push_back(p);
    auto msgs = genetlink::encode_set_device(d);
    REQUIRE(msgs);
    REQUIRE(msgs->size() == 1);
    auto dev = attrs_of(msgs->front());
    CHECK(dev.at(0).type == WGDEVICE_A_IFNAME);
    CHECK(dev.at(0).string() == "wg0");
    CHECK(dev.at(0).payload.size() == 4); // NUL-terminated
    CHECK(find(dev, WGDEVICE_A_PRIVATE_KEY)->payload.size() == 32);
    CHECK(*find(dev, WGDEVICE_A_LISTEN_PORT)->u16() == 51820);
    CHECK(*find(dev, WGDEVICE_A_FWMARK)->u32() == 0);
    CHECK(*find(dev, WGDEVICE_A_FLAGS)->u32() == WGDEVICE_F_REPLACE_PEERS);
    auto peers = attrs_of(find(dev, WGDEVICE_A_PEERS)->payload);
    REQUIRE(peers.size() == 1);
    auto pv = attrs_of(peers[0].payload);
    CHECK(pv.at(0).type == WGPEER_A_PUBLIC_KEY);
    CHECK(find(pv, WGPEER_A_ENDPOINT)->payload.size() == sizeof(sockaddr_in6));
    CHECK_FALSE(find(pv, WGPEER_A_FLAGS)); // no flags -> no attribute
    auto ips = attrs_of(find(pv, WGPEER_A_ALLOWEDIPS)->payload);
    REQUIRE(ips.size() == 1);
    auto ip = attrs_of(ips[0].payload);
    CHECK(*find(ip, WGALLOWEDIP_A_FAMILY)->u16() == AF_INET);
    CHECK(find(ip, WGALLOWEDIP_A_IPADDR)->payload.size() == 4);
    CHECK(*find(ip, WGALLOWEDIP_A_CIDR_MASK)->u8() == 24);
    CHECK_FALSE(find(ip, genetlink::ALLOWEDIP_A_FLAGS));
}

TEST_CASE("genetlink set: a peer with 5,000 allowed IPs continues across messages") {
    model::Device d;
    d.name = "wg0";
    d.replace_peers = true;
    d.peers.push_back(big_peer(3, 5000));
    d.peers.push_back(big_peer(4, 3));
    genetlink::SetEncoding how;
    how.max_attrs = 4096;
    auto msgs = genetlink::encode_set_device(d, how);
    REQUIRE(msgs);
    CHECK(msgs->size() > 30);
    KernelModel k;
    k.peers.push_back(big_peer(9, 2)); // replaced by REPLACE_PEERS in the first message only
    for (std::size_t i = 0; i < msgs->size(); ++i) {
        const Bytes& m = (*msgs)[i];
        CHECK(m.size() <= how.max_attrs);
        auto dev = attrs_of(m);
        CHECK(find(dev, WGDEVICE_A_IFNAME)->string() == "wg0");
        CHECK(bool(find(dev, WGDEVICE_A_FLAGS)) == (i == 0));
        if (i > 0) {
            // Continuations: key, no REPLACE_ALLOWEDIPS, no head attributes.
            auto first_peer = attrs_of(attrs_of(find(dev, WGDEVICE_A_PEERS)->payload)[0].payload);
            CHECK_FALSE(find(first_peer, WGPEER_A_PRESHARED_KEY));
            if (auto f = find(first_peer, WGPEER_A_FLAGS))
                CHECK((*f->u32() & WGPEER_F_REPLACE_ALLOWEDIPS) == 0);
        }
        k.apply(m);
    }
    REQUIRE(k.peers.size() == 2);
    CHECK(k.peers[0].allowed_ips == d.peers[0].allowed_ips);
    CHECK(k.peers[1].allowed_ips == d.peers[1].allowed_ips);
    CHECK(*k.peers[0].persistent_keepalive == 25);
    CHECK(*k.peers[0].preshared_key == key(0x55));
}

TEST_CASE("genetlink set: 500 peers split across messages, each peer applied once") {
    model::Device d;
    d.name = "wgbig";
    d.private_key = key(7);
    for (unsigned i = 0; i < 500; ++i) {
        model::Peer p = big_peer(0, 2);
        std::array<std::uint8_t, 32> b{};
        b[0] = std::uint8_t(i);
        b[1] = std::uint8_t(i >> 8);
        b[2] = 1;
        p.public_key = crypto::Key(b);
        d.peers.push_back(p);
    }
    auto msgs = genetlink::encode_set_device(d, {8192, false});
    REQUIRE(msgs);
    CHECK(msgs->size() > 5);
    KernelModel k;
    for (const auto& m : *msgs)
        k.apply(m);
    REQUIRE(k.peers.size() == 500);
    for (unsigned i = 0; i < 500; ++i) {
        CHECK(k.peers[i].public_key == d.peers[i].public_key);
        CHECK(k.peers[i].allowed_ips == d.peers[i].allowed_ips);
    }
    CHECK(*k.private_key == key(7));
}

TEST_CASE("genetlink set: removals") {
    model::Device d;
    d.name = "wg0";
    model::Peer gone;
    gone.public_key = key(5);
    gone.remove = true;
    gone.allowed_ips.push_back({prefix("192.0.2.9/32"), false}); // not sent with a removal
    model::Peer trimmed;
    trimmed.public_key = key(6);
    trimmed.allowed_ips.push_back({prefix("198.51.100.0/24"), true});
    d.peers = {gone, trimmed};

    CHECK(genetlink::encode_set_device(d).error().code == EINVAL); // caller must emulate
    auto msgs = genetlink::encode_set_device(d, {4096, true});
    REQUIRE(msgs);
    auto peers = attrs_of(find(attrs_of(msgs->front()), WGDEVICE_A_PEERS)->payload);
    REQUIRE(peers.size() == 2);
    auto g = attrs_of(peers[0].payload);
    CHECK(g.size() == 2); // public key and flags only
    CHECK(*find(g, WGPEER_A_FLAGS)->u32() == WGPEER_F_REMOVE_ME);
    auto t = attrs_of(peers[1].payload);
    auto entry = attrs_of(attrs_of(find(t, WGPEER_A_ALLOWEDIPS)->payload).at(0).payload);
    CHECK(*find(entry, genetlink::ALLOWEDIP_A_FLAGS)->u32() == genetlink::ALLOWEDIP_F_REMOVE_ME);
}

TEST_CASE("genetlink set: update-only stays on every fragment of a peer") {
    model::Device d;
    d.name = "wg0";
    model::Peer p = big_peer(8, 400);
    p.update_only = true;
    d.peers.push_back(p);
    auto msgs = genetlink::encode_set_device(d, {2048, false});
    REQUIRE(msgs);
    REQUIRE(msgs->size() > 2);
    for (const auto& m : *msgs) {
        auto peers = attrs_of(find(attrs_of(m), WGDEVICE_A_PEERS)->payload);
        auto f = find(attrs_of(peers.at(0).payload), WGPEER_A_FLAGS);
        REQUIRE(f);
        CHECK((*f->u32() & WGPEER_F_UPDATE_ONLY) != 0);
    }
    KernelModel k; // the peer does not exist: nothing may create it
    for (const auto& m : *msgs)
        k.apply(m);
    CHECK(k.peers.empty());
}

namespace {

/// A get reply message the way the kernel writes it.
Bytes dump_message(bool first,
                   const std::vector<std::pair<crypto::Key, std::vector<IpPrefix>>>& peers,
                   bool head) {
    nl::AttrWriter w(1 << 20);
    if (first) {
        (void)w.put_u16(WGDEVICE_A_LISTEN_PORT, 51820);
        (void)w.put_u32(WGDEVICE_A_FWMARK, 0);
        (void)w.put_u32(WGDEVICE_A_IFINDEX, 5);
        (void)w.put_string(WGDEVICE_A_IFNAME, "wg0");
        (void)w.put(WGDEVICE_A_PRIVATE_KEY, key(1).view());
        (void)w.put(WGDEVICE_A_PUBLIC_KEY, key(2).view());
    } else {
        (void)w.put_string(WGDEVICE_A_IFNAME, "wg0");
    }
    auto pn = w.begin_nest(WGDEVICE_A_PEERS);
    for (const auto& [k, ips] : peers) {
        auto p = w.begin_nest(0);
        (void)w.put(WGPEER_A_PUBLIC_KEY, k.view());
        if (head) {
            (void)w.put(WGPEER_A_PRESHARED_KEY, crypto::Key().view()); // zeros = none
            std::int64_t ts[2] = {1700000000, 5};
            (void)w.put(WGPEER_A_LAST_HANDSHAKE_TIME,
                        ByteView(reinterpret_cast<std::uint8_t*>(ts), 16));
            (void)w.put_u16(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 0);
            std::uint64_t tx = 100, rx = 200;
            (void)w.put(WGPEER_A_TX_BYTES, ByteView(reinterpret_cast<std::uint8_t*>(&tx), 8));
            (void)w.put(WGPEER_A_RX_BYTES, ByteView(reinterpret_cast<std::uint8_t*>(&rx), 8));
            (void)w.put_u32(WGPEER_A_PROTOCOL_VERSION, 1);
            auto ep = *Endpoint::parse("203.0.113.7:1234");
            (void)w.put(WGPEER_A_ENDPOINT,
                        ByteView(reinterpret_cast<const std::uint8_t*>(ep.sa()), ep.sa_len()));
        }
        auto list = w.begin_nest(WGPEER_A_ALLOWEDIPS);
        for (const auto& ip : ips) {
            auto e = w.begin_nest(0);
            (void)w.put_u8(WGALLOWEDIP_A_CIDR_MASK, ip.cidr);
            (void)w.put_u16(WGALLOWEDIP_A_FAMILY, ip.address.family);
            (void)w.put(WGALLOWEDIP_A_IPADDR, ByteView(ip.address.bytes.data(), ip.address.size()));
            w.end_nest(*e);
        }
        w.end_nest(*list);
        w.end_nest(*p);
    }
    w.end_nest(*pn);
    return w.take();
}

} // namespace

TEST_CASE("genetlink get: a multi-part dump coalesces into one device") {
    genetlink::DeviceDumpReader r("wg0");
    REQUIRE(r.add(dump_message(true, {{key(3), {prefix("192.0.2.0/24")}}}, true)));
    // The same peer continued, then a new peer.
    REQUIRE(r.add(dump_message(false, {{key(3), {prefix("fd00::/64")}}}, false)));
    REQUIRE(r.add(dump_message(false, {{key(4), {prefix("198.51.100.1/32")}}}, true)));
    auto d = r.take();
    CHECK(d.name == "wg0");
    CHECK(*d.listen_port == 51820);
    CHECK_FALSE(d.fwmark); // zero -> absent
    CHECK(*d.private_key == key(1));
    CHECK(*d.public_key == key(2));
    REQUIRE(d.peers.size() == 2);
    const auto& p = d.peers[0];
    CHECK(p.allowed_ips.size() == 2);
    CHECK(p.allowed_ips[1].prefix.to_string() == "fd00::/64");
    CHECK_FALSE(p.preshared_key);
    CHECK(p.endpoint->to_string() == "203.0.113.7:1234");
    CHECK(*p.rx_bytes == 200);
    CHECK(*p.tx_bytes == 100);
    CHECK(*p.persistent_keepalive == 0);
    CHECK(*p.protocol_version == 1);
    CHECK(std::chrono::duration_cast<std::chrono::nanoseconds>(p.last_handshake->time_since_epoch())
              .count() == 1700000000000000005LL);
}

TEST_CASE("genetlink get: malformed replies are EPROTO") {
    nl::AttrWriter w(1024);
    auto pn = w.begin_nest(WGDEVICE_A_PEERS);
    auto p = w.begin_nest(0);
    (void)w.put_u16(WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 1); // no public key
    w.end_nest(*p);
    w.end_nest(*pn);
    genetlink::DeviceDumpReader r("wg0");
    auto res = r.add(w.bytes());
    REQUIRE_FALSE(res);
    CHECK(res.error().code == EPROTO);
}

namespace {

/// One CTRL_CMD_GETPOLICY reply: attribute `attr` of policy `idx`.
Bytes policy_message(std::uint32_t idx, std::uint16_t attr, std::uint32_t type,
                     std::optional<std::uint32_t> nested) {
    nl::AttrWriter w(1024);
    (void)w.put_u16(CTRL_ATTR_FAMILY_ID, 30);
    auto a = w.begin_nest(CTRL_ATTR_POLICY);
    auto b = w.begin_nest(std::uint16_t(idx));
    auto c = w.begin_nest(attr);
    (void)w.put_u32(NL_POLICY_TYPE_ATTR_TYPE, type);
    if (nested)
        (void)w.put_u32(NL_POLICY_TYPE_ATTR_POLICY_IDX, *nested);
    w.end_nest(*c);
    w.end_nest(*b);
    w.end_nest(*a);
    return w.take();
}

Bytes op_policy_message(std::uint16_t op, std::uint32_t do_idx) {
    nl::AttrWriter w(1024);
    auto a = w.begin_nest(CTRL_ATTR_OP_POLICY);
    auto b = w.begin_nest(op);
    (void)w.put_u32(CTRL_ATTR_POLICY_DO, do_idx);
    w.end_nest(*b);
    w.end_nest(*a);
    return w.take();
}

} // namespace

TEST_CASE("genetlink policy: WGALLOWEDIP_A_FLAGS is found only through the nested policies") {
    SUBCASE("Linux 6.1: peers are plain nested, no flag to see") {
        genetlink::PolicyDump d;
        d.add(op_policy_message(WG_CMD_SET_DEVICE, 0));
        d.add(policy_message(0, WGDEVICE_A_IFNAME, NL_ATTR_TYPE_NUL_STRING, std::nullopt));
        d.add(policy_message(0, WGDEVICE_A_PEERS, NL_ATTR_TYPE_NESTED, std::nullopt));
        CHECK_FALSE(d.allowed_ip_flags_supported());
    }
    SUBCASE("nested arrays with the flag") {
        genetlink::PolicyDump d;
        d.add(op_policy_message(WG_CMD_GET_DEVICE, 0));
        d.add(op_policy_message(WG_CMD_SET_DEVICE, 3));
        d.add(policy_message(3, WGDEVICE_A_PEERS, NL_ATTR_TYPE_NESTED_ARRAY, 1));
        d.add(policy_message(1, WGPEER_A_ALLOWEDIPS, NL_ATTR_TYPE_NESTED_ARRAY, 2));
        d.add(policy_message(2, WGALLOWEDIP_A_CIDR_MASK, NL_ATTR_TYPE_U8, std::nullopt));
        CHECK_FALSE(d.allowed_ip_flags_supported());
        d.add(policy_message(2, genetlink::ALLOWEDIP_A_FLAGS, NL_ATTR_TYPE_U32, std::nullopt));
        CHECK(d.allowed_ip_flags_supported());
    }
    SUBCASE("the flag in another policy does not count") {
        genetlink::PolicyDump d;
        d.add(policy_message(0, WGDEVICE_A_PEERS, NL_ATTR_TYPE_NESTED_ARRAY, 1));
        d.add(policy_message(1, WGPEER_A_ALLOWEDIPS, NL_ATTR_TYPE_NESTED_ARRAY, 2));
        d.add(policy_message(1, genetlink::ALLOWEDIP_A_FLAGS, NL_ATTR_TYPE_U32, std::nullopt));
        CHECK_FALSE(d.allowed_ip_flags_supported());
    }
}

// Found by tests/fuzz/genetlink_attr_fuzz.cpp: a last handshake time of 50,579,302,103,296 s
// overflowed the conversion to nanoseconds (undefined behaviour).
TEST_CASE("genetlink get: an out-of-range last handshake time is EPROTO, not an overflow") {
    for (auto [sec, nsec] : {std::pair<std::int64_t, std::int64_t>{50579302103296, 0},
                             {std::numeric_limits<std::int64_t>::min(), 0},
                             {1700000000, -1},
                             {1700000000, 1000000000}}) {
        nl::AttrWriter w(1024);
        auto pn = w.begin_nest(WGDEVICE_A_PEERS);
        auto p = w.begin_nest(0);
        (void)w.put(WGPEER_A_PUBLIC_KEY, key(3).view());
        std::int64_t ts[2] = {sec, nsec};
        (void)w.put(WGPEER_A_LAST_HANDSHAKE_TIME,
                    ByteView(reinterpret_cast<std::uint8_t*>(ts), 16));
        w.end_nest(*p);
        w.end_nest(*pn);
        genetlink::DeviceDumpReader r("wg0");
        auto res = r.add(w.bytes());
        REQUIRE_FALSE(res);
        CHECK(res.error().code == EPROTO);
    }
}
