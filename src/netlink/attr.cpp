#include "netlink/attr.hpp"

#include <netlink/attr.h>
#include <netlink/msg.h>

namespace wgx::netlink {

bool put_address(nl_msg* msg, int type, const IpAddress& addr) {
    return nla_put(msg, type, int(addr.size()), addr.bytes.data()) >= 0;
}

std::optional<IpAddress> get_address(const nlattr* attr, int family) {
    if (!attr)
        return std::nullopt;
    const auto* data = static_cast<const std::uint8_t*>(nla_data(attr));
    if (family == AF_INET && nla_len(attr) == 4)
        return IpAddress::v4(data);
    if (family == AF_INET6 && nla_len(attr) == 16)
        return IpAddress::v6(data);
    return std::nullopt;
}

} // namespace wgx::netlink
