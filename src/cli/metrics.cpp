// `metrics`: the Prometheus form of every interface, served over HTTP (--listen) or written
// for node_exporter's textfile collector (--textfile, atomically, once or every --interval).
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <poll.h>

#include "base/atomic_file.hpp"
#include "cli/commands.hpp"
#include "cli/device_snapshot.hpp"
#include "cli/metrics_server.hpp"
#include "cli/prometheus_format.hpp"
#include "cli/show_options.hpp"

namespace wgx::cli {

namespace {

volatile std::sig_atomic_t stop_requested = 0;

void on_stop_signal(int) {
    stop_requested = 1;
}

void watch_stop_signals() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal; // no SA_RESTART: poll() returns at once
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
}

int usage(const Invocation& inv) {
    std::fprintf(stderr,
                 "Usage: %s %s { --listen <address>:<port> | --textfile <path> [--interval "
                 "<seconds>] } [--stale-after <seconds>]\n",
                 inv.prog.c_str(), inv.args[0].c_str());
    return 1;
}

struct MetricsOptions {
    std::optional<Endpoint> listen;
    std::string textfile;
    std::optional<std::chrono::seconds> interval;
    std::chrono::seconds stale_after = REJECT_AFTER_TIME;
};

/// Parses the arguments; nullopt after printing what is wrong.
std::optional<MetricsOptions> parse(const Invocation& inv) {
    MetricsOptions o;
    const auto& a = inv.args;
    for (std::size_t i = 1; i < a.size(); ++i) {
        if (i + 1 >= a.size()) {
            std::fprintf(stderr, "Missing value for `%s'\n", a[i].c_str());
            return std::nullopt;
        }
        const std::string& value = a[i + 1];
        if (a[i] == "--listen") {
            o.listen = Endpoint::parse(value);
            if (!o.listen) {
                std::fprintf(stderr, "Invalid listen address: `%s'\n", value.c_str());
                return std::nullopt;
            }
        } else if (a[i] == "--textfile") {
            o.textfile = value;
        } else if (a[i] == "--interval" || a[i] == "--stale-after") {
            auto seconds = parse_stale_after(value);
            if (!seconds) {
                std::fprintf(stderr, "Invalid %s: `%s'\n", a[i].c_str() + 2, value.c_str());
                return std::nullopt;
            }
            if (a[i] == "--interval")
                o.interval = *seconds;
            else
                o.stale_after = *seconds;
        } else {
            std::fprintf(stderr, "Invalid argument: `%s'\n", a[i].c_str());
            return std::nullopt;
        }
        ++i;
    }
    if (o.listen.has_value() == !o.textfile.empty() || (o.interval && o.listen)) {
        std::fprintf(stderr, "Give either --listen or --textfile (--interval goes with it)\n");
        return std::nullopt;
    }
    return o;
}

/// The metrics of every interface now; a failure to list them becomes a comment line, so that
/// a scrape still gets a valid (empty) exposition.
std::string sample(std::chrono::seconds stale_after) {
    auto devices = read_named_devices();
    if (!devices)
        return "# wgx: unable to list interfaces: " +
               std::string(std::strerror(devices.error().code)) + "\n";
    return format_prometheus(*devices, ReportStyle{true, std::time(nullptr), stale_after});
}

int write_textfile(const MetricsOptions& o) {
    for (;;) {
        // 0644: node_exporter usually runs as its own user and only reads the file.
        if (auto r = write_file_atomically(o.textfile, sample(o.stale_after), 0644); !r) {
            std::fprintf(stderr, "%s\n", r.error().message.c_str());
            return 1;
        }
        if (!o.interval)
            return 0;
        auto deadline = std::time(nullptr) + o.interval->count();
        while (!stop_requested && std::time(nullptr) < deadline)
            ::poll(nullptr, 0, 200);
        if (stop_requested)
            return 0;
    }
}

} // namespace

int metrics_main(const Invocation& inv) {
    if (inv.args.size() == 2 &&
        (inv.args[1] == "--help" || inv.args[1] == "-h" || inv.args[1] == "help")) {
        usage(inv);
        return 0;
    }
    auto options = parse(inv);
    if (!options)
        return usage(inv);
    watch_stop_signals();
    if (!options->textfile.empty())
        return write_textfile(*options);
    auto listener = listen_tcp(*options->listen);
    if (!listener) {
        std::fprintf(stderr, "%s\n", listener.error().message.c_str());
        return 1;
    }
    serve_http(
        listener->get(), [&] { return sample(options->stale_after); },
        [] { return stop_requested != 0; });
    return 0;
}

} // namespace wgx::cli
