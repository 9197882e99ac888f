#include <algorithm>

#include "cli/cryptokey_match.hpp"
#include "cli/doctor_findings.hpp"
#include "cli/json_text.hpp"
#include "cli/top_view.hpp"

namespace wgx::cli {

namespace {

std::string prefix_text(const IpPrefix& p) {
    return p.address.to_string() + "/" + std::to_string(p.cidr);
}

bool is_default(const IpPrefix& p) {
    return p.cidr == 0;
}

constexpr const char* SOURCE_FIX =
    "add the sending subnet to the peer's AllowedIPs, or fix the source on the peer";

/// The checks for one interface, collecting findings.
class Diagnosis {
  public:
    Diagnosis(const InterfaceFacts& f, const HostFacts& h, const DoctorOptions& o)
        : f_(f), h_(h), o_(o) {}

    std::vector<Finding> run() {
        if (!f_.exists) {
            add(Severity::problem, "", "exists", "there is no WireGuard interface " + f_.name,
                "wgx-quick up " + f_.name);
            return std::move(out_);
        }
        interface_checks();
        for (const auto& p : f_.after.device.peers)
            if (selected(p))
                peer_checks(p);
        allowed_ips_checks();
        host_checks();
        return std::move(out_);
    }

  private:
    void add(Severity s, std::string peer, std::string check, std::string evidence,
             std::string fix = "") {
        out_.push_back(
            {s, f_.name, std::move(peer), std::move(check), std::move(evidence), std::move(fix)});
    }

    bool selected(const model::Peer& p) const {
        return o_.peer.empty() || o_.peer == p.public_key.to_base64() ||
               f_.after.name_of(p) == o_.peer;
    }

    std::string label(const model::Peer& p) const { return peer_label(f_.after, p); }

    void interface_checks() {
        if (!f_.up)
            add(Severity::problem, "", "up", f_.name + " is down",
                "ip link set " + f_.name + " up");
        if (f_.addresses.empty())
            add(Severity::warning, "", "addresses", f_.name + " has no address",
                "ip address add <address>/<prefix> dev " + f_.name);
        const auto& d = f_.after.device;
        if (!f_.port_bound)
            add(Severity::warning, "", "listen-port",
                "no UDP socket is bound to listening port " +
                    std::to_string(d.listen_port.value_or(0)),
                "restart the implementation serving " + f_.name);
        if (!d.private_key && !d.public_key)
            add(Severity::problem, "", "private-key", f_.name + " has no private key",
                "wgx set " + f_.name + " private-key <file>");
        for (const auto& [key, route] : f_.endpoint_routes) {
            const model::Peer* p = find(key);
            if (!p || !selected(*p) || !route.mtu || !p->endpoint)
                continue;
            unsigned overhead = p->endpoint->family() == AF_INET6 ? 80 : 60;
            if (route.mtu > overhead && f_.mtu > route.mtu - overhead)
                add(Severity::warning, label(*p), "mtu",
                    "MTU " + std::to_string(f_.mtu) + " is more than the " +
                        std::to_string(route.mtu - overhead) + " that fit in " +
                        std::to_string(route.mtu) + " on " + route.device + " after " +
                        std::to_string(overhead) + " bytes of WireGuard overhead",
                    "ip link set " + f_.name + " mtu " + std::to_string(route.mtu - overhead));
        }
        if (f_.kernel)
            kernel_source_checks();
        if (f_.up && !f_.addresses.empty() && f_.port_bound)
            add(Severity::ok, "", "interface",
                f_.name + " is up with " + std::to_string(f_.addresses.size()) +
                    " address(es), MTU " + std::to_string(f_.mtu) + ", port " +
                    std::to_string(d.listen_port.value_or(0)));
    }

