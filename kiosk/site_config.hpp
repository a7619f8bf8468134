// The site's own settings in kiosk.toml: [hours] (opening hours in the site's time zone) and [scope] (the
// department's "Need help now?" and complaints texts). Strictly checked, errors name file, line and reason.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>

#include "kiosk/kiosk_config.hpp"

namespace fk::kiosk {

std::optional<Error> read_hours(const std::string& path, const toml::table& hours, KioskConfig& config);
std::optional<Error> read_scope(const std::string& path, const toml::table& scope, KioskConfig& config);

}  // namespace fk::kiosk
