#include "quick/resolved.hpp"

#include <cerrno>
#include <cstring>
#include <memory>

#include "base/ip.hpp"
#include "quick/sd_bus_library.hpp"

namespace wgx::quick {

namespace {

constexpr const char* RESOLVE1 = "org.freedesktop.resolve1";
constexpr const char* RESOLVE1_PATH = "/org/freedesktop/resolve1";
constexpr const char* MANAGER = "org.freedesktop.resolve1.Manager";

const SdBusLibrary& sd() {
    return sd_bus_library();
}

struct BusUnref {
    void operator()(sd_bus* b) const { sd().flush_close_unref(b); }
};
struct MessageUnref {
    void operator()(sd_bus_message* m) const { sd().message_unref(m); }
};
using Bus = std::unique_ptr<sd_bus, BusUnref>;
using Message = std::unique_ptr<sd_bus_message, MessageUnref>;

/// sd_bus_error that frees itself.
struct BusError {
    sd_bus_error e = SD_BUS_ERROR_NULL;
    ~BusError() { sd().error_free(&e); }
};

Result<Bus> open_system_bus() {
    // Every other sd-bus call follows a bus opened here.
    if (!sd().error.empty())
        return make_error("Unable to reach systemd-resolved: " + sd().error, ENOSYS);
    sd_bus* raw = nullptr;
    int r = sd().open_system(&raw);
    if (r < 0)
        return make_error(std::string("Unable to reach the system bus for systemd-resolved: ") +
                              std::strerror(-r),
                          -r);
    return Bus(raw);
}

Error call_error(const char* method, int r, const BusError& err) {
    std::string why = err.e.message ? err.e.message : std::strerror(-r);
    return make_error(std::string("systemd-resolved ") + method + ": " + why, -r);
}

/// Sends a method call built by the caller and waits for its reply.
Result<void> call(sd_bus* bus, sd_bus_message* m, const char* method) {
    BusError err;
    sd_bus_message* reply = nullptr;
    int r = sd().call(bus, m, 0, &err.e, &reply);
    sd().message_unref(reply);
    if (r < 0)
        return call_error(method, r, err);
    return {};
}

Result<Message> new_call(sd_bus* bus, const char* method) {
    sd_bus_message* m = nullptr;
    int r = sd().message_new_method_call(bus, &m, RESOLVE1, RESOLVE1_PATH, MANAGER, method);
    if (r < 0)
        return make_error(std::string("systemd-resolved ") + method + ": " + std::strerror(-r), -r);
    return Message(m);
}

Result<void> set_dns(sd_bus* bus, int ifindex, const std::vector<IpAddress>& servers) {
    auto m = new_call(bus, "SetLinkDNS");
    if (!m)
        return m.error();
    int r = sd().message_append(m->get(), "i", ifindex);
    if (r >= 0)
        r = sd().message_open_container(m->get(), 'a', "(iay)");
    for (const auto& a : servers) {
        if (r < 0)
            break;
        r = sd().message_open_container(m->get(), 'r', "iay");
        if (r >= 0)
            r = sd().message_append(m->get(), "i", int(a.family));
        if (r >= 0)
            r = sd().message_append_array(m->get(), 'y', a.bytes.data(), a.is_v6() ? 16 : 4);
        if (r >= 0)
            r = sd().message_close_container(m->get());
    }
    if (r >= 0)
        r = sd().message_close_container(m->get());
    if (r < 0)
        return make_error(std::string("systemd-resolved SetLinkDNS: ") + std::strerror(-r), -r);
    return call(bus, m->get(), "SetLinkDNS");
}

Result<void> set_domains(sd_bus* bus, int ifindex, const DnsSettings& s) {
    auto m = new_call(bus, "SetLinkDomains");
    if (!m)
        return m.error();
    int r = sd().message_append(m->get(), "i", ifindex);
    if (r >= 0)
        r = sd().message_open_container(m->get(), 'a', "(sb)");
    for (const auto& d : s.search)
        if (r >= 0)
            r = sd().message_append(m->get(), "(sb)", d.c_str(), 0);
    for (const auto& d : s.routing)
        if (r >= 0)
            r = sd().message_append(m->get(), "(sb)", d.c_str(), 1);
    if (r >= 0)
        r = sd().message_close_container(m->get());
    if (r < 0)
        return make_error(std::string("systemd-resolved SetLinkDomains: ") + std::strerror(-r), -r);
    return call(bus, m->get(), "SetLinkDomains");
}

std::string joined(const std::vector<std::string>& words, const std::string& prefix = "") {
    std::string s;
    for (const auto& w : words)
        s += " " + prefix + w;
    return s;
}

} // namespace

bool resolved_on_bus() {
    auto bus = open_system_bus();
    if (!bus)
        return false;
    BusError err;
    sd_bus_message* reply = nullptr;
    int r = sd().call_method(bus->get(), "org.freedesktop.DBus", "/org/freedesktop/DBus",
                             "org.freedesktop.DBus", "NameHasOwner", &err.e, &reply, "s", RESOLVE1);
    if (r < 0)
        return false;
    int owned = 0;
    r = sd().message_read(reply, "b", &owned);
    sd().message_unref(reply);
    return r >= 0 && owned;
}

std::vector<std::string> resolved_commands(const std::string& interface, const DnsSettings& s) {
    std::vector<std::string> out{"resolvectl dns " + interface + joined(s.servers)};
    if (!s.search.empty() || !s.routing.empty())
        out.push_back("resolvectl domain " + interface + joined(s.search) + joined(s.routing, "~"));
    if (s.default_route())
        out.push_back("resolvectl default-route " + interface + " true");
    return out;
}

Result<void> resolved_set_link(int ifindex, const DnsSettings& s,
                               const std::function<void()>& before_first_call) {
    std::vector<IpAddress> servers;
    for (const auto& text : s.servers) {
        auto a = IpAddress::parse(text);
        if (!a)
            return make_error("DNS server `" + text +
                                  "' is not an IP address, which systemd-resolved needs",
                              EINVAL);
        servers.push_back(*a);
    }
    auto bus = open_system_bus();
    if (!bus)
        return bus.error();
    if (before_first_call)
        before_first_call();
    if (auto r = set_dns(bus->get(), ifindex, servers); !r)
        return r;
    if (!s.search.empty() || !s.routing.empty())
        if (auto r = set_domains(bus->get(), ifindex, s); !r)
            return r;
    if (s.default_route()) {
        BusError err;
        int r = sd().call_method(bus->get(), RESOLVE1, RESOLVE1_PATH, MANAGER,
                                 "SetLinkDefaultRoute", &err.e, nullptr, "ib", ifindex, 1);
        if (r < 0)
            return call_error("SetLinkDefaultRoute", r, err);
    }
    return {};
}

Result<void> resolved_revert_link(int ifindex) {
    auto bus = open_system_bus();
    if (!bus)
        return bus.error();
    BusError err;
    int r = sd().call_method(bus->get(), RESOLVE1, RESOLVE1_PATH, MANAGER, "RevertLink", &err.e,
                             nullptr, "i", ifindex);
    if (r < 0 && sd().error_has_name(&err.e, "org.freedesktop.resolve1.NoSuchLink"))
        return {};
    if (r < 0)
        return call_error("RevertLink", r, err);
    return {};
}

} // namespace wgx::quick
