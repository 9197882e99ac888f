#pragma once
// The value grammar wg shares between configuration files and `wg set` arguments: ports,
// fwmarks, keys, key files, endpoints, AllowedIPs lists, keepalive intervals. Errors carry wg's
// exact wording (without any FILE:LINE prefix) and EINVAL.
#include "base/decimal.hpp"
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "model/device.hpp"

namespace wgx::config {

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

using wgx::parse_decimal;

/// ListenPort / listen-port: a number or a service name, via getaddrinfo as wg does
/// ("Servname not supported for ai_socktype: `x'").
Result<void> parse_listen_port(std::string_view value, std::optional<std::uint16_t>& out);
/// FwMark / fwmark: "off", decimal, or 0x-hex, at most 0xffffffff.
Result<void> parse_fwmark(std::string_view value, std::optional<std::uint32_t>& out);
/// A base64 key ("Key is not the correct length or format: `x'").
Result<void> parse_key(std::string_view value, std::optional<model::Key>& out);
/// A key file for `wg set private-key/preshared-key`: 44 base64 characters then only
/// whitespace; an empty file (or /dev/null) gives the zero key, meaning "remove".
Result<model::Key> read_key_file(const std::string& path);
/// PersistentKeepalive: "off" or 0..65535.
Result<void> parse_persistent_keepalive(std::string_view value, std::optional<std::uint16_t>& out);
/// A comma-separated AllowedIPs list (whitespace already removed), appended to `out`.
/// An empty value appends nothing (with replace_allowed_ips that clears the set). Entries with
/// host bits set are kept as written and warned about in `warnings`, as wg does.
Result<void> parse_allowed_ips(std::string_view value, std::vector<model::AllowedIp>& out,
                               std::vector<std::string>* warnings);

/// Splits "host:port" / "[host]:port" as wg does, or fails with "Unable to find port of
/// endpoint: `x'" / "Unable to find matching brace of endpoint: `x'".
Result<std::pair<std::string, std::string>> split_endpoint(std::string_view value);
/// Endpoint: a numeric address is stored in Peer::endpoint; a host name (or anything else
/// getaddrinfo must look up) is kept in Peer::endpoint_host for resolve_endpoints().
Result<void> parse_endpoint(std::string_view value, model::Peer& peer);

} // namespace wgx::config
