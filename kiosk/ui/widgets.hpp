// The kiosk's few widgets, drawn absolutely positioned and recorded in the frame record:
// big buttons, wrapped centred text, the progress bar, a rating face.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/ui/canvas.hpp"

namespace fk::ui {

enum class ButtonStyle { Primary, Secondary, Choice };

// Opens the one full-screen window a screen draws into; call end_screen() after.
void begin_screen(Canvas& canvas, const char* screen_name, ImU32 background);
void end_screen();

// A touch target with its label centred; returns true when it was tapped (released over it).
bool button(Canvas& canvas, const std::string& id, const std::string& label, ImVec2 pos, ImVec2 size,
            ButtonStyle style, bool selected = false, ImFont* font = nullptr);

enum class Align { Left, Center, Right };
// Draws `text` wrapped to `width`, each line aligned; returns the height used. Positions are laid out from the
// left: a mirrored canvas flips them, and a right-to-left language also flips Left and Right alignment.
// Each line is reordered and shaped (bidi::visual) before it is drawn.
float text_block(Canvas& canvas, ImFont* font, const std::string& text, ImVec2 pos, float width, ImU32 colour,
                 Align align = Align::Center);
float text_height(ImFont* font, const std::string& text, float width);

// One wrapped line of a text, in bytes: [begin, end) is drawn; the spaces after it (and a newline) up to `next`
// hang at its end, drawn nowhere.
struct LineRange {
  std::size_t begin = 0, end = 0, next = 0;
};
// How text_block wraps `text` to `width` (none for an empty text): at newlines, then between words, a word
// wider than the line cut between characters. Widths are those of the drawn (reordered, shaped) text.
std::vector<LineRange> wrap_ranges(ImFont* font, const std::string& text, float width);
// Records in the frame every character of `shown` (drawn text) that `font` has no glyph for.
void note_missing_glyphs(Canvas& canvas, ImFont* font, std::string_view shown);

void progress_bar(Canvas& canvas, ImVec2 pos, ImVec2 size, int position, int total);

// A face for rating 1 (frown) .. 5 (broad smile) in a circle of `radius` around `centre`.
void rating_face(ImDrawList* draw, ImVec2 centre, float radius, int rating, ImU32 ink, ImU32 fill);

}  // namespace fk::ui

namespace fk::ui {
struct ScreenView;
// The staff's sync mark, bottom right (see SyncMark); draws nothing for SyncMark::None.
void sync_mark(Canvas& canvas, const ScreenView& view, ImU32 ink);
}  // namespace fk::ui
