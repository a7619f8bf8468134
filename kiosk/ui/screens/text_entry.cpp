// Free text, an employee's name or badge, or contact details: a text box over the on-screen keyboard.
// Contact details are typed only after the resident has agreed to be contacted.
#include <algorithm>

#include "kiosk/ui/keyboard.hpp"
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
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
  // Chinese has no input method here yet: say so honestly, above the (pinyin) keyboard.
  const bool no_input_method = view.language == "zh" || view.language.rfind("zh-", 0) == 0;
  const float note_h = no_input_method ? canvas.fonts.small->FontSize : 0.0f;
  const float counter_h = canvas.fonts.small->FontSize + note_h;
  const float box_h = std::max(t.px(110.0f), body.pos.y + body.size.y - keyboard_h - counter_h - t.gap() - y);
  const ImVec2 box_min(body.pos.x, y);
  const ImVec2 box_max(body.pos.x + body.size.x, y + box_h);
  canvas.draw->AddRectFilled(box_min, box_max, t.background, t.rounding());
  canvas.draw->AddRect(box_min, box_max, t.outline, t.rounding(), 0, t.px(3.0f));
  const float pad = t.px(20.0f);
  // A steady caret: a blinking one would need a redraw timer, and an idle kiosk draws nothing.
  text_block(canvas, canvas.fonts.body, text.empty() ? canvas.tr(msg::kTypeHere) : text + "|",
             ImVec2(box_min.x + pad, box_min.y + pad), body.size.x - 2 * pad,
             text.empty() ? t.text_muted : t.text, Align::Left);
  const std::string counter = canvas.format(msg::kCharactersOf, q.max_length,
                                            static_cast<int>(model::utf8_length(text)), q.max_length);
  text_block(canvas, canvas.fonts.small, counter, ImVec2(body.pos.x, box_max.y + t.px(4.0f)), body.size.x,
             t.text_muted, Align::Right);

  if (no_input_method) {
    text_block(canvas, canvas.fonts.small, canvas.tr(msg::kNoChineseInput),
               ImVec2(body.pos.x, box_max.y + t.px(4.0f) + canvas.fonts.small->FontSize), body.size.x,
               t.text_muted, Align::Left);
  }

  const float keyboard_y = body.pos.y + body.size.y - keyboard_h;
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