    /// The kernel module counts packets with a disallowed inner source in the device's
    /// rx_frame_errors only (along with inner packets that are not IP at all): which peer sent
    /// them is not told.
    void kernel_source_checks() {
        std::uint64_t during = f_.rx_frame_errors_after > f_.rx_frame_errors_before
                                   ? f_.rx_frame_errors_after - f_.rx_frame_errors_before
                                   : 0;
        if (during > 0)
            add(Severity::warning, "", "source-not-allowed",
                std::to_string(during) +
                    " packets were dropped during the sample because their inner source address "
                    "is outside the sending peer's allowed IPs (the kernel counts them in " +
                    f_.name + "'s rx_frame_errors, not per peer)",
                SOURCE_FIX);
        else if (f_.rx_frame_errors_after > 0)
            add(Severity::note, "", "source-not-allowed",
                std::to_string(f_.rx_frame_errors_after) + " packets were dropped since " +
                    f_.name +
                    " was created because their inner source address was outside the sending "
                    "peer's allowed IPs (rx_frame_errors), none during the sample");
    }

    const model::Peer* find(const std::string& key) const {
        for (const auto& p : f_.after.device.peers)
            if (p.public_key.to_base64() == key)
                return &p;
        return nullptr;
    }

    const model::Peer* before_of(const model::Peer& p) const {
        for (const auto& q : f_.before.peers)
            if (q.public_key == p.public_key)
                return &q;
        return nullptr;
    }

    /// wgx-engine's count for peer `key` (base64) between the two samples.
    std::uint64_t drops_during(const std::string& key) const {
        auto after = f_.source_drops_after->find(key);
        if (after == f_.source_drops_after->end())
            return 0;
        auto before = f_.source_drops_before->find(key);
        std::uint64_t first = before == f_.source_drops_before->end() ? 0 : before->second;
        return after->second > first ? after->second - first : 0;
    }

    void peer_checks(const model::Peer& p) {
        const std::string who = label(p);
        const std::string key64 = p.public_key.to_base64();
        const model::Peer* old = before_of(p);
        std::uint64_t tx = p.tx_bytes.value_or(0), rx = p.rx_bytes.value_or(0);
        std::uint64_t dtx =
            old && tx >= old->tx_bytes.value_or(0) ? tx - old->tx_bytes.value_or(0) : 0;
        std::uint64_t drx =
            old && rx >= old->rx_bytes.value_or(0) ? rx - old->rx_bytes.value_or(0) : 0;
        std::string sampled = "tx +" + format_total(dtx) + ", rx +" + format_total(drx) + " in " +
                              std::to_string(int(f_.seconds + 0.5)) + " s";
        bool has_endpoint = p.endpoint && p.endpoint->valid();
        bool keepalive = p.persistent_keepalive.value_or(0) != 0;
        PeerStatus status = peer_status(p, o_.now, o_.stale_after);
        for (const auto& [key, route] : f_.endpoint_routes)
            if (key == p.public_key.to_base64() && route.into_self)
                add(Severity::problem, who, "endpoint-loop",
                    "the endpoint " + p.endpoint->to_string() + " is routed into " + f_.name +
                        " itself",
                    "give " + f_.name +
                        " a fwmark and route the endpoint outside the tunnel "
                        "(wgx-quick does this for a full tunnel)");
        if (status == PeerStatus::never) {
            if (tx > 0)
                add(Severity::problem, who, "handshake-never",
                    "no handshake ever completed although " + format_total(tx) + " were sent (" +
                        sampled +
                        "): UDP blocked on the way, a wrong public key on either side, or the "
                        "peer is down",
                    has_endpoint ? "wgx route " + p.endpoint->address().to_string() +
                                       ", then compare the keys with the peer's `wgx show`"
                                 : "");
            else if (!has_endpoint)
                add(Severity::note, who, "endpoint",
                    "no endpoint and no handshake yet: this side cannot start one, the peer "
                    "must connect first");
            else
                add(Severity::note, who, "handshake-never",
                    "no handshake yet and nothing sent: no traffic for this peer so far");
            return;
        }
        long long age = o_.now - handshake_seconds(p);
        std::string since = "latest handshake " + format_age(age < 0 ? 0 : age) + " ago";
        if (status == PeerStatus::stale) {
            if (dtx > 0 && drx == 0)
                add(Severity::problem, who, "handshake-stale",
                    since + " while data is being sent without an answer (" + sampled + ")" +
                        (keepalive ? ": the peer is down or UDP is blocked"
                                   : ": the peer is down, UDP is blocked, or it is behind NAT "
                                     "without persistent keepalive and its mapping expired"),
                    keepalive ? ""
                              : "wgx set " + f_.name + " peer " + who +
                                    " persistent-keepalive 25 (on the side behind NAT)");
            else
                add(Severity::note, who, "handshake-stale",
                    since + " and idle (" + sampled +
                        "): stale, not broken; the next packet starts a handshake");
            return;
        }
        add(Severity::ok, who, "handshake", since + ", " + sampled);
        if (f_.source_drops_before && f_.source_drops_after) {
            // wgx-engine counts them per peer, outside the peer's rx.
            std::uint64_t dropped = drops_during(key64);
            if (dropped > 0)
                add(Severity::warning, who, "source-not-allowed",
                    std::to_string(dropped) +
                        " packets from this peer were dropped during the sample because their "
                        "inner source address is outside its allowed IPs (wgx-engine's counter)",
                    SOURCE_FIX);
        } else if (drx >= 200 && f_.link_rx_after == f_.link_rx_before && !f_.kernel)
            add(Severity::warning, who, "source-not-allowed",
                "the peer sent " + format_total(drx) + " that " + f_.name +
                    " did not deliver: their inner source addresses are outside the peer's "
                    "allowed IPs",
                SOURCE_FIX);
    }

