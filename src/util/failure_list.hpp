#pragma once
// Collects every failure of a pass over many files so that one run reports them all, on one line.

#include <cstddef>
#include <string>
#include <vector>

#include "util/expected.hpp"

namespace migrator::util {

/// Failures joined by "; ": the first few in full, then "and N more".
class FailureList {
public:
    /// Adds one failure's message (which names its file).
    void add(std::string message);

    /// True when nothing was added.
    [[nodiscard]] bool empty() const { return messages_.empty(); }

    /// All the failures as one.
    [[nodiscard]] Failure summary() const;

private:
    std::vector<std::string> messages_;
    std::size_t not_shown_ = 0;
};

}  // namespace migrator::util
