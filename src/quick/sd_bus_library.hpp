#pragma once
// libsystemd's sd-bus, opened with dlopen() the first time systemd-resolved is asked (the DNS
// step of `up` and `down`). Linking it would load libsystemd and the six libraries it needs
// (libgcrypt, liblzma, libzstd, ...) into every wgx command, `wgx genkey` included.
#include <string>

#include <systemd/sd-bus.h>

namespace wgx::quick {

/// The sd-bus functions wgx-quick calls, as found in libsystemd.so.0.
struct SdBusLibrary {
    decltype(&sd_bus_open_system) open_system = nullptr;
    decltype(&sd_bus_flush_close_unref) flush_close_unref = nullptr;
    decltype(&sd_bus_call) call = nullptr;
    decltype(&sd_bus_call_method) call_method = nullptr;
    decltype(&sd_bus_error_free) error_free = nullptr;
    decltype(&sd_bus_error_has_name) error_has_name = nullptr;
    decltype(&sd_bus_message_new_method_call) message_new_method_call = nullptr;
    decltype(&sd_bus_message_append) message_append = nullptr;
    decltype(&sd_bus_message_append_array) message_append_array = nullptr;
    decltype(&sd_bus_message_open_container) message_open_container = nullptr;
    decltype(&sd_bus_message_close_container) message_close_container = nullptr;
    decltype(&sd_bus_message_read) message_read = nullptr;
    decltype(&sd_bus_message_unref) message_unref = nullptr;
    /// Why loading failed; empty when every function was found.
    std::string error;
};

/// Loaded once, never unloaded (it stays for the rest of the process, as if linked).
const SdBusLibrary& sd_bus_library();

} // namespace wgx::quick
