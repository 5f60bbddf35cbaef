#include "migrator/util/secrets.hpp"

#include <mutex>
#include <vector>

namespace migrator::util {

namespace {

struct Registry {
    std::mutex mutex;
    std::vector<std::string> secrets;
};

Registry& registry() {
    static Registry instance;
    return instance;
}

}  // namespace

void register_secret(std::string secret) {
    if (secret.empty()) return;
    auto& reg = registry();
    const std::lock_guard lock(reg.mutex);
    reg.secrets.push_back(std::move(secret));
}

std::string redact(std::string_view text) {
    std::string result(text);
    auto& reg = registry();
    const std::lock_guard lock(reg.mutex);
    for (const auto& secret : reg.secrets) {
        for (auto pos = result.find(secret); pos != std::string::npos; pos = result.find(secret, pos + 3)) {
            result.replace(pos, secret.size(), "***");
        }
    }
    return result;
}

}  // namespace migrator::util
