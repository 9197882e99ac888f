#pragma once
// The [Peer] sections of a config file as text, so that adding or removing one peer leaves every
// other line (comments, blank lines, order, unknown keys) exactly as it was.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret_string.hpp"
#include "model/device.hpp"

namespace wgx::quick {

/// One [Peer] section: lines [first, end) of the file, the "[Peer]" line first.
struct PeerSection {
    std::size_t first = 0, end = 0;
    /// From a "# Name = NAME" comment inside the section (addpeer writes one).
    std::string name;
    /// From a "# ClientConfig = PATH" comment: where addpeer --output wrote the client's file.
    std::string client_config;
    std::optional<model::Key> public_key;
};

/// A config file's lines (without their '\n'). The file holds the interface's private key (and
/// preshared keys), so every line lives in wiping memory.
using ConfigLines = std::vector<SecretString>;

/// The file split into lines; a last line without '\n' counts.
ConfigLines split_lines(std::string_view text);
/// Lines joined, each followed by '\n'.
SecretString join_lines(const ConfigLines& lines);

/// Every [Peer] section, in file order. A section ends at the next section header or at the
/// end of the file.
std::vector<PeerSection> find_peer_sections(const ConfigLines& lines);

/// The section whose name or public key (base64) is `who`; nullptr if none.
const PeerSection* find_peer(const std::vector<PeerSection>& sections, std::string_view who);

/// Appends `section` (its lines) after one blank line.
void append_section(ConfigLines& lines, const ConfigLines& section);
/// Removes the section's lines, and the blank lines just before it, so that removing the last
/// peer added leaves the file as it was before the add.
void remove_section(ConfigLines& lines, const PeerSection& section);

/// A peer name addpeer accepts: 1-64 of [A-Za-z0-9_.@+-].
bool valid_peer_name(std::string_view name);

} // namespace wgx::quick
