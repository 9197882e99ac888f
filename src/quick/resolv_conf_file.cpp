#include "quick/resolv_conf_file.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic_file.hpp"
#include "base/unique_fd.hpp"
#include "quick/record.hpp"

namespace wgx::quick {

namespace {

constexpr std::string_view MARKER = "# wgx-quick: DNS of ";
/// resolv.conf is small; a bigger one is not what it seems.
constexpr std::size_t MAX_SIZE = 1 << 20;

Error errno_error(const std::string& what, const std::string& path) {
    int e = errno;
    return make_error(what + " `" + path + "': " + std::strerror(e), e);
}

Result<std::string> read_all(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return errno_error("Unable to read", path);
    std::string text;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno_error("Unable to read", path);
        if (n == 0)
            break;
        text.append(buf, std::size_t(n));
        if (text.size() > MAX_SIZE)
            return make_error("`" + path + "' is larger than 1 MiB", EFBIG);
    }
    return text;
}

/// The file itself, through a symlink (Debian's resolvconf makes /etc/resolv.conf one):
/// writing the target keeps the link, so the restore gives back exactly what was there.
std::string real_path(const std::string& path) {
    char buf[PATH_MAX];
    return ::realpath(path.c_str(), buf) ? std::string(buf) : path;
}

Result<void> write_in_place(const std::string& path, std::string_view content) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (!fd)
        return errno_error("Unable to write", path);
    if (auto w = write_all(fd.get(), content); !w) {
        errno = w.error().code;
        return errno_error("Unable to write", path);
    }
    if (::fsync(fd.get()) < 0)
        return errno_error("Unable to sync", path);
    return {};
}

/// Whether `path` is a mount point of its own (a bind mount, as in containers and tests).
bool is_mount_root(const std::string& path) {
    struct statx sx;
    if (::statx(AT_FDCWD, path.c_str(), 0, STATX_BASIC_STATS, &sx) < 0)
        return false;
    return (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
           (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

/// Readers see the old or the new file (temp + rename, with the old file's mode); a mount point
/// cannot be renamed over, so there the file is rewritten in place.
Result<void> write_resolv_conf(std::string_view content) {
    const std::string path = real_path(resolv_conf_path());
    if (is_mount_root(path))
        return write_in_place(path, content);
    struct stat st;
    mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
    auto r = write_file_atomically(path, content, mode);
    if (r || r.error().code != EBUSY)
        return r;
    return write_in_place(path, content);
}

} // namespace

std::string resolv_conf_path() {
    return "/etc/resolv.conf";
}

std::string saved_resolv_conf_path(const std::string& interface) {
    return state_dir() + "/" + interface + ".resolv.conf";
}

std::string resolv_conf_marker(const std::string& interface) {
    return std::string(MARKER) + interface + " (the original comes back with `wgx-quick down " +
           interface + "')";
}

std::string resolv_conf_owner(std::string_view text) {
    if (!text.starts_with(MARKER))
        return "";
    text.remove_prefix(MARKER.size());
    auto end = text.find_first_of(" \n");
    return std::string(text.substr(0, end));
}

std::string rewritten_resolv_conf(const std::string& interface, std::string_view original,
                                  const std::vector<std::string>& servers,
                                  const std::vector<std::string>& search) {
    std::string out = resolv_conf_marker(interface) + "\n";
    for (const auto& s : servers)
        out += "nameserver " + s + "\n";
    if (!search.empty()) {
        out += "search";
        for (const auto& d : search)
            out += " " + d;
        out += "\n";
    }
    std::size_t start = 0;
    while (start < original.size()) {
        auto end = original.find('\n', start);
        if (end == std::string_view::npos)
            end = original.size();
        std::string_view line = original.substr(start, end - start);
        std::size_t i = line.find_first_not_of(" \t");
        if (i != std::string_view::npos && line.substr(i).starts_with("options") &&
            line.size() > i + 7 && (line[i + 7] == ' ' || line[i + 7] == '\t'))
            out += std::string(line) + "\n";
        start = end + 1;
    }
    return out;
}

Result<void> replace_resolv_conf(const std::string& interface,
                                 const std::function<std::string(std::string_view)>& rewritten) {
    const std::string saved = saved_resolv_conf_path(interface);
    auto current = read_all(resolv_conf_path());
    if (!current)
        return current.error();
    const std::string owner = resolv_conf_owner(*current);
    if (!owner.empty() && owner != interface)
        return make_error(resolv_conf_path() + " holds the DNS of `" + owner +
                              "' already: take it down first, or use --dns-backend=resolvconf",
                          EBUSY);
    std::string original = *current;
    struct stat st;
    if (owner == interface && ::stat(saved.c_str(), &st) == 0) {
        // A crashed up of this interface rewrote the file: the copy is the original.
        auto kept = read_all(saved);
        if (!kept)
            return kept.error();
        original = *kept;
    } else {
        if (::mkdir(state_dir().c_str(), 0700) < 0 && errno != EEXIST)
            return errno_error("Unable to create", state_dir());
        if (auto r = write_file_atomically(saved, original, 0600); !r)
            return r;
    }
    return write_resolv_conf(rewritten(original));
}

Result<void> restore_resolv_conf(const std::string& interface) {
    const std::string saved = saved_resolv_conf_path(interface);
    auto original = read_all(saved);
    if (!original) {
        if (original.error().code == ENOENT)
            return {};
        return original.error();
    }
    if (auto r = write_resolv_conf(*original); !r)
        return r;
    if (::unlink(saved.c_str()) < 0 && errno != ENOENT)
        return errno_error("Unable to remove", saved);
    return {};
}

} // namespace wgx::quick
