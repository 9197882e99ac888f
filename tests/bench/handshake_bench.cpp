// Handshakes through the protocol core on one core: a responder Device consumes initiations from
// many initiator Devices and answers each (initiation in, response out); the initiators then
// consume the responses. Sans-IO on a virtual clock, so only protocol work is timed. Run by
// tools/bench (tools/bench.d/micro.sh), never by ctest.
#include <chrono>
#include <cstdio>
#include <memory>
#include <vector>

#include "bench/cpu_clock.hpp"
#include "crypto/random.hpp"
#include "crypto/x25519.hpp"
#include "protocol/device.hpp"
#include "protocol/messages.hpp"
#include "support/fake_random.hpp"

using namespace wgx;
using namespace wgx::protocol;
using Clock = bench::CpuClock;

namespace {

constexpr int INITIATORS = 200;
/// Bounded: at most this many rounds, or about 3 s of timed work.
constexpr int MAX_ROUNDS = 60;

Bytes probe_packet() {
    // An IPv4 packet from 10.1.0.1 to the responder's 10.0.0.1: it makes an initiator start a
    // handshake.
    Bytes p(28, 0);
    p[0] = 0x45;
    p[3] = 28;
    p[8] = 64;
    p[9] = 253;
    p[12] = 10, p[13] = 1, p[15] = 1;
    p[16] = 10, p[19] = 1;
    return p;
}

Now at(double seconds) {
    auto d =
        std::chrono::duration_cast<MonoClock::duration>(std::chrono::duration<double>(seconds));
    return Now{MonoTime(std::chrono::hours(1000)) + d,
               WallTime(std::chrono::seconds(1767225600)) +
                   std::chrono::duration_cast<WallClock::duration>(d)};
}

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

} // namespace

