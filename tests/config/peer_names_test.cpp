#include <doctest/doctest.h>

#include "config/peer_names.hpp"

using namespace wgx::config;

namespace {
const char* TEXT = R"([Interface]
PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
# Name = not a peer

[Peer]
# Name = laptop
PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
AllowedIPs = 10.0.0.2/32

[peer]
PublicKey=TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=  # a trailing comment
#friendly_name=phone of Ann
# Name = second name is ignored

[Peer]
PublicKey = HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=

[Peer]
# Name = keyless
)";
}

TEST_CASE("names come from # Name and # friendly_name lines of [Peer] sections") {
    auto names = read_peer_names(TEXT);
    REQUIRE(names.size() == 2);
    CHECK(names[0].public_key == "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=");
    CHECK(names[0].name == "laptop");
    CHECK(names[1].public_key == "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=");
    CHECK(names[1].name == "phone of Ann");
}

TEST_CASE("lookups both ways - an ambiguous name resolves to nothing") {
    auto names = read_peer_names(TEXT);
    CHECK(name_of(names, "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=") == "laptop");
    CHECK_FALSE(name_of(names, "HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw="));
    CHECK(key_of(names, "laptop") == "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=");
    CHECK_FALSE(key_of(names, "Laptop"));
    names.push_back({"HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=", "laptop"});
    CHECK_FALSE(key_of(names, "laptop"));
}
