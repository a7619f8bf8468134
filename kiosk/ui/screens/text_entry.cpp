// Free text, an employee's name or badge, or contact details: a text box over the on-screen keyboard.
// Contact details are typed only after the resident has agreed to be contacted. The box holds the longest text
// allowed (see text_field.hpp), with its character count below it.
#include <algorithm>

#include "kiosk/ui/caret.hpp"
#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/text_field.hpp"
#include "kiosk/ui/widgets.hpp"
#include "sync/model/utf8.hpp"

namespace fk::ui {

flow::Intent draw_text_entry(Canvas& canvas, const ScreenView& view, UiState& state, Body body) {
  const Theme& t = canvas.theme;
  const model::Question& q = *view.question;
  flow::Intent intent;
  const bool contact = q.kind == model::QuestionKind::Contact;
  model::ContactAnswer consent;
  std::string text;
  if (view.answer) {
    if (const auto* s = std::get_if<std::string>(view.answer)) text = *s;
    if (const auto* c = std::get_if<model::ContactAnswer>(view.answer)) consent = *c, text = c->contact;
  }

  float y = body.pos.y;
  if (contact) {
    const ImVec2 size(body.size.x, t.min_target_height());
    if (button(canvas, "consent", canvas.tr(msg::kContactConsent), ImVec2(body.pos.x, y), size,
               ButtonStyle::Choice, consent.consent, canvas.fonts.body)) {
      intent = flow::SetAnswer{model::ContactAnswer{!consent.consent, consent.consent ? "" : text}, false};
    }
    y += size.y + t.gap();
    const std::string& consent_text = q.consent_text.get(view.language);
    if (!consent_text.empty()) {
      y += text_block(canvas, canvas.fonts.small, consent_text, ImVec2(body.pos.x, y), body.size.x,
                      t.text_muted, Align::Left);
    }
    if (!consent.consent) return intent;  // no keyboard until the resident agrees
  }

  const float keyboard_h = keyboard_height(t);
  const float keyboard_y = body.pos.y + body.size.y - keyboard_h;
  // Chinese has no input method here yet: say so honestly, above the (pinyin) keyboard.
  const bool no_input_method = view.language == "zh" || view.language.rfind("zh-", 0) == 0;
  // The note shares the counter's line when both fit, so the box keeps its two lines.
  const float note_h = no_input_method && text_height(canvas.fonts.small, canvas.tr(msg::kNoChineseInput),
                                                      body.size.x * 0.7f) > canvas.fonts.small->FontSize
                           ? canvas.fonts.small->FontSize
                           : 0.0f;
  const float counter_gap = t.px(4.0f);
  const float counter_h = counter_gap + canvas.fonts.small->FontSize + note_h;
  // Little room above and below the text: at 1080p the box has room for two lines between the question and
  // the keyboard.
  const ImVec2 pad(t.px(20.0f), t.px(8.0f));
  const float keyboard_gap = t.px(12.0f);
  // The box takes what the counter and the keyboard leave; the text scrolls inside it, so it never grows.
  const float box_h = std::max({t.min_target_height(), canvas.fonts.body->FontSize + 2 * pad.y,
                                keyboard_y - keyboard_gap - counter_h - y});
  const ImVec2 box_min(body.pos.x, y);
  const ImVec2 box_max(body.pos.x + body.size.x, y + box_h);
  canvas.draw->AddRectFilled(box_min, box_max, t.background, t.rounding());
  canvas.draw->AddRect(box_min, box_max, t.outline, t.rounding(), 0, t.px(3.0f));
  // A tap on the text places the caret.
  ImGui::SetCursorScreenPos(box_min);
  const bool tapped = ImGui::InvisibleButton("##text-box", ImVec2(box_max.x - box_min.x, box_h));
  canvas.record.targets.push_back({"text-box", "", box_min, box_max, false});
  if (text.empty()) {
    text_block(canvas, canvas.fonts.body, canvas.tr(msg::kTypeHere),
               ImVec2(box_min.x + pad.x, box_min.y + pad.y), body.size.x - 2 * pad.x, t.text_muted,
               Align::Left);
    state.caret.reset();
  } else {
    const TextField field{box_min,           box_max, pad,
                          canvas.fonts.body, t.text,  reads_right_to_left(canvas, text)};
    std::optional<ImVec2> tap;
    if (tapped) tap = ImGui::GetIO().MousePos;
    const std::size_t at =
        draw_text_field(canvas, field, text, caret::clamp(text, state.caret), state.first_line, tap);
    if (tapped) state.caret = at;
    if (at >= caret::length(text)) state.caret.reset();
  }
  // The count sits under the box, apart from the text at every length.
  const std::string counter = canvas.format(msg::kCharactersOf, q.max_length,
                                            static_cast<int>(model::utf8_length(text)), q.max_length);
  text_block(canvas, canvas.fonts.small, counter, ImVec2(body.pos.x, box_max.y + counter_gap), body.size.x,
             t.text_muted, Align::Right);

  if (no_input_method) {
    const bool own_line = note_h > 0;
    text_block(canvas, canvas.fonts.small, canvas.tr(msg::kNoChineseInput),
               ImVec2(body.pos.x, box_max.y + counter_gap + (own_line ? canvas.fonts.small->FontSize : 0.0f)),
               own_line ? body.size.x : body.size.x * 0.7f, t.text_muted, Align::Left);
  }

  if (auto edited = draw_keyboard(canvas, state, view.language, text, q.max_length,
                                  ImVec2(body.pos.x, keyboard_y), body.size.x)) {
    if (contact) {
      intent = flow::SetAnswer{model::ContactAnswer{true, *edited}, false};
    } else {
      intent = flow::SetAnswer{*edited, false};
    }
  }
  return intent;
}

}  // namespace fk::ui
