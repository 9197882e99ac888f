// The kernel backend against the running kernel: wg's errors whether or not the wireguard
// module is there (tests/kernel/ipc_live.sh runs these inside the VM, where it is), and the
// policy dump read from the live family.
#include <doctest/doctest.h>

#include <cerrno>
#include <sys/stat.h>

#include <linux/netlink.h>
#include <linux/wireguard.h>

#include "ipc/genetlink_backend.hpp"
#include "ipc/genetlink_features.hpp"

using namespace wgx;

namespace {
bool module_loaded() {
    struct stat st;
    return ::stat("/sys/module/wireguard", &st) == 0;
}
} // namespace

TEST_CASE("genetlink backend: wg's errors for a missing and a non-wireguard device") {
    auto b = ipc::make_genetlink_backend();
    auto missing = b->get("wgxnosuch0");
    REQUIRE_FALSE(missing);
    auto not_wg = b->get("lo");
    REQUIRE_FALSE(not_wg);
    if (module_loaded()) {
        CHECK(missing.error().code == ENODEV);
        CHECK(missing.error().message == "No such device");
        CHECK(not_wg.error().code == EOPNOTSUPP);
        CHECK(not_wg.error().message == "Operation not supported");
    } else {
        CHECK(missing.error().code == EPROTONOSUPPORT);
        CHECK(missing.error().message == "Protocol not supported");
        CHECK(not_wg.error().code == EPROTONOSUPPORT);
    }
    model::Device update;
    update.name = "wgxnosuch0";
    update.listen_port = 1;
    auto set = b->set(update);
    REQUIRE_FALSE(set);
    CHECK(set.error().code == (module_loaded() ? ENODEV : EPROTONOSUPPORT));
    auto names = b->list();
    REQUIRE(names);
    for (const auto& n : *names)
        CHECK(n != "lo");
}

TEST_CASE("genetlink features: the live wireguard family's policy dump") {
    auto policy = ipc::genetlink::wireguard_policy();
    if (!module_loaded()) {
        REQUIRE_FALSE(policy);
        CHECK(policy.error().code == EPROTONOSUPPORT);
        return;
    }
    REQUIRE(policy);
    bool ifname = false, peers = false;
    for (const auto& [idx, table] : policy->policies()) {
        auto n = table.find(WGDEVICE_A_IFNAME);
        auto p = table.find(WGDEVICE_A_PEERS);
        if (n != table.end() && n->second.type == NL_ATTR_TYPE_NUL_STRING && p != table.end()) {
            ifname = true;
            peers = p->second.type == NL_ATTR_TYPE_NESTED ||
                    p->second.type == NL_ATTR_TYPE_NESTED_ARRAY;
        }
    }
    CHECK(ifname);
    CHECK(peers);
    MESSAGE("WGALLOWEDIP_F_REMOVE_ME seen in the policy: ", policy->allowed_ip_flags_supported());
}
