#include "util/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "util/redact.hpp"
#include "util/strings.hpp"

namespace migrator::log {

namespace {

spdlog::level::level_enum spdlog_level(Level level) {
    switch (level) {
        case Level::Debug:
            return spdlog::level::debug;
        case Level::Info:
            return spdlog::level::info;
        case Level::Warning:
            return spdlog::level::warn;
        case Level::Error:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}

}  // namespace

void start(Level threshold, Colour colour) {
    auto logger = spdlog::stderr_color_mt(
        "migrator", colour == Colour::Always ? spdlog::color_mode::always : spdlog::color_mode::never);
    // "info: ...", "warning: ...": the same shape as the one "error: ..." line.
    logger->set_pattern("%^%l%$: %v");
    logger->set_level(spdlog_level(threshold));
    spdlog::set_default_logger(std::move(logger));
}

bool enabled(Level level) {
    return spdlog::default_logger_raw()->should_log(spdlog_level(level));
}

void write(Level level, std::string_view message) {
    // Messages quote names and text from scripts and servers: one line, nothing a terminal acts on.
    spdlog::default_logger_raw()->log(spdlog_level(level), util::printable(util::redact(message)));
}

}  // namespace migrator::log
