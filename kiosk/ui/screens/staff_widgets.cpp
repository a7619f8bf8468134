#include "kiosk/ui/screens/staff_widgets.hpp"

#include <algorithm>

#include "kiosk/ui/widgets.hpp"

namespace fk::ui::staff_layout {

float heading(Canvas& canvas, const char* screen_name, const std::string& title, const std::string& back_id,
              const std::string& back_label, StaffIntent& intent, StaffIntent back_intent) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, screen_name, t.background);
  // Clear of the top-left corner, where the hidden gesture's press may still be held.
  const float left = t.px(160.0f);
  const ImVec2 back_size(t.px(300.0f), t.min_target_height());
  text_block(canvas, canvas.fonts.title, title, ImVec2(left, t.px(40.0f)),
             canvas.size.x - left - back_size.x - t.margin(), t.text, Align::Left);
  if (button(canvas, back_id, back_label, ImVec2(canvas.size.x - t.margin() - back_size.x, t.px(32.0f)),
             back_size, ButtonStyle::Secondary)) {
    intent = back_intent;
  }
  return t.px(32.0f) + back_size.y + t.gap();
}

float line(Canvas& canvas, const std::string& text, float x, float y, float width, bool muted) {
  return text_block(canvas, canvas.fonts.body, text, ImVec2(x, y), width,
                    muted ? canvas.theme.text_muted : canvas.theme.text, Align::Left);
}

namespace {

// Items per page: all of them when they fit, else one slot fewer (for "More"), at least one.
std::size_t per_page(std::size_t count, std::size_t fit) {
  if (count <= fit) return std::max<std::size_t>(count, 1);
  return std::max<std::size_t>(fit, 2) - 1;
}

std::size_t pages(std::size_t count, std::size_t fit) {
  const std::size_t each = per_page(count, fit);
  return std::max<std::size_t>(1, (count + each - 1) / each);
}

}  // namespace

Page page_of(std::size_t count, std::size_t fit, int& page) {
  const std::size_t total = pages(count, fit);
  if (page < 0 || static_cast<std::size_t>(page) >= total) page = 0;
  const std::size_t each = per_page(count, fit);
  Page p;
  p.first = static_cast<std::size_t>(page) * each;
  p.last = std::min(count, p.first + each);
  p.more = total > 1;
  if (p.more) p.label = "More (" + std::to_string(page + 1) + " of " + std::to_string(total) + ")";
  return p;
}

void next_page(std::size_t count, std::size_t fit, int& page) {
  page = static_cast<std::size_t>(page + 1) >= pages(count, fit) ? 0 : page + 1;
}

}  // namespace fk::ui::staff_layout
