// `top`: a live view of every peer (or one interface's), refreshed every second: name or short
// key, endpoint, status, handshake age, rx/tx rates and totals, most traffic first. `q` quits,
// the arrow keys (and Page Up/Down) scroll. Without a terminal, or with --once, one sample
// with rates over one second is printed as text.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/device_snapshot.hpp"
#include "cli/output.hpp"
#include "cli/show_options.hpp"
#include "cli/top_view.hpp"

namespace wgx::cli {

namespace {

using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t top_stop = 0;

void on_top_signal(int) {
    top_stop = 1;
}

struct TopOptions {
    std::string interface;
    bool once = false;
    std::chrono::seconds stale_after = REJECT_AFTER_TIME;
};

std::optional<TopOptions> parse(const Invocation& inv) {
    TopOptions o;
    const auto& a = inv.args;
    for (std::size_t i = 1; i < a.size(); ++i) {
        if (a[i] == "--once") {
            o.once = true;
        } else if (a[i] == "--stale-after" && i + 1 < a.size()) {
            auto s = parse_stale_after(a[++i]);
            if (!s) {
                std::fprintf(stderr, "Invalid stale-after: `%s'\n", a[i].c_str());
                return std::nullopt;
            }
            o.stale_after = *s;
        } else if (o.interface.empty() && !a[i].empty() && a[i][0] != '-') {
            o.interface = a[i];
        } else {
            std::fprintf(stderr, "Invalid argument: `%s'\n", a[i].c_str());
            return std::nullopt;
        }
    }
    return o;
}

/// One sample and when it was taken; an error has been printed when it is nullopt.
struct Sample {
    std::vector<NamedDevice> devices;
    Clock::time_point at;
};

std::optional<Sample> take_sample(const TopOptions& o) {
    auto devices = read_named_devices(o.interface);
    if (!devices) {
        print_errno(o.interface.empty() ? "Unable to list interfaces"
                                        : "Unable to access interface",
                    devices.error());
        return std::nullopt;
    }
    return Sample{std::move(*devices), Clock::now()};
}

std::vector<TopRow> rows_between(const Sample& a, const Sample& b, const TopOptions& o) {
    double seconds = std::chrono::duration<double>(b.at - a.at).count();
    return top_rows(a.devices, b.devices, seconds,
                    ReportStyle{true, std::time(nullptr), o.stale_after});
}

int print_once(const TopOptions& o) {
    auto a = take_sample(o);
    if (!a)
        return 1;
    ::poll(nullptr, 0, 1000);
    auto b = take_sample(o);
    if (!b)
        return 1;
    auto rows = rows_between(*a, *b, o);
    write_out(format_top_table(rows, 0, rows.size(), std::numeric_limits<std::size_t>::max()));
    return 0;
}

/// The terminal in the state the live view needs (no echo, keys unbuffered, alternate screen,
/// hidden cursor) for as long as it lives.
class LiveTerminal {
  public:
    LiveTerminal() {
        ::tcgetattr(STDIN_FILENO, &saved_);
        termios raw = saved_;
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO);
        raw.c_cc[VMIN] = 0;
        raw.c_cc[VTIME] = 0;
        ::tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        write_out("\x1b[?1049h\x1b[?25l");
        std::fflush(stdout);
    }
    ~LiveTerminal() {
        write_out("\x1b[?25h\x1b[?1049l");
        std::fflush(stdout);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
    }
    LiveTerminal(const LiveTerminal&) = delete;
    LiveTerminal& operator=(const LiveTerminal&) = delete;

    static std::pair<std::size_t, std::size_t> size() {
        winsize ws{};
        if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || !ws.ws_row || !ws.ws_col)
            return {24, 80};
        return {ws.ws_row, ws.ws_col};
    }

  private:
    termios saved_{};
};

void draw(const std::vector<TopRow>& rows, std::size_t& scroll) {
    auto [height, width] = LiveTerminal::size();
    std::size_t visible = height > 3 ? height - 3 : 1;
    std::size_t max_scroll = rows.size() > visible ? rows.size() - visible : 0;
    scroll = std::min(scroll, max_scroll);
    char when[16];
    std::time_t now = std::time(nullptr);
    std::strftime(when, sizeof when, "%H:%M:%S", std::localtime(&now));
    std::string title = "wgx top  " + std::string(when) + "  " + std::to_string(rows.size()) +
                        " peers (" + std::to_string(rows.empty() ? 0 : scroll + 1) + "-" +
                        std::to_string(std::min(rows.size(), scroll + visible)) +
                        ")  q: quit  arrows: scroll";
    if (title.size() > width)
        title.resize(width);
    std::string table = format_top_table(rows, scroll, visible, width);
    table.pop_back(); // a newline after the bottom line would scroll the title away
    write_out("\x1b[H\x1b[2J" + title + "\n\n" + table);
    std::fflush(stdout);
}

/// Reads the keys waiting on stdin; false when `q` was pressed.
bool handle_keys(std::size_t& scroll, std::size_t page) {
    char buf[64];
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    std::string_view keys(buf, n > 0 ? std::size_t(n) : 0);
    while (!keys.empty()) {
        if (keys[0] == 'q' || keys[0] == 'Q')
            return false;
        auto seq = [&](std::string_view s) {
            if (keys.substr(0, s.size()) != s)
                return false;
            keys.remove_prefix(s.size());
            return true;
        };
        if (seq("\x1b[A") || seq("\x1bOA"))
            scroll = scroll ? scroll - 1 : 0;
        else if (seq("\x1b[B") || seq("\x1bOB"))
            ++scroll; // draw() clamps it
        else if (seq("\x1b[5~"))
            scroll = scroll > page ? scroll - page : 0;
        else if (seq("\x1b[6~"))
            scroll += page;
        else
            keys.remove_prefix(1);
    }
    return true;
}

int live(const TopOptions& o) {
    struct sigaction sa {};
    sa.sa_handler = on_top_signal;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGHUP, &sa, nullptr);
    auto previous = take_sample(o);
    if (!previous)
        return 1;
    LiveTerminal terminal;
    std::size_t scroll = 0;
    auto rows = rows_between(*previous, *previous, o);
    draw(rows, scroll);
    auto next = Clock::now() + std::chrono::seconds(1);
    while (!top_stop) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now());
        pollfd p{STDIN_FILENO, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, wait.count())));
        if (ready > 0) {
            if (!handle_keys(scroll, LiveTerminal::size().first / 2))
                break;
            draw(rows, scroll);
        }
        if (Clock::now() < next)
            continue;
        auto current = take_sample(o);
        if (!current)
            return 1;
        rows = rows_between(*previous, *current, o);
        previous = std::move(current);
        draw(rows, scroll);
        next += std::chrono::seconds(1);
    }
    return 0;
}

} // namespace

int top_main(const Invocation& inv) {
    if (inv.args.size() == 2 &&
        (inv.args[1] == "--help" || inv.args[1] == "-h" || inv.args[1] == "help")) {
        std::fprintf(stdout, "Usage: %s %s [<interface>] [--once] [--stale-after <seconds>]\n",
                     inv.prog.c_str(), inv.args[0].c_str());
        return 0;
    }
    auto options = parse(inv);
    if (!options) {
        std::fprintf(stderr, "Usage: %s %s [<interface>] [--once] [--stale-after <seconds>]\n",
                     inv.prog.c_str(), inv.args[0].c_str());
        return 1;
    }
    if (options->once || !::isatty(STDOUT_FILENO) || !::isatty(STDIN_FILENO))
        return print_once(*options);
    return live(*options);
}

} // namespace wgx::cli
