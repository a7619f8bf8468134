// Layout shared by the staff screens: a heading with a "Back"/"Lock" button, and text lines.
#pragma once

#include <string>

#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/screens/staff_view.hpp"

namespace fk::ui::staff_layout {

// Opens the screen and draws its heading; `back` is the id of the top-right button ("staff-back" returns
// to the staff home, "staff-lock" to the resident screens). Returns the y where the content starts.
float heading(Canvas& canvas, const char* screen_name, const std::string& title, const std::string& back_id,
              const std::string& back_label, StaffIntent& intent, StaffIntent back_intent);
// One line of text at (x, y); returns the height used.
float line(Canvas& canvas, const std::string& text, float x, float y, float width, bool muted = false);

}  // namespace fk::ui::staff_layout
