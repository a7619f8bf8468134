// Single and multiple choice: a grid of large toggles. One choice answers and moves on (unless it came too
// quickly to have been read: then it is selected and waits for Next); several wait for Next.
#include <algorithm>

#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {

flow::Intent draw_choices(Canvas& canvas, const ScreenView& view, Body body) {
  const Theme& t = canvas.theme;
  const model::Question& q = *view.question;
  const bool multiple = q.kind == model::QuestionKind::MultipleChoice;
  std::vector<std::string> chosen;
  if (view.answer) {
    if (const auto* ids = std::get_if<std::vector<std::string>>(view.answer)) chosen = *ids;
  }
  flow::Intent intent;
  const int n = static_cast<int>(q.choices.size());
  const int columns = n > 4 ? 2 : 1;
  const int rows = (n + columns - 1) / columns;
  const float w = (body.size.x - t.gap() * static_cast<float>(columns - 1)) / static_cast<float>(columns);
  const float h =
      std::clamp((body.size.y - t.gap() * static_cast<float>(rows - 1)) / static_cast<float>(rows),
                 t.min_target_height(), t.px(150.0f));
  const float grid_h = h * static_cast<float>(rows) + t.gap() * static_cast<float>(rows - 1);
  const float top = body.pos.y + std::max(0.0f, (body.size.y - grid_h) / 2);
  for (int i = 0; i < n; ++i) {
    const model::Choice& choice = q.choices[i];
    const bool selected = std::find(chosen.begin(), chosen.end(), choice.id) != chosen.end();
    const ImVec2 pos(body.pos.x + static_cast<float>(i % columns) * (w + t.gap()),
                     top + static_cast<float>(i / columns) * (h + t.gap()));
    if (button(canvas, "choice-" + choice.id, choice.text.get(view.language), pos, ImVec2(w, h),
               ButtonStyle::Choice, selected, canvas.fonts.body)) {
      if (!multiple) {
        intent = flow::SetAnswer{std::vector<std::string>{choice.id}, true};
      } else {
        std::vector<std::string> next;
        // Keep the survey's order, whatever order they were tapped in.
        for (const model::Choice& c : q.choices) {
          const bool was = std::find(chosen.begin(), chosen.end(), c.id) != chosen.end();
          if (c.id == choice.id ? !was : was) next.push_back(c.id);
        }
        intent = flow::SetAnswer{next, false};
      }
    }
  }
  return intent;
}

}  // namespace fk::ui
