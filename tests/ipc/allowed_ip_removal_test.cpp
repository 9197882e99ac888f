#include <doctest/doctest.h>

#include <cerrno>

#include "ipc/allowed_ip_removal.hpp"

using namespace wgx;

namespace {

model::Key key(std::uint8_t b) {
    std::array<std::uint8_t, 32> raw{};
    raw.fill(b);
    return model::Key(raw);
}

model::AllowedIp ip(const char* text, bool remove = false) {
    return {*IpPrefix::parse(text), remove};
}

std::vector<std::string> texts(const std::vector<model::AllowedIp>& v) {
    std::vector<std::string> out;
    for (const auto& a : v)
        out.push_back((a.remove ? "-" : "") + a.prefix.to_string());
    return out;
}

/// An interface that either understands "-prefix" or rejects it with EINVAL, like Debian's
/// wireguard-go.
class FakeBackend final : public ipc::Backend {
  public:
    model::Device state;
    bool native = false;
    std::vector<model::Device> sets;

    Result<model::Device> get(const std::string&) override { return state; }
    Result<std::vector<std::string>> list() override { return std::vector<std::string>{}; }
    Result<void> set(const model::Device& u) override {
        sets.push_back(u);
        for (const auto& p : u.peers)
            for (const auto& a : p.allowed_ips)
                if (a.remove && !native)
                    return make_error("errno=-22", EINVAL);
        for (const auto& p : u.peers) {
            model::Peer* cur = state.find_peer(p.public_key);
            if (!cur) {
                if (p.update_only)
                    continue;
                state.peers.push_back({});
                cur = &state.peers.back();
                cur->public_key = p.public_key;
            }
            if (p.replace_allowed_ips)
                cur->allowed_ips.clear();
            for (const auto& a : p.allowed_ips) {
                std::erase_if(cur->allowed_ips, [&](const model::AllowedIp& k) {
                    return k.prefix.masked() == a.prefix.masked();
                });
                if (!a.remove)
                    cur->allowed_ips.push_back({a.prefix.masked(), false});
            }
        }
        return {};
    }
};

model::Device current() {
    model::Device d;
    d.name = "wgx0";
    model::Peer p;
    p.public_key = key(1);
    p.allowed_ips = {ip("10.0.0.0/8"), ip("192.0.2.255/32"), ip("fd00::/64")};
    d.peers.push_back(p);
    return d;
}

model::Device update_removing() {
    model::Device u;
    u.name = "wgx0";
    model::Peer p;
    p.public_key = key(1);
    p.allowed_ips = {ip("10.1.2.3/8", true), ip("198.51.100.0/24"), ip("fd00::/64", true)};
    u.peers.push_back(p);
    return u;
}

} // namespace

TEST_CASE("emulation applies additions and removals in order, then replaces the list") {
    auto out = ipc::emulate_allowed_ip_removals(update_removing(), current());
    REQUIRE(out.peers.size() == 1);
    CHECK(out.peers[0].replace_allowed_ips);
    CHECK(texts(out.peers[0].allowed_ips) ==
          std::vector<std::string>{"192.0.2.255/32", "198.51.100.0/24"});
    CHECK_FALSE(ipc::has_allowed_ip_removals(out));
}

TEST_CASE("emulation on a peer that does not exist keeps only additions") {
    auto u = update_removing();
    u.peers[0].public_key = key(2);
    auto out = ipc::emulate_allowed_ip_removals(u, current());
    CHECK_FALSE(out.peers[0].replace_allowed_ips);
    CHECK(texts(out.peers[0].allowed_ips) == std::vector<std::string>{"198.51.100.0/24"});
}

TEST_CASE("the probe removes a prefix the peer does not hold") {
    auto probe = ipc::removal_probe(current());
    REQUIRE(probe);
    REQUIRE(probe->peers.size() == 1);
    CHECK(probe->peers[0].update_only);
    CHECK(texts(probe->peers[0].allowed_ips) == std::vector<std::string>{"-192.0.2.254/32"});
    CHECK_FALSE(ipc::removal_probe(model::Device{}));
}

TEST_CASE("set_with_removals: native when the probe is understood, emulated when rejected") {
    FakeBackend native;
    native.native = true;
    native.state = current();
    REQUIRE(ipc::set_with_removals(native, update_removing(), true));
    REQUIRE(native.sets.size() == 2);
    CHECK(ipc::has_allowed_ip_removals(native.sets[1]));
    CHECK(texts(native.state.peers[0].allowed_ips) ==
          std::vector<std::string>{"192.0.2.255/32", "198.51.100.0/24"});

    FakeBackend old;
    old.state = current();
    REQUIRE(ipc::set_with_removals(old, update_removing(), true));
    REQUIRE(old.sets.size() == 2);
    CHECK_FALSE(ipc::has_allowed_ip_removals(old.sets[1]));
    CHECK(texts(old.state.peers[0].allowed_ips) ==
          std::vector<std::string>{"192.0.2.255/32", "198.51.100.0/24"});

    FakeBackend no_probe;
    no_probe.native = true;
    no_probe.state = current();
    REQUIRE(ipc::set_with_removals(no_probe, update_removing(), false));
    REQUIRE(no_probe.sets.size() == 1);
    CHECK_FALSE(ipc::has_allowed_ip_removals(no_probe.sets[0]));
}
