#include "netlink/sysctl.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace wgx::netlink {

std::string sysctl_path(const std::string& name) {
    std::string path = "/proc/sys/" + name;
    for (std::size_t i = 10; i < path.size(); ++i)
        if (path[i] == '.')
            path[i] = '/';
    return path;
}

Result<std::string> read_sysctl(const std::string& name) {
    std::ifstream in(sysctl_path(name));
    std::string value;
    if (!in || !std::getline(in, value))
        return make_error("sysctl: cannot stat " + sysctl_path(name) + ": " + std::strerror(errno),
                          errno ? errno : EIO);
    return value;
}

Result<void> write_sysctl(const std::string& name, const std::string& value) {
    std::ofstream out(sysctl_path(name));
    if (out)
        out << value << '\n';
    out.flush();
    if (!out)
        return make_error("sysctl: permission denied on key \"" + name + "\"", EACCES);
    return {};
}

} // namespace wgx::netlink