    void allowed_ips_checks() {
        const auto& peers = f_.after.device.peers;
        // Nested prefixes: a longer prefix of one peer inside a shorter one of another.
        for (const auto& p : peers)
            for (const auto& a : p.allowed_ips)
                for (const auto& q : peers)
                    for (const auto& b : q.allowed_ips) {
                        if (&a == &b || a.prefix.address.family != b.prefix.address.family ||
                            b.prefix.cidr <= a.prefix.cidr || !a.prefix.contains(b.prefix.address))
                            continue;
                        if (!selected(p) && !selected(q))
                            continue;
                        bool same = &p == &q;
                        add(Severity::note, label(p),
                            same ? "allowed-ips-duplicate" : "allowed-ips-shadowed",
                            same ? prefix_text(b.prefix) + " is already covered by " +
                                       prefix_text(a.prefix) + " of the same peer"
                                 : prefix_text(b.prefix) + " inside " + prefix_text(a.prefix) +
                                       " goes to peer " + label(q) + " instead");
                    }
        for (const auto& r : f_.allowed_routes) {
            if (r.device == f_.name || (!o_.peer.empty() && r.peer != o_.peer &&
                                        !std::any_of(peers.begin(), peers.end(), [&](auto& p) {
                                            return selected(p) && label(p) == r.peer;
                                        })))
                continue;
            std::string via = r.device.empty() ? "nowhere" : r.device;
            if (is_default(r.prefix))
                add(Severity::warning, r.peer, "full-tunnel-rules",
                    prefix_text(r.prefix) +
                        " is allowed, but without policy rules the kernel "
                        "still routes the internet via " +
                        via,
                    "wgx-quick up (Table = auto adds `ip rule add not fwmark M table M` and "
                    "`ip rule add table main suppress_prefixlength 0`)");
            else
                add(Severity::warning, r.peer, "allowed-ips-route",
                    prefix_text(r.prefix) + " is allowed, but the kernel routes it via " + via +
                        ", not " + f_.name,
                    "ip route add " + prefix_text(r.prefix) + " dev " + f_.name);
        }
    }

