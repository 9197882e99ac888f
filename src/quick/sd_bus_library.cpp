#include "quick/sd_bus_library.hpp"

#include <dlfcn.h>

namespace wgx::quick {

namespace {

constexpr const char* SONAME = "libsystemd.so.0";

/// Looks `name` up into `fn`; on a missing symbol, records it in `lib.error`.
template <typename Fn>
void find(void* handle, const char* name, Fn& fn, SdBusLibrary& lib) {
    fn = reinterpret_cast<Fn>(::dlsym(handle, name));
    if (!fn && lib.error.empty())
        lib.error = std::string(name) + " not found in " + SONAME;
}

} // namespace

const SdBusLibrary& sd_bus_library() {
    static const SdBusLibrary lib = [] {
        SdBusLibrary l;
        void* handle = ::dlopen(SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = ::dlerror();
            l.error = std::string("cannot load ") + SONAME + ": " + (why ? why : "?");
            return l;
        }
        find(handle, "sd_bus_open_system", l.open_system, l);
        find(handle, "sd_bus_flush_close_unref", l.flush_close_unref, l);
        find(handle, "sd_bus_call", l.call, l);
        find(handle, "sd_bus_call_method", l.call_method, l);
        find(handle, "sd_bus_error_free", l.error_free, l);
        find(handle, "sd_bus_error_has_name", l.error_has_name, l);
        find(handle, "sd_bus_message_new_method_call", l.message_new_method_call, l);
        find(handle, "sd_bus_message_append", l.message_append, l);
        find(handle, "sd_bus_message_append_array", l.message_append_array, l);
        find(handle, "sd_bus_message_open_container", l.message_open_container, l);
        find(handle, "sd_bus_message_close_container", l.message_close_container, l);
        find(handle, "sd_bus_message_read", l.message_read, l);
        find(handle, "sd_bus_message_unref", l.message_unref, l);
        return l;
    }();
    return lib;
}

} // namespace wgx::quick
