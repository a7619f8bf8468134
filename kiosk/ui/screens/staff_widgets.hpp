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

// The items [first, last) of a list of `count` shown on page `page` when `fit` fit on one screen; when they
// do not all fit, one slot goes to a "More" button (id `more_id`) that the caller draws, and a tap on it
// turns the page (back to the first after the last). `page` is kept in range.
struct Page {
  std::size_t first = 0, last = 0;
  bool more = false;  // draw the "More" button in the slot after the items
  std::string label;  // "More (2 of 3)"
};
Page page_of(std::size_t count, std::size_t fit, int& page);
// Turns the page after a tap on "More".
void next_page(std::size_t count, std::size_t fit, int& page);

}  // namespace fk::ui::staff_layout
