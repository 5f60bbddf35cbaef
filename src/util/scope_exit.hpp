#pragma once
// Cleanup that runs when a scope ends, also while an exception unwinds it.

#include <exception>
#include <utility>

namespace migrator::util {

/// Runs `undo` when the scope ends. A failing undo goes to `on_failure` instead of escaping, so that it
/// never hides the error being unwound (a destructor that throws during unwinding ends the process).
template <class Undo, class OnFailure>
class ScopeExit {
public:
    ScopeExit(Undo undo, OnFailure on_failure) : undo_(std::move(undo)), on_failure_(std::move(on_failure)) {}
    ~ScopeExit() {
        try {
            undo_();
        } catch (const std::exception& error) {
            on_failure_(error);
        }
    }
    ScopeExit(const ScopeExit&) = delete;
    ScopeExit& operator=(const ScopeExit&) = delete;
    ScopeExit(ScopeExit&&) = delete;
    ScopeExit& operator=(ScopeExit&&) = delete;

private:
    Undo undo_;
    OnFailure on_failure_;
};

}  // namespace migrator::util
