#pragma once
// The [Peer] sections of a config file as text, so that adding or removing one peer leaves every
// other line (comments, blank lines, order, unknown keys) exactly as it was.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

/// The file split into lines (without their '\n'); a last line without '\n' counts.
std::vector<std::string> split_lines(std::string_view text);
/// Lines joined, each followed by '\n'.
std::string join_lines(const std::vector<std::string>& lines);

/// Every [Peer] section, in file order. A section ends at the next section header or at the
/// end of the file.
std::vector<PeerSection> find_peer_sections(const std::vector<std::string>& lines);

/// The section whose name or public key (base64) is `who`; nullptr if none.
const PeerSection* find_peer(const std::vector<PeerSection>& sections, std::string_view who);

/// Appends `section` (its lines) after one blank line.
void append_section(std::vector<std::string>& lines, const std::vector<std::string>& section);
/// Removes the section's lines, and the blank lines just before it, so that removing the last
/// peer added leaves the file as it was before the add.
void remove_section(std::vector<std::string>& lines, const PeerSection& section);

/// A peer name addpeer accepts: 1-64 of [A-Za-z0-9_.@+-].
bool valid_peer_name(std::string_view name);

} // namespace wgx::quick
