#pragma once
// Text that may hold a key (a UAPI request or reply, a config line, a key file) lives in memory
// that is wiped before it goes back to the heap. A plain std::string is not enough: each time it
// grows it frees the old buffer unwiped, leaving copies of the key behind. With a wiping
// allocator every buffer the string ever had is wiped, because every one is freed through it.
#include <cstddef>
#include <memory>
#include <string.h> // explicit_bzero
#include <string>
#include <string_view>
#include <utility>

namespace wgx {

/// Overwrites `n` bytes at `p` with zeros in a way the compiler may not drop as a dead store.
inline void wipe(void* p, std::size_t n) noexcept {
    if (p && n)
        ::explicit_bzero(p, n);
}

/// An allocator that wipes memory before handing it back to `Upstream` (std::allocator in the
/// product; tests put a recording allocator there to see the wipe happen).
template <class T, class Upstream = std::allocator<T>>
class SecureAllocator {
  public:
    using value_type = T;
    template <class U>
    struct rebind {
        using other =
            SecureAllocator<U, typename std::allocator_traits<Upstream>::template rebind_alloc<U>>;
    };

    SecureAllocator() noexcept = default;
    explicit SecureAllocator(const Upstream& upstream) noexcept : upstream_(upstream) {}
    template <class U, class V>
    SecureAllocator(const SecureAllocator<U, V>& other) noexcept : upstream_(other.upstream()) {}

    T* allocate(std::size_t n) { return std::allocator_traits<Upstream>::allocate(upstream_, n); }
    void deallocate(T* p, std::size_t n) noexcept {
        wipe(p, n * sizeof(T));
        std::allocator_traits<Upstream>::deallocate(upstream_, p, n);
    }
    const Upstream& upstream() const noexcept { return upstream_; }

    template <class U, class V>
    friend bool operator==(const SecureAllocator& a, const SecureAllocator<U, V>& b) noexcept {
        return a.upstream_ == b.upstream();
    }

  private:
    [[no_unique_address]] Upstream upstream_;
};

/// A std::basic_string whose buffers are all wiped when freed.
template <class Upstream = std::allocator<char>>
using BasicSecretString =
    std::basic_string<char, std::char_traits<char>, SecureAllocator<char, Upstream>>;

/// Text holding secrets. Besides every heap buffer (wiped by the allocator), the destructor
/// wipes the string's own inline buffer, where libstdc++ keeps strings of up to 15 characters.
class SecretString : public BasicSecretString<> {
  public:
    using Base = BasicSecretString<>;
    using Base::Base;
    SecretString() noexcept = default;
    SecretString(const Base& other) : Base(other) {}
    SecretString(Base&& other) noexcept : Base(std::move(other)) {}
    SecretString(const SecretString&) = default;
    SecretString(SecretString&&) noexcept = default;
    SecretString& operator=(const SecretString&) = default;
    SecretString& operator=(SecretString&&) noexcept = default;
    ~SecretString() { wipe(data(), capacity()); }

    /// Wipes the contents and gives a heap buffer back (clear() alone keeps the text there).
    void wipe_and_release() {
        wipe(data(), capacity());
        clear();
        shrink_to_fit();
    }
};

} // namespace wgx