    void host_checks() {
        bool v4_full = false, v6_full = false, v6_any = false, subnet = false;
        for (const auto& p : f_.after.device.peers)
            for (const auto& a : p.allowed_ips) {
                if (!selected(p))
                    continue;
                bool v6 = a.prefix.address.is_v6();
                v6_any |= v6;
                if (is_default(a.prefix))
                    (v6 ? v6_full : v4_full) = true;
                else if (!v6 && a.prefix.cidr < 32 && !covers_own_address(a.prefix))
                    subnet = true;
            }
        if (subnet && !h_.ipv4_forwarding)
            add(Severity::warning, "", "forwarding",
                "peers route IPv4 subnets through " + f_.name +
                    ", but net.ipv4.ip_forward is 0 here",
                "sysctl -w net.ipv4.ip_forward=1 (only if this host forwards for them)");
        if (v4_full && !v6_full && !h_.ipv6_route_outside.empty())
            add(Severity::warning, "", "ipv6-leak",
                "IPv4 goes through the tunnel, but IPv6 still leaves via " + h_.ipv6_route_outside,
                "add ::/0 to the peer's AllowedIPs (or disable IPv6 on " + h_.ipv6_route_outside +
                    ")");
        if (h_.ipv6_disabled)
            add(v6_any ? Severity::warning : Severity::note, "", "ipv6-disabled",
                std::string("IPv6 is disabled on this host") +
                    (v6_any ? ", but peers have IPv6 allowed IPs" : ""),
                v6_any ? "sysctl -w net.ipv6.conf.all.disable_ipv6=0" : "");
    }

    bool covers_own_address(const IpPrefix& prefix) const {
        for (const auto& a : f_.addresses)
            if (a.address.family == prefix.address.family && prefix.contains(a.address))
                return true;
        return false;
    }

    const InterfaceFacts& f_;
    const HostFacts& h_;
    const DoctorOptions& o_;
    std::vector<Finding> out_;
};

} // namespace

std::vector<Finding> diagnose(const InterfaceFacts& facts, const HostFacts& host,
                              const DoctorOptions& options) {
    return Diagnosis(facts, host, options).run();
}

int doctor_exit_code(const std::vector<Finding>& findings) {
    int code = 0;
    for (const auto& f : findings)
        code = std::max(code, f.severity == Severity::problem   ? 2
                              : f.severity == Severity::warning ? 1
                                                                : 0);
    return code;
}

std::string_view severity_word(Severity s) {
    switch (s) {
    case Severity::ok:
        return "ok";
    case Severity::note:
        return "note";
    case Severity::warning:
        return "warning";
    case Severity::problem:
        break;
    }
    return "problem";
}

std::string format_findings(const std::vector<Finding>& findings) {
    std::string out;
    for (const auto& f : findings) {
        std::string word(severity_word(f.severity));
        out += word + std::string(8 - word.size(), ' ') + f.interface;
        if (!f.peer.empty())
            out += " peer " + f.peer;
        out += ": " + f.evidence;
        if (!f.fix.empty())
            out += "; fix: " + f.fix;
        out += "\n";
    }
    return out;
}

std::string format_findings_json(const std::vector<Finding>& findings) {
    std::string out =
        "{\n  \"exit\": " + std::to_string(doctor_exit_code(findings)) + ",\n  \"findings\": [";
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const auto& f = findings[i];
        out += std::string(i ? "," : "") +
               "\n    {\"severity\": " + json_string(severity_word(f.severity)) +
               ", \"interface\": " + json_string(f.interface) +
               ", \"peer\": " + (f.peer.empty() ? "null" : json_string(f.peer)) +
               ", \"check\": " + json_string(f.check) +
               ", \"evidence\": " + json_string(f.evidence) +
               ", \"fix\": " + (f.fix.empty() ? "null" : json_string(f.fix)) + "}";
    }
    return out + (findings.empty() ? "]\n}\n" : "\n  ]\n}\n");
}

IpAddress probe_address(const IpPrefix& prefix) {
    if (prefix.cidr == 0)
        return *IpAddress::parse(prefix.address.is_v4() ? "198.18.0.1" : "2001:db8::1");
    IpAddress a = prefix.address.masked(prefix.cidr);
    if (prefix.cidr + 2u <= a.max_prefix())
        ++a.bytes[a.size() - 1]; // network + 1: the last byte of a network address has room
    return a;
}

} // namespace wgx::cli
