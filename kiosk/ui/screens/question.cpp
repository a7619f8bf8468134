// A question screen: progress and question on top, the answer area in the middle, Back, Start over and Next
// below. "Start over" asks in the footer before the visit ends: "End this visit now?" with No where "Start
// over" was (a second tap of the same finger keeps the visit) and Yes beside it.
#include <algorithm>

#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {
namespace {

// The label of the forward button says what it will do.
const char* next_label(const ScreenView& view) {
  if (view.is_last) return msg::kSend;
  return view.answer ? msg::kNext : msg::kSkip;
}

// The resident's thank-you note and the employee's name go to people: the screens say to whom.
bool names_someone(const model::Question& q) {
  return (q.kind == model::QuestionKind::FreeText && q.thanks_note) ||
         q.kind == model::QuestionKind::Employee;
}

// "End this visit now?", No, Yes in the footer row at `y`; Back and Next are not shown meanwhile.
flow::Intent draw_end_question(Canvas& canvas, float y, ImVec2 over_size, ImVec2 footer_size) {
  const Theme& t = canvas.theme;
  flow::Intent intent;
  const float no_x = (canvas.size.x - over_size.x) / 2;
  if (button(canvas, "end-no", canvas.tr(msg::kNo), ImVec2(no_x, y), over_size, ButtonStyle::Primary)) {
    intent = flow::KeepVisit{};
  }
  if (button(canvas, "end-yes", canvas.tr(msg::kYes), ImVec2(no_x + over_size.x + t.gap(), y), footer_size,
             ButtonStyle::Secondary)) {
    intent = flow::EndVisit{};
  }
  // The question reads into its answers: set against them, in the row's height.
  const float width = no_x - t.gap() - t.margin();
  const char* question = canvas.tr(msg::kEndVisitConfirm);
  const float h = text_height(canvas.fonts.body, question, width);
  text_block(canvas, canvas.fonts.body, question,
             ImVec2(t.margin(), y + std::max(0.0f, (over_size.y - h) / 2)), width, t.text, Align::Right);
  return intent;
}

}  // namespace

flow::Intent draw_question(Canvas& canvas, const ScreenView& view, UiState& state) {
  const Theme& t = canvas.theme;
  const model::Question& q = *view.question;
  begin_screen(canvas, "question", t.background);
  flow::Intent intent;
  const float width = canvas.size.x - 2 * t.margin();
  const bool typing = q.kind == model::QuestionKind::FreeText || q.kind == model::QuestionKind::Employee ||
                      q.kind == model::QuestionKind::Contact;

  float y = t.px(36.0f);
  // The header stops short of the "Need help now?" control, which stays top right in every language
  // (laid out at mirrored_x of the screen box, so a mirrored canvas puts it back on the left).
  const float header_width = help_control_left(canvas) - t.gap() - t.margin();
  const float header_left = canvas.mirrored_x(t.margin(), header_width);
  progress_bar(canvas, ImVec2(header_left, y), ImVec2(header_width, t.px(14.0f)), view.progress.position,
               view.progress.total);
  y += t.px(14.0f) + t.px(12.0f);
  y += text_block(canvas, canvas.fonts.small,
                  canvas.format(msg::kQuestionOf, view.progress.position, view.progress.total),
                  ImVec2(header_left, y), header_width, t.text_muted, Align::Left);
  y = std::max(y, help_control_bottom(canvas));
  y += t.px(12.0f);
  // Typing screens need the room for the keyboard, so their question is set in the body size.
  y += text_block(canvas, typing ? canvas.fonts.button : canvas.fonts.title, q.text.get(view.language),
                  ImVec2(t.margin(), y), width, t.text, typing ? Align::Left : Align::Center);
  // Who reads a note shares the hint's line where it fits: the note box below needs every line it can get.
  std::string hint = q.hint.get(view.language);
  if (names_someone(q)) hint += (hint.empty() ? "" : " ") + note_readers_text(canvas, view);
  if (!hint.empty()) {
    y += text_block(canvas, canvas.fonts.small, hint, ImVec2(t.margin(), y), width, t.text_muted,
                    typing ? Align::Left : Align::Center);
  }
  // Typing screens are tighter around the body (the note box shows a third line at 1080p); the footer's
  // buttons stay at the touch-target floor.
  const float body_gap = typing ? t.px(12.0f) : t.gap();
  y += body_gap;

  const ImVec2 footer_size(t.px(340.0f), typing ? t.min_target_height() : t.px(110.0f));
  const float footer_y = canvas.size.y - t.px(typing ? 16.0f : 28.0f) - footer_size.y;
  const Body body{ImVec2(t.margin(), y), ImVec2(width, std::max(0.0f, footer_y - body_gap - y))};

  switch (q.kind) {
    case model::QuestionKind::Rating:
      intent = draw_rating(canvas, view, body);
      break;
    case model::QuestionKind::YesNo:
      intent = draw_yes_no(canvas, view, body);
      break;
    case model::QuestionKind::SingleChoice:
    case model::QuestionKind::MultipleChoice:
      intent = draw_choices(canvas, view, body);
      break;
    case model::QuestionKind::FreeText:
    case model::QuestionKind::Employee:
    case model::QuestionKind::Contact:
      intent = draw_text_entry(canvas, view, state, body);
      break;
  }

  const ImVec2 over_size(t.px(360.0f), footer_size.y);
  if (view.asking_end) {
    const flow::Intent answer = draw_end_question(canvas, footer_y, over_size, footer_size);
    if (!flow::is_none(answer)) intent = answer;
    end_screen();
    return intent;
  }
  if (button(canvas, "back", canvas.tr(msg::kBack), ImVec2(t.margin(), footer_y), footer_size,
             ButtonStyle::Secondary)) {
    intent = flow::Back{};
  }
  if (button(canvas, "start-over", canvas.tr(msg::kStartOver),
             ImVec2((canvas.size.x - over_size.x) / 2, footer_y), over_size, ButtonStyle::Secondary, false,
             canvas.fonts.small)) {
    intent = flow::AskEndVisit{};
  }
  // "Send" looks inactive until the last question has been on screen a moment (the flow ignores it before).
  const bool waiting = view.is_last && !view.send_ready;
  if (button(canvas, "next", canvas.tr(next_label(view)),
             ImVec2(canvas.size.x - t.margin() - footer_size.x, footer_y), footer_size,
             waiting ? ButtonStyle::Secondary : ButtonStyle::Primary)) {
    intent = flow::Next{};
  }
  end_screen();
  return intent;
}

}  // namespace fk::ui
