// SecretString and SecureAllocator: every buffer a secret string gives back is wiped first,
// including the old buffers a growing string leaves behind, and its inline buffer on destruction.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "base/secret_string.hpp"

using namespace wgx;

namespace {

/// What a RecordingAllocator saw when memory came back to it.
struct Returns {
    std::size_t buffers = 0;
    std::size_t bytes = 0;
    std::size_t nonzero_bytes = 0;
};

/// Upstream for SecureAllocator: checks, at the moment memory is handed back (after the wipe,
/// before it is freed), whether any byte is still set.
template <class T>
struct RecordingAllocator {
    using value_type = T;
    Returns* seen;
    explicit RecordingAllocator(Returns* r) : seen(r) {}
    template <class U>
    RecordingAllocator(const RecordingAllocator<U>& o) : seen(o.seen) {}
    T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
    void deallocate(T* p, std::size_t n) {
        auto* bytes = reinterpret_cast<const unsigned char*>(p);
        ++seen->buffers;
        seen->bytes += n * sizeof(T);
        seen->nonzero_bytes += std::size_t(
            std::count_if(bytes, bytes + n * sizeof(T), [](unsigned char b) { return b != 0; }));
        std::allocator<T>{}.deallocate(p, n);
    }
    template <class U>
    bool operator==(const RecordingAllocator<U>& o) const {
        return seen == o.seen;
    }
};

using RecordedSecret = BasicSecretString<RecordingAllocator<char>>;

constexpr std::string_view KEY_LINE =
    "private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a\n";

} // namespace

TEST_CASE("secret string: a growing string wipes every buffer it leaves behind") {
    Returns seen;
    {
        RecordedSecret s{
            SecureAllocator<char, RecordingAllocator<char>>(RecordingAllocator<char>(&seen))};
        for (int i = 0; i < 40; ++i) // grows through several reallocations
            s.append(KEY_LINE);
        CHECK(s.size() == 40 * KEY_LINE.size());
        CHECK(seen.buffers >= 3); // the old buffers have already come back
        CHECK(seen.nonzero_bytes == 0);
        s.shrink_to_fit();
    }
    CHECK(seen.buffers >= 4);
    CHECK(seen.bytes >= 40 * KEY_LINE.size());
    CHECK(seen.nonzero_bytes == 0);
}

TEST_CASE("secret string: without the wipe the same check sees the key") {
    // The control for the test above: the recording allocator does see unwiped memory.
    Returns seen;
    {
        std::vector<char, RecordingAllocator<char>> plain{RecordingAllocator<char>(&seen)};
        plain.assign(KEY_LINE.begin(), KEY_LINE.end());
    }
    CHECK(seen.buffers == 1);
    CHECK(seen.nonzero_bytes == KEY_LINE.size());
}

TEST_CASE("secret string: destruction wipes the inline buffer of a short string") {
    alignas(SecretString) unsigned char storage[sizeof(SecretString)];
    auto* s = new (storage) SecretString("0123456789abc"); // short: kept inside the object
    REQUIRE(s->capacity() < 16);
    const std::string_view text = "0123456789abc";
    auto holds_text = [&] {
        return std::search(storage, storage + sizeof storage, text.begin(), text.end()) !=
               storage + sizeof storage;
    };
    CHECK(holds_text());
    s->~SecretString();
    CHECK_FALSE(holds_text());
}

TEST_CASE("secret string: wipe_and_release empties the string and keeps no text") {
    SecretString s;
    s.append(KEY_LINE);
    s.wipe_and_release();
    CHECK(s.empty());
    CHECK(s.capacity() < KEY_LINE.size());
}

TEST_CASE("secret string: mixes with std::string and string_view") {
    SecretString s = "set=1\n";
    s += std::string("listen_port=1\n");
    s += std::string_view("\n");
    std::string copy = "x";
    copy += s; // through string_view
    CHECK(copy == "xset=1\nlisten_port=1\n\n");
    CHECK(std::string_view(s) == "set=1\nlisten_port=1\n\n");
}
