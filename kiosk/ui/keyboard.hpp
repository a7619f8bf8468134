// The on-screen keyboard for notes and names: letters, digits, space, delete, shift, and a layer with the
// accents Spanish and French need.
#pragma once

#include <optional>
#include <string>

#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/view_model.hpp"

namespace fk::ui {

// Height the keyboard needs at this theme.
float keyboard_height(const Theme& theme);

// Draws the keyboard in the rectangle; returns the edited text when a key changed it. Never grows `text`
// beyond `max_length` code points.
std::optional<std::string> draw_keyboard(Canvas& canvas, UiState& state, const std::string& text, int max_length,
                                         ImVec2 pos, float width);

}  // namespace fk::ui

namespace fk::ui {
// Every character any key can type, for the font atlas.
std::string keyboard_characters();
}  // namespace fk::ui
