#include "netlink/rule.hpp"

#include <cerrno>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

namespace wgx::netlink {

namespace {

Error no_memory() {
    return make_error("Cannot build netlink message", ENOMEM);
}

MsgPtr rule_message(int type, int flags, int family) {
    MsgPtr msg(nlmsg_alloc_simple(type, flags));
    fib_rule_hdr frh{};
    frh.family = std::uint8_t(family);
    if (msg && nlmsg_append(msg.get(), &frh, sizeof frh, NLMSG_ALIGNTO) < 0)
        msg.reset();
    return msg;
}

Result<void> change_rule(Socket& sock, int type, int flags, const RuleSpec& spec) {
    MsgPtr msg = rule_message(type, flags, spec.family);
    if (!msg)
        return no_memory();
    auto* frh = static_cast<fib_rule_hdr*>(nlmsg_data(nlmsg_hdr(msg.get())));
    frh->action = FR_ACT_TO_TBL;
    frh->flags = spec.invert ? FIB_RULE_INVERT : 0;
    // As ip does: small table ids in the header, larger ones as FRA_TABLE.
    frh->table = spec.table < 256 ? std::uint8_t(spec.table) : std::uint8_t(RT_TABLE_UNSPEC);
    if (spec.table >= 256 && nla_put_u32(msg.get(), FRA_TABLE, spec.table) < 0)
        return no_memory();
    if (spec.fwmark && nla_put_u32(msg.get(), FRA_FWMARK, *spec.fwmark) < 0)
        return no_memory();
    if (spec.suppress_prefixlength &&
        nla_put_u32(msg.get(), FRA_SUPPRESS_PREFIXLEN, *spec.suppress_prefixlength) < 0)
        return no_memory();
    return sock.request(msg.release());
}

} // namespace

Result<void> add_rule(Socket& sock, const RuleSpec& spec) {
    return change_rule(sock, RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, spec);
}

Result<void> delete_rule(Socket& sock, const RuleSpec& spec) {
    return change_rule(sock, RTM_DELRULE, 0, spec);
}

Result<std::vector<RuleEntry>> list_rules(Socket& sock, int family) {
    MsgPtr msg = rule_message(RTM_GETRULE, NLM_F_DUMP, family);
    if (!msg)
        return no_memory();
    std::vector<RuleEntry> out;
    auto r = sock.dump(msg.release(), [&](nlmsghdr* nlh) {
        if (nlh->nlmsg_type != RTM_NEWRULE)
            return;
        auto* frh = static_cast<fib_rule_hdr*>(nlmsg_data(nlh));
        if (frh->family != family)
            return;
        nlattr* tb[FRA_MAX + 1] = {};
        if (nlmsg_parse(nlh, sizeof *frh, tb, FRA_MAX, nullptr) < 0)
            return;
        RuleEntry e;
        e.spec.family = frh->family;
        e.spec.table = tb[FRA_TABLE] ? nla_get_u32(tb[FRA_TABLE]) : frh->table;
        e.spec.invert = frh->flags & FIB_RULE_INVERT;
        if (tb[FRA_FWMARK])
            e.spec.fwmark = nla_get_u32(tb[FRA_FWMARK]);
        if (tb[FRA_SUPPRESS_PREFIXLEN]) {
            // The kernel reports -1 (0xffffffff) for "not set".
            std::uint32_t v = nla_get_u32(tb[FRA_SUPPRESS_PREFIXLEN]);
            if (v != 0xffffffffu)
                e.spec.suppress_prefixlength = v;
        }
        if (tb[FRA_PRIORITY])
            e.priority = nla_get_u32(tb[FRA_PRIORITY]);
        e.other_selectors = frh->src_len || frh->dst_len || frh->tos || tb[FRA_IIFNAME] ||
                            tb[FRA_OIFNAME] || tb[FRA_UID_RANGE] || tb[FRA_IP_PROTO] ||
                            tb[FRA_SPORT_RANGE] || tb[FRA_DPORT_RANGE] || tb[FRA_L3MDEV] ||
                            tb[FRA_TUN_ID];
        out.push_back(e);
    });
    if (!r)
        return r.error();
    return out;
}

} // namespace wgx::netlink
