// One function per screen: each draws from the view-model and returns what the resident asked for.
#pragma once

#include "kiosk/flow/intent.hpp"
#include "kiosk/ui/canvas.hpp"
#include "kiosk/ui/view_model.hpp"

namespace fk::ui {

// The area between a question's header and its footer.
struct Body {
  ImVec2 pos;
  ImVec2 size;
};

flow::Intent draw_attract(Canvas& canvas, const ScreenView& view);
flow::Intent draw_question(Canvas& canvas, const ScreenView& view, UiState& state);
flow::Intent draw_still_there(Canvas& canvas, const ScreenView& view);
flow::Intent draw_thank_you(Canvas& canvas, const ScreenView& view);
flow::Intent draw_unavailable(Canvas& canvas, const ScreenView& view);

// The bodies of a question screen, by kind.
flow::Intent draw_rating(Canvas& canvas, const ScreenView& view, Body body);
flow::Intent draw_yes_no(Canvas& canvas, const ScreenView& view, Body body);
flow::Intent draw_choices(Canvas& canvas, const ScreenView& view, Body body);
flow::Intent draw_text_entry(Canvas& canvas, const ScreenView& view, UiState& state, Body body);

// Draws whichever screen the view is on.
flow::Intent draw_screen(Canvas& canvas, const ScreenView& view, UiState& state);

}  // namespace fk::ui
