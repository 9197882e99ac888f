#include "quick/save_format.hpp"

namespace wgx::quick {

std::string saved_config(const std::string& showconf, const LiveState& live,
                         const config::QuickSettings& settings) {
    std::string head = "[Interface]\n";
    for (const auto& a : live.addresses)
        head += "Address = " + a.to_string() + "\n";
    for (const auto& d : live.nameservers)
        head += "DNS = " + d + "\n";
    if (settings.mtu)
        head += "MTU = " + std::to_string(live.mtu) + "\n";
    if (settings.table && !settings.table->empty())
        head += "Table = " + *settings.table + "\n";
    if (settings.save_config)
        head += "SaveConfig = true\n";
    for (const auto& c : settings.pre_up)
        head += "PreUp = " + c + "\n";
    for (const auto& c : settings.post_up)
        head += "PostUp = " + c + "\n";
    for (const auto& c : settings.pre_down)
        head += "PreDown = " + c + "\n";
    for (const auto& c : settings.post_down)
        head += "PostDown = " + c + "\n";

    std::string body = showconf;
    while (!body.empty() && body.back() == '\n')
        body.pop_back();
    static const std::string marker = "[Interface]\n";
    if (auto at = body.find(marker); at != std::string::npos)
        body.replace(at, marker.size(), head);
    return body + "\n";
}

} // namespace wgx::quick
