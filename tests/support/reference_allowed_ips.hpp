#pragma once
// A deliberately simple model of cryptokey routing for differential tests: one list of
// (prefix, peer) in insertion order, longest-prefix match by scanning all of it.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/ip.hpp"

namespace wgx::test {

class ReferenceAllowedIps {
  public:
    using PeerId = std::uint32_t;

    void insert(const IpPrefix& prefix, PeerId peer) {
        IpPrefix p = prefix.masked();
        std::erase_if(entries_, [&](const Entry& e) { return e.prefix == p; });
        entries_.push_back({p, peer}); // a moved or re-added prefix goes last
    }
    bool remove(const IpPrefix& prefix, PeerId peer) {
        IpPrefix p = prefix.masked();
        return std::erase_if(entries_,
                             [&](const Entry& e) { return e.prefix == p && e.peer == peer; }) > 0;
    }
    void remove_peer(PeerId peer) {
        std::erase_if(entries_, [&](const Entry& e) { return e.peer == peer; });
    }
    std::optional<PeerId> lookup(const IpAddress& a) const {
        const Entry* best = nullptr;
        for (const Entry& e : entries_)
            if (e.prefix.contains(a) && (!best || e.prefix.cidr > best->prefix.cidr))
                best = &e;
        return best ? std::optional<PeerId>(best->peer) : std::nullopt;
    }
    std::vector<IpPrefix> prefixes_of(PeerId peer) const {
        std::vector<IpPrefix> out;
        for (const Entry& e : entries_)
            if (e.peer == peer)
                out.push_back(e.prefix);
        return out;
    }
    std::size_t size() const { return entries_.size(); }

  private:
    struct Entry {
        IpPrefix prefix;
        PeerId peer;
    };
    std::vector<Entry> entries_;
};

} // namespace wgx::test
