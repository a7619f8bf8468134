// Runs the touchscreen kiosk until it is closed or stopped: store, uploader thread, window, event loop.
#pragma once

#include <string_view>

#include "kiosk/kiosk_config.hpp"

namespace fk::kiosk {

// Staff chose "Leave kiosk mode": the kiosk unit lists this in RestartPreventExitStatus=, so the kiosk stays
// stopped until staff start it again or the machine reboots. (Crashes, a hung loop killed by the watchdog and
// other exit codes are restarted.)
inline constexpr int kExitLeftKioskMode = 10;
// SDL found no display a person can see (offscreen or dummy driver) and headless running was not asked for.
inline constexpr int kExitNoDisplay = 2;

// Exit code 0 when closed or stopped (SIGTERM), kExitLeftKioskMode, kExitNoDisplay, or 1 on a failure.
int run_kiosk(const KioskConfig& config, std::string_view embedded_survey);

}  // namespace fk::kiosk
