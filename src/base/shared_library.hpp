#pragma once
// A C library opened with dlopen() where it is first needed instead of linked: linked, it would
// cost every start of wgx its loading and relocation, used or not. Never closed: it stays for
// the rest of the process, as if linked.
#include <dlfcn.h>
#include <string>

namespace wgx {

class SharedLibrary {
  public:
    /// Opens `soname`; on failure error() says why.
    explicit SharedLibrary(const char* soname) : soname_(soname) {
        handle_ = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        if (!handle_) {
            const char* why = ::dlerror();
            error_ = std::string("cannot load ") + soname + ": " + (why ? why : "?");
        }
    }
    /// Looks `name` up into `fn`; the first symbol missing is recorded in error().
    template <typename Fn>
    void find(const char* name, Fn& fn) {
        fn = handle_ ? reinterpret_cast<Fn>(::dlsym(handle_, name)) : nullptr;
        if (!fn && error_.empty())
            error_ = std::string(name) + " not found in " + soname_;
    }
    /// Empty while the library is open and every symbol looked up was found.
    const std::string& error() const { return error_; }

  private:
    const char* soname_;
    void* handle_ = nullptr;
    std::string error_;
};

} // namespace wgx
