#include "quick/save_format.hpp"

namespace wgx::quick {

SecretString saved_config(std::string_view showconf, const LiveState& live,
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

    SecretString body(showconf);
    while (!body.empty() && body.back() == '\n')
        body.pop_back();
    static const std::string marker = "[Interface]\n";
    if (auto at = body.find(marker); at != SecretString::npos)
        body.replace(at, marker.size(), std::string_view(head));
    return body + "\n";
}

} // namespace wgx::quick
