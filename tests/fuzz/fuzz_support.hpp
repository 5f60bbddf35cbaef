#pragma once
// What every harness shares: the input as text, and a check that aborts, so that libFuzzer records
// a broken invariant as a crash with its input.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace migrator::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// Aborts with `what` when `condition` is false (assert() vanishes in release builds).
inline void check(bool condition, const char* what) {
    if (condition) return;
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

/// A failure message is one non-empty line: main prints it after "error: ".
inline void check_failure_message(std::string_view message) {
    check(!message.empty(), "a failure has a message");
}

}  // namespace migrator::fuzz
