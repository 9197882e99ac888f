#include "quick/sd_bus_library.hpp"

#include "base/shared_library.hpp"

namespace wgx::quick {

namespace {

constexpr const char* SONAME = "libsystemd.so.0";

} // namespace

const SdBusLibrary& sd_bus_library() {
    static const SdBusLibrary lib = [] {
        SdBusLibrary l;
        SharedLibrary so(SONAME);
        so.find("sd_bus_open_system", l.open_system);
        so.find("sd_bus_flush_close_unref", l.flush_close_unref);
        so.find("sd_bus_call", l.call);
        so.find("sd_bus_call_method", l.call_method);
        so.find("sd_bus_error_free", l.error_free);
        so.find("sd_bus_error_has_name", l.error_has_name);
        so.find("sd_bus_message_new_method_call", l.message_new_method_call);
        so.find("sd_bus_message_append", l.message_append);
        so.find("sd_bus_message_append_array", l.message_append_array);
        so.find("sd_bus_message_open_container", l.message_open_container);
        so.find("sd_bus_message_close_container", l.message_close_container);
        so.find("sd_bus_message_read", l.message_read);
        so.find("sd_bus_message_unref", l.message_unref);
        l.error = so.error();
        return l;
    }();
    return lib;
}

} // namespace wgx::quick
