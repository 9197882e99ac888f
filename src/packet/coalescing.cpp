#include "packet/coalescing.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "packet/checksum.hpp"
#include "packet/ip_header.hpp"

namespace wgx::packet {

namespace {

constexpr std::uint32_t NONE = std::numeric_limits<std::uint32_t>::max();
// The header of every write that is not a merged super-packet: no GSO, no checksum request.
constexpr std::array<std::uint8_t, VIRTIO_NET_HDR_SIZE> PLAIN_HDR{};
// TCP flags a merged segment may carry: ACK, and PSH on the last one.
constexpr std::uint8_t TCP_MERGEABLE_FLAGS = TCP_ACK_FLAG | TCP_PSH;

// One packet of the batch. A "head" starts a group (what becomes one write); followers are
// chained behind it through `next` and contribute only their payload.
struct Entry {
    MutableByteView packet;
    IpPacketLayout layout;
    bool parsed = false;   // layout is valid and the packet is TCP/UDP of an enabled kind
    bool follower = false; // merged into an earlier head
    bool open = false;     // heads: may still take followers
    bool psh = false;      // heads: a merged segment carried PSH
    std::uint32_t next = NONE;
    std::uint32_t last = NONE;   // heads: the group's last entry
    std::uint32_t segments = 1;  // heads
    std::uint32_t total_len = 0; // heads: IP length of the super-packet
    std::uint32_t next_seq = 0;  // heads, TCP: where the next segment must start
    std::uint32_t hash = 0;      // the flow's hash
};

// Open addressing over the flows of the current batch; slots of older batches are recognised
// by their generation, so clear() does not have to touch the table.
struct FlowSlot {
    std::uint32_t generation = 0;
    std::uint32_t hash = 0;
    std::uint32_t entry = NONE; // the flow's latest head
};

std::uint32_t flow_hash(const Entry& e) {
    const std::uint8_t* p = e.packet.data();
    std::uint64_t h = 0xcbf29ce484222325ull ^ e.layout.protocol;
    auto mix = [&h](const std::uint8_t* q, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i)
            h = (h ^ q[i]) * 0x100000001b3ull;
    };
    mix(p + e.layout.addresses_offset(), e.layout.addresses_len());
    mix(p + e.layout.ip_header_len, 4); // ports
    return std::uint32_t(h ^ (h >> 32));
}

bool same_flow(const Entry& a, const Entry& b) {
    if (a.layout.ip_version != b.layout.ip_version || a.layout.protocol != b.layout.protocol)
        return false;
    const std::uint8_t* p = a.packet.data();
    const std::uint8_t* q = b.packet.data();
    return std::memcmp(p + a.layout.addresses_offset(), q + b.layout.addresses_offset(),
                       a.layout.addresses_len()) == 0 &&
           std::memcmp(p + a.layout.ip_header_len, q + b.layout.ip_header_len, 4) == 0;
}

// IP header fields that must agree for two packets to be one super-packet's segments.
bool ip_headers_match(const Entry& head, const Entry& p) {
    const std::uint8_t* a = head.packet.data();
    const std::uint8_t* b = p.packet.data();
    if (head.layout.ip_version == 4)
        return p.layout.ip_header_len == IPV4_MIN_HEADER_LEN && a[IPV4_TOS] == b[IPV4_TOS] &&
               a[IPV4_TTL] == b[IPV4_TTL] &&
               (a[IPV4_FRAGMENT] & 0x40) == (b[IPV4_FRAGMENT] & 0x40); // DF
    // Version, traffic class and flow label share the first four bytes.
    return std::memcmp(a, b, 4) == 0 && a[IPV6_HOP_LIMIT] == b[IPV6_HOP_LIMIT];
}

// Whether `e`, which follows nothing it could join, may start a group.
bool can_start_group(const Entry& e, const CoalesceOptions& options) {
    if (!e.parsed || e.layout.payload_len() == 0 || options.max_segments < 2 ||
        e.layout.length > std::min<std::size_t>(options.max_size, 65535))
        return false;
    if (e.layout.ip_version == 4 && e.layout.ip_header_len != IPV4_MIN_HEADER_LEN)
        return false;
    const std::uint8_t* l4 = e.packet.data() + e.layout.ip_header_len;
    if (e.layout.is_udp())
        return load_be16(l4 + UDP_LENGTH) == e.layout.length - e.layout.ip_header_len;
    std::uint8_t flags = l4[TCP_FLAGS];
    // PSH ends a group: a head carrying it can take nothing after it.
    return (flags & ~TCP_MERGEABLE_FLAGS) == 0 && (flags & TCP_PSH) == 0;
}

bool try_join(Entry& head, const Entry& p, const CoalesceOptions& options) {
    if (!head.open || !p.parsed)
        return false;
    const std::size_t gso = head.layout.payload_len();
    const std::size_t payload = p.layout.payload_len();
    if (payload == 0 || payload > gso || head.segments >= options.max_segments ||
        head.total_len + payload > std::min<std::size_t>(options.max_size, 65535) ||
        p.layout.l4_header_len != head.layout.l4_header_len || !ip_headers_match(head, p))
        return false;
    const std::uint8_t* a = head.packet.data() + head.layout.ip_header_len;
    const std::uint8_t* b = p.packet.data() + p.layout.ip_header_len;
    if (head.layout.is_udp()) {
        if (load_be16(b + UDP_LENGTH) != p.layout.length - p.layout.ip_header_len)
            return false;
    } else {
        std::uint8_t flags = b[TCP_FLAGS];
        if ((flags & ~TCP_MERGEABLE_FLAGS) != 0 ||
            (flags & ~TCP_PSH) != (a[TCP_FLAGS] & ~TCP_PSH) ||
            load_be32(b + TCP_SEQ) != head.next_seq ||
            std::memcmp(a + TCP_ACK, b + TCP_ACK, 4) != 0 ||
            std::memcmp(a + TCP_WINDOW, b + TCP_WINDOW, 2) != 0 ||
            std::memcmp(a + TCP_MIN_HEADER_LEN, b + TCP_MIN_HEADER_LEN,
                        head.layout.l4_header_len - TCP_MIN_HEADER_LEN) != 0)
            return false;
        if (flags & TCP_PSH) {
            head.psh = true;
            head.open = false;
        }
        head.next_seq += std::uint32_t(payload);
    }
    if (payload < gso) // only the last segment may be short
        head.open = false;
    head.segments += 1;
    head.total_len += std::uint32_t(payload);
    return true;
}

// Rewrites the head packet's headers to describe the whole group and returns its virtio header.
VirtioNetHdr rewrite_head(Entry& head) {
    std::uint8_t* ip = head.packet.data();
    const IpPacketLayout& layout = head.layout;
    const std::uint32_t l4_len = head.total_len - layout.ip_header_len;
    std::uint8_t* l4 = ip + layout.ip_header_len;
    if (layout.ip_version == 4) {
        store_be16(ip + IPV4_TOTAL_LENGTH, std::uint16_t(head.total_len));
        store_be16(ip + IPV4_CHECKSUM, 0);
        store_be16(ip + IPV4_CHECKSUM,
                   checksum_finish(checksum_add(ByteView(ip, layout.ip_header_len))));
    } else {
        store_be16(ip + IPV6_PAYLOAD_LENGTH, std::uint16_t(l4_len));
    }
    const std::uint16_t pseudo = checksum_fold(pseudo_header_sum(
        ByteView(ip + layout.addresses_offset(), layout.addresses_len()), layout.protocol, l4_len));
    VirtioNetHdr hdr;
    hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    hdr.hdr_len = std::uint16_t(layout.header_len());
    hdr.gso_size = std::uint16_t(layout.payload_len());
    hdr.csum_start = layout.ip_header_len;
    if (layout.is_tcp()) {
        if (head.psh)
            l4[TCP_FLAGS] |= TCP_PSH;
        store_be16(l4 + TCP_CHECKSUM, pseudo);
        hdr.gso_type = layout.ip_version == 4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
        hdr.csum_offset = TCP_CHECKSUM;
    } else {
        store_be16(l4 + UDP_LENGTH, std::uint16_t(l4_len));
        store_be16(l4 + UDP_CHECKSUM, pseudo);
        hdr.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
        hdr.csum_offset = UDP_CHECKSUM;
    }
    return hdr;
}

} // namespace