int main() {
    test::FakeRandom keys(1), responder_random(2);
    std::vector<std::unique_ptr<test::FakeRandom>> randoms;
    Device responder(responder_random);
    Key responder_key = crypto::generate_private_key(keys);
    Key responder_public = crypto::public_key_of(responder_key);
    responder.set_private_key(responder_key);
    Output scratch;
    responder.set_up(true, at(0), scratch);
    const Endpoint responder_at = *Endpoint::parse("192.0.2.1:51820");

    struct Initiator {
        std::unique_ptr<Device> device;
        Key public_key;
        Endpoint at;
    };
    std::vector<Initiator> initiators;
    for (int i = 0; i < INITIATORS; ++i) {
        randoms.push_back(std::make_unique<test::FakeRandom>(100 + i));
        Initiator in{std::make_unique<Device>(*randoms.back()), {}, {}};
        Key k = crypto::generate_private_key(keys);
        in.public_key = crypto::public_key_of(k);
        in.device->set_private_key(k);
        in.device->set_up(true, at(0), scratch);
        in.at = *Endpoint::parse("198.51.100." + std::to_string(i % 250 + 1) + ":" +
                                 std::to_string(1024 + i));
        responder.add_peer(in.public_key);
        initiators.push_back(std::move(in));
    }

    const Bytes probe = probe_packet();
    std::vector<Bytes> initiations(INITIATORS);
    std::vector<Bytes> responses(INITIATORS);
    double consume_initiation_s = 0, consume_response_s = 0;
    // The bound set by the curve: a responder does three variable-base X25519 operations per
    // handshake (DH of its static and its ephemeral with the initiator's ephemeral, and of its
    // ephemeral with the initiator's static; static-static is precomputed) and one fixed-base
    // multiplication for its ephemeral public key (crypto::public_key_of, through the Edwards
    // form at about half an X25519's cost). Both are measured in slices between the rounds, so
    // they see the same load as the protocol core on a shared machine and the ratios compare
    // across machines. The older figure, "4 X25519 per handshake", is printed too.
    Key dh_out, dh_priv = crypto::generate_private_key(keys);
    const Key dh_pub = crypto::public_key_of(crypto::generate_private_key(keys));
    constexpr int DH_OPS_PER_ROUND = INITIATORS / 2;
    long dh_ops = 0;
    double dh_s = 0, public_key_s = 0;
    long answered = 0, completed = 0;
    Output out;
    int round = 0;
    for (; round < MAX_ROUNDS && consume_initiation_s + consume_response_s < 3.0; ++round) {
        Now now = at(1.0 + round); // a second apart: past the per-peer flood limit
        // Untimed: each initiator forgets the responder and meets it again, which starts a
        // fresh handshake (new ephemeral key, newer timestamp).
        for (int i = 0; i < INITIATORS; ++i) {
            Device& d = *initiators[std::size_t(i)].device;
            d.remove_peer(responder_public);
            d.add_peer(responder_public);
            d.set_endpoint(responder_public, responder_at);
            d.add_allowed_ip(responder_public, *IpPrefix::parse("10.0.0.0/24"));
            out.clear();
            d.on_tun_packet(probe, now, out);
            if (out.datagrams().size() != 1 ||
                out.datagrams()[0].bytes.size() != initiation::SIZE) {
                std::fprintf(stderr, "handshake bench: initiator %d sent no initiation\n", i);
                return 1;
            }
            initiations[std::size_t(i)] = out.datagrams()[0].bytes;
        }
        // Timed: the responder consumes every initiation and answers it.
        auto t = Clock::now();
        for (int i = 0; i < INITIATORS; ++i) {
            out.clear();
            responder.on_datagram(initiations[std::size_t(i)], initiators[std::size_t(i)].at, now,
                                  out);
            if (out.datagrams().size() == 1) {
                responses[std::size_t(i)] = out.datagrams()[0].bytes;
                ++answered;
            } else {
                responses[std::size_t(i)].clear();
            }
        }
        consume_initiation_s += seconds_since(t);
        // Timed: each initiator consumes its response (completing the handshake).
        t = Clock::now();
        for (int i = 0; i < INITIATORS; ++i) {
            if (responses[std::size_t(i)].empty())
                continue;
            out.clear();
            initiators[std::size_t(i)].device->on_datagram(responses[std::size_t(i)], responder_at,
                                                           now, out);
            // The staged probe goes out under the new session: proof the handshake completed.
            if (!out.datagrams().empty())
                ++completed;
        }
        consume_response_s += seconds_since(t);
        t = Clock::now();
        for (int i = 0; i < DH_OPS_PER_ROUND; ++i) {
            (void)crypto::x25519(dh_out, dh_priv, dh_pub);
            dh_priv.data()[1] ^= dh_out.data()[1];
        }
        dh_s += seconds_since(t);
        t = Clock::now();
        for (int i = 0; i < DH_OPS_PER_ROUND; ++i) {
            dh_out = crypto::public_key_of(dh_priv);
            dh_priv.data()[1] ^= dh_out.data()[1];
        }
        public_key_s += seconds_since(t);
        dh_ops += DH_OPS_PER_ROUND;
    }
    double x25519_per_s = double(dh_ops) / dh_s;
    double public_key_per_s = double(dh_ops) / public_key_s;
    double crypto_bound = 1 / (3 / x25519_per_s + 1 / public_key_per_s);
    long offered = long(round) * INITIATORS;
    if (answered != offered || completed != offered) {
        std::fprintf(stderr, "handshake bench: %ld initiations, %ld answered, %ld completed\n",
                     offered, answered, completed);
        return 1;
    }
    double responder_rate = double(answered) / consume_initiation_s;
    double initiator_rate = double(completed) / consume_response_s;
    double full_rate = double(completed) / (consume_initiation_s + consume_response_s);
    std::printf("handshake: %ld initiations consumed and answered: %.0f/s (responder, one core)\n",
                answered, responder_rate);
    std::printf("handshake: %ld responses consumed: %.0f/s (initiator); both halves: %.0f/s\n",
                completed, initiator_rate, full_rate);
    std::printf("handshake: X25519 alone %.0f ops/s (%ld ops between the rounds) = %.0f responder "
                "handshakes/s at 4 per handshake; the protocol core reaches %.0f%% of that\n",
                x25519_per_s, dh_ops, x25519_per_s / 4, 100 * responder_rate / (x25519_per_s / 4));
    std::printf("handshake: ephemeral public keys alone %.0f/s: 3 X25519 + 1 public key = %.0f "
                "responder handshakes/s; the protocol core reaches %.0f%% of that\n",
                public_key_per_s, crypto_bound, 100 * responder_rate / crypto_bound);
    std::printf("result handshakes_per_s=%.0f responses_consumed_per_s=%.0f x25519_ops_per_s=%.0f "
                "handshake_vs_x25519_bound=%.2f public_key_ops_per_s=%.0f "
                "handshake_vs_crypto_bound=%.2f\n",
                responder_rate, initiator_rate, x25519_per_s, responder_rate / (x25519_per_s / 4),
                public_key_per_s, responder_rate / crypto_bound);
}
