// The box a resident types a note, a name or contact details into: the text wrapped to the box, scrolled so the
// caret's line always shows (older lines leave at the top), clipped to the box, with a steady caret; a tap on
// the text places the caret at the nearest character boundary (see caret.hpp). Right-to-left text (Arabic) is
// reordered and shaped line by line and set flush right.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "kiosk/ui/canvas.hpp"

namespace fk::ui {

struct TextField {
  ImVec2 min, max;  // the box, in screen pixels
  ImVec2 pad;       // between the box's edges and the text: left and right, top and bottom
  ImFont* font = nullptr;
  ImU32 ink = 0;
  bool rtl = false;  // reads right to left (see reads_right_to_left)
};

// Whether text typed on this canvas reads right to left: an Arabic screen, or text that starts with an Arabic
// letter. The text field sets it flush right, and the keyboard's ◀ then moves the caret forward.
bool reads_right_to_left(const Canvas& canvas, const std::string& text);

// How many lines of `field` show at once (at least one).
int visible_lines(const TextField& field);

// Draws `text` with the caret before code point `caret`. `first_line` is the scroll (the first line shown; -1:
// as far down as the caret allows) and is kept so the caret's line shows. With `tap` (a point in the box), the
// caret moves to the boundary nearest it; returns the caret. Records the text with "|" at the caret in
// FrameRecord::texts and each line shown in FrameRecord::text_rects (its box: the field).
std::size_t draw_text_field(Canvas& canvas, const TextField& field, const std::string& text,
                            std::size_t caret, int& first_line, std::optional<ImVec2> tap = std::nullopt);

}  // namespace fk::ui
