#include "util/failure_list.hpp"

#include <fmt/format.h>

#include "util/strings.hpp"

namespace migrator::util {

namespace {

// Enough to fix a batch at a time while the error stays readable.
constexpr std::size_t max_reported_failures = 5;

}  // namespace

void FailureList::add(std::string message) {
    if (messages_.size() < max_reported_failures) {
        messages_.push_back(std::move(message));
    } else {
        ++not_shown_;
    }
}

Failure FailureList::summary() const {
    std::string text = join(messages_, "; ");
    if (not_shown_ > 0) text += fmt::format("; and {} more", not_shown_);
    return fail(std::move(text));
}

}  // namespace migrator::util