struct Coalescer::State {
    std::vector<Entry> entries;
    std::vector<FlowSlot> flows = std::vector<FlowSlot>(64);
    std::uint32_t generation = 1;
    std::vector<CoalescedWrite> writes; // never shrunk: each keeps its parts' capacity
    std::size_t write_count = 0;
    std::vector<std::array<std::uint8_t, VIRTIO_NET_HDR_SIZE>> headers;
    bool finished = false;

    FlowSlot& find_slot(const Entry& e) {
        const std::size_t mask = flows.size() - 1;
        for (std::size_t i = e.hash & mask;; i = (i + 1) & mask) {
            FlowSlot& slot = flows[i];
            if (slot.generation != generation ||
                (slot.hash == e.hash && same_flow(entries[slot.entry], e)))
                return slot;
        }
    }

    // Keeps the table at most half full, so probing stays short and always ends.
    void reserve_flows(std::size_t needed) {
        if (needed * 2 <= flows.size())
            return;
        std::vector<FlowSlot> old(flows.size() * 2);
        old.swap(flows);
        for (const FlowSlot& slot : old)
            if (slot.generation == generation)
                find_slot(entries[slot.entry]) = slot;
    }

    CoalescedWrite& next_write() {
        if (write_count == writes.size())
            writes.emplace_back();
        CoalescedWrite& w = writes[write_count++];
        w.parts.clear();
        return w;
    }
};

