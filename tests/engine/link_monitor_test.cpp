#include <doctest/doctest.h>

#include <cstring>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <vector>

#include "engine/link_monitor.hpp"

using namespace wgx::engine;

namespace {
void append_message(std::vector<std::uint8_t>& batch, std::uint16_t type, int ifindex) {
    std::size_t start = batch.size();
    std::size_t len = NLMSG_LENGTH(sizeof(ifinfomsg));
    batch.resize(start + NLMSG_ALIGN(len));
    nlmsghdr hdr{};
    hdr.nlmsg_len = std::uint32_t(len);
    hdr.nlmsg_type = type;
    std::memcpy(batch.data() + start, &hdr, sizeof hdr);
    ifinfomsg info{};
    info.ifi_index = ifindex;
    std::memcpy(batch.data() + start + NLMSG_HDRLEN, &info, sizeof info);
}
} // namespace

TEST_CASE("link messages for our index are noticed, others are not") {
    std::vector<std::uint8_t> batch;
    append_message(batch, RTM_NEWLINK, 3);
    append_message(batch, RTM_NEWADDR, 7);
    CHECK_FALSE(batch_mentions_link(batch, 7));
    CHECK(batch_mentions_link(batch, 3));
    append_message(batch, RTM_DELLINK, 7);
    CHECK(batch_mentions_link(batch, 7));
}

TEST_CASE("truncated or corrupt batches are not read past their end") {
    std::vector<std::uint8_t> batch;
    append_message(batch, RTM_NEWLINK, 3);
    std::vector<std::uint8_t> truncated(batch.begin(), batch.begin() + 20);
    CHECK_FALSE(batch_mentions_link(truncated, 3));
    nlmsghdr hdr{};
    hdr.nlmsg_len = 0xffff; // claims more than there is
    hdr.nlmsg_type = RTM_NEWLINK;
    std::memcpy(batch.data(), &hdr, sizeof hdr);
    CHECK_FALSE(batch_mentions_link(batch, 3));
    CHECK_FALSE(batch_mentions_link({}, 3));
}
