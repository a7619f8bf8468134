// Runs the touchscreen kiosk until it is closed or stopped: store, uploader thread, window, event loop.
#pragma once

#include <string_view>

#include "kiosk/kiosk_config.hpp"

namespace fk::kiosk {

int run_kiosk(const KioskConfig& config, std::string_view embedded_survey);

}  // namespace fk::kiosk