Coalescer::Coalescer(CoalesceOptions options)
    : options_(options), state_(std::make_unique<State>()) {}
Coalescer::~Coalescer() = default;
Coalescer::Coalescer(Coalescer&&) noexcept = default;
Coalescer& Coalescer::operator=(Coalescer&&) noexcept = default;

void Coalescer::add(MutableByteView packet) {
    if (!state_) // moved from: usable again, like a new one
        state_ = std::make_unique<State>();
    State& s = *state_;
    if (s.finished)
        clear();
    if (s.entries.size() >= NONE - 1)
        return; // cannot be reached with real batches; keeps the indices valid
    const auto index = std::uint32_t(s.entries.size());
    Entry& e = s.entries.emplace_back();
    e.packet = packet;
    e.last = index;
    auto layout = parse_ip_packet(packet);
    if (!layout || !((layout->is_tcp() && options_.tcp) || (layout->is_udp() && options_.udp)))
        return; // passes through; its flow (if any) is not merged, so order is kept anyway
    e.layout = *layout;
    e.parsed = true;
    e.hash = flow_hash(e);
    e.total_len = layout->length;
    if (layout->is_tcp())
        e.next_seq = load_be32(packet.data() + layout->ip_header_len + TCP_SEQ) +
                     std::uint32_t(layout->payload_len());

    s.reserve_flows(s.entries.size());
    FlowSlot& slot = s.find_slot(e);
    if (slot.generation == s.generation) {
        Entry& head = s.entries[slot.entry];
        if (try_join(head, e, options_)) {
            s.entries[head.last].next = index;
            head.last = index;
            e.follower = true;
            return;
        }
    }
    // A packet of the flow that did not join ends the flow's group: later segments must not
    // overtake it.
    e.open = can_start_group(e, options_);
    slot = FlowSlot{s.generation, e.hash, index};
}

std::span<const CoalescedWrite> Coalescer::finish() {
    if (!state_)
        return {};
    State& s = *state_;
    if (s.finished)
        return {s.writes.data(), s.write_count};
    s.finished = true;
    std::size_t merged = 0;
    for (const Entry& e : s.entries)
        merged += !e.follower && e.segments > 1;
    s.headers.resize(merged); // before any part points into it
    std::size_t h = 0;
    for (Entry& e : s.entries) {
        if (e.follower)
            continue;
        CoalescedWrite& w = s.next_write();
        if (e.segments == 1) {
            w.parts.push_back(ByteView(PLAIN_HDR));
            w.parts.push_back(ByteView(e.packet));
            continue;
        }
        create_virtio_net_hdr(rewrite_head(e), s.headers[h]);
        w.parts.push_back(ByteView(s.headers[h++]));
        w.parts.push_back(ByteView(e.packet.first(e.layout.length)));
        for (std::uint32_t i = e.next; i != NONE; i = s.entries[i].next) {
            const Entry& f = s.entries[i];
            w.parts.push_back(
                ByteView(f.packet.subspan(f.layout.header_len(), f.layout.payload_len())));
        }
    }
    return {s.writes.data(), s.write_count};
}

void Coalescer::clear() {
    if (!state_)
        return;
    State& s = *state_;
    s.entries.clear();
    s.write_count = 0;
    s.finished = false;
    if (++s.generation == 0) { // after 2^32 batches: forget the old slots for real
        std::fill(s.flows.begin(), s.flows.end(), FlowSlot{});
        s.generation = 1;
    }
}

} // namespace wgx::packet
