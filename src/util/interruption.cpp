#include "util/interruption.hpp"

#include <utility>

namespace migrator::util {

RequestOutcome Interruption::request(int signal_number) {
    int none = 0;
    const bool first = signal_.compare_exchange_strong(none, signal_number, std::memory_order_acq_rel);
    const std::lock_guard lock(mutex_);
    if (!cancel_) return RequestOutcome::NothingRunning;
    if (!first) return RequestOutcome::Cancelling;
    cancel_();
    return RequestOutcome::Cancelling;
}

Interruption::CancelScope::CancelScope(Interruption& owner, std::function<void()> cancel,
                                       std::function<void()> clear)
    : owner_(owner), clear_(std::move(clear)) {
    const std::lock_guard lock(owner_.mutex_);
    enclosing_ = std::exchange(owner_.cancel_, std::move(cancel));
}

Interruption::CancelScope::~CancelScope() {
    const std::lock_guard lock(owner_.mutex_);
    if (clear_) clear_();
    owner_.cancel_ = std::move(enclosing_);
}

}  // namespace migrator::util
