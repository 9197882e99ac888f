#pragma once
// Failures are values: every fallible call below the CLI returns Result<T>.
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace wgx {

/// An error: a one-line message in the reference tool's wording, and an errno-style code
/// (positive errno, or 0 when none applies).
struct Error {
    std::string message;
    int code = 0;
};

/// Either a value or an Error. Small on purpose: std::expected is C++23.
template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(v_); }

  private:
    std::variant<T, Error> v_;
};

/// Result of an operation with no value.
template <>
class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : e_(std::move(error)) {}
    bool ok() const { return !e_.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *e_; }

  private:
    std::optional<Error> e_;
};

inline Error make_error(std::string message, int code = 0) {
    return Error{std::move(message), code};
}

} // namespace wgx
