#pragma once
// A small expected-style result for the low layers; commands turn failures into exceptions.

#include <string>
#include <utility>
#include <variant>

#include "util/error.hpp"

namespace migrator {

/// Why an operation failed: a one-line message that names the file, revision or setting.
struct Failure {
    std::string message;
};

/// Either a value or a Failure.
template <class T>
class Expected {
public:
    Expected(T value) : state_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
    Expected(Failure failure) : state_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)

    /// True when a value is held.
    [[nodiscard]] bool has_value() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return has_value(); }

    /// The value; only valid when has_value().
    T& value() & { return std::get<T>(state_); }
    const T& value() const& { return std::get<T>(state_); }
    T&& value() && { return std::get<T>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// The failure; only valid when !has_value().
    [[nodiscard]] const Failure& error() const { return std::get<Failure>(state_); }

    /// The value, or throws Error with the failure's message.
    T value_or_throw() && {
        if (!has_value()) throw Error(error().message);
        return std::get<T>(std::move(state_));
    }

private:
    std::variant<T, Failure> state_;
};

/// Shorthand for building a failed result.
inline Failure fail(std::string message) {
    return Failure{std::move(message)};
}

}  // namespace migrator
