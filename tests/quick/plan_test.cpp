#include <doctest/doctest.h>

#include "quick/hooks.hpp"
#include "quick/plan.hpp"

using namespace wgx;
using namespace wgx::quick;

namespace {
/// Records the undos it is asked to run; fails the ones named in `failing`.
class FakeRunner : public UndoRunner {
  public:
    std::vector<Undo> ran;
    std::vector<Undo> failing;
    Result<void> run(const Undo& u) override {
        ran.push_back(u);
        for (const auto& f : failing)
            if (f == u)
                return make_error("boom: " + command_of(u), EIO);
        return {};
    }
};
} // namespace

TEST_CASE("plan: rollback undoes in reverse order and echoes each command") {
    std::vector<std::size_t> persisted;
    Plan plan([&](const std::vector<Undo>& u) { persisted.push_back(u.size()); });
    plan.done(DeleteLink{"wg0"});
    plan.done(UnsetDns{"wg0"});
    plan.done(RestoreSysctl{"k", "0"});
    plan.done(DeleteNftTable{"ip", "wg-quick-wg0"});
    CHECK(persisted == std::vector<std::size_t>{1, 2, 3, 4});

    FakeRunner runner;
    std::vector<std::string> echoed, reported;
    int failures = plan.rollback(
        runner, [&](const std::string& c) { echoed.push_back(c); },
        [&](const std::string& m) { reported.push_back(m); });
    CHECK(failures == 0);
    CHECK(runner.ran == std::vector<Undo>{DeleteNftTable{"ip", "wg-quick-wg0"},
                                          RestoreSysctl{"k", "0"}, UnsetDns{"wg0"},
                                          DeleteLink{"wg0"}});
    CHECK(echoed == std::vector<std::string>{"nft delete table ip wg-quick-wg0", "sysctl -q k=0",
                                             "resolvconf -d wg0 -f", "ip link delete dev wg0"});
    CHECK(reported.empty());
    CHECK(plan.undos().empty());
    // The record shrinks with every undo and ends empty (removed).
    CHECK(persisted == std::vector<std::size_t>{1, 2, 3, 4, 3, 2, 1, 0});
}

TEST_CASE("plan: a failing undo is reported and the others still run") {
    Plan plan;
    plan.done(DeleteLink{"wg0"});
    plan.done(UnsetDns{"wg0"});
    plan.done(DeleteNftTable{"ip", "t"});
    FakeRunner runner;
    runner.failing = {UnsetDns{"wg0"}};
    std::vector<std::string> reported;
    int failures = plan.rollback(
        runner, [](const std::string&) {}, [&](const std::string& m) { reported.push_back(m); });
    CHECK(failures == 1);
    CHECK(runner.ran.size() == 3);
    CHECK(reported == std::vector<std::string>{"boom: resolvconf -d wg0 -f"});
}

TEST_CASE("hooks: %i is the interface, everywhere") {
    CHECK(expand_hook("ip link show %i; echo %i%i %", "wg0") == "ip link show wg0; echo wg0wg0 %");
    CHECK(expand_hook("100%", "x") == "100%");
    CHECK(expand_hook("%%i", "x") == "%x");
}
