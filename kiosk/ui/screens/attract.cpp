// The attract screen: what this kiosk is for, one large place to start, and the languages it speaks, each in
// its own name and script.
#include <algorithm>

#include "kiosk/i18n/languages.hpp"
#include "kiosk/ui/messages.hpp"
#include "kiosk/ui/screens/screens.hpp"
#include "kiosk/ui/widgets.hpp"

namespace fk::ui {
namespace {

// The survey's languages that the kiosk can show (a survey may carry texts for languages the UI lacks).
std::vector<const i18n::Language*> offered_languages(const model::SurveyDefinition& survey) {
  std::vector<const i18n::Language*> out;
  for (const i18n::Language& l : i18n::supported_languages()) {
    if (std::find(survey.languages.begin(), survey.languages.end(), l.tag) != survey.languages.end()) {
      out.push_back(&l);
    }
  }
  return out;
}

// One row of language buttons; returns the language tapped.
std::optional<std::string> language_row(Canvas& canvas, const ScreenView& view, float y) {
  const Theme& t = canvas.theme;
  const auto languages = offered_languages(*view.survey);
  if (languages.size() < 2) return std::nullopt;
  const float width = canvas.size.x - 2 * t.margin();
  const float gap = t.px(16.0f);
  const auto n = static_cast<float>(languages.size());
  const float w = std::min(t.px(320.0f), (width - gap * (n - 1)) / n);
  const float left = t.margin() + (width - (w * n + gap * (n - 1))) / 2;
  std::optional<std::string> chosen;
  for (std::size_t i = 0; i < languages.size(); ++i) {
    const i18n::Language& l = *languages[i];
    const bool selected = view.language == l.tag;
    if (button(canvas, "lang-" + std::string(l.tag), std::string(l.native_name),
               ImVec2(left + static_cast<float>(i) * (w + gap), y), ImVec2(w, t.min_target_height()),
               ButtonStyle::Choice, selected, canvas.fonts.body)) {
      chosen = std::string(l.tag);
    }
  }
  return chosen;
}

}  // namespace

flow::Intent draw_attract(Canvas& canvas, const ScreenView& view) {
  const Theme& t = canvas.theme;
  begin_screen(canvas, "attract", t.dim_background);
  flow::Intent intent;
  const float width = canvas.size.x - 2 * t.margin();
  float y = canvas.size.y * 0.12f;
  y += text_block(canvas, canvas.fonts.title, view.survey->title.get(view.language), ImVec2(t.margin(), y),
                  width, t.on_dim);
  y += t.gap();
  const std::string& welcome = view.survey->welcome.get(view.language);
  if (!welcome.empty()) {
    y += text_block(canvas, canvas.fonts.body, welcome, ImVec2(t.margin(), y), width, t.on_dim);
  }
  y += t.gap() * 2;
  const ImVec2 start_size(std::min(width, t.px(900.0f)), t.px(180.0f));
  if (button(canvas, "start", canvas.tr(msg::kTouchToStart), ImVec2((canvas.size.x - start_size.x) / 2, y),
             start_size, ButtonStyle::Primary, false, canvas.fonts.title)) {
    intent = flow::StartVisit{view.language};
  }
  y += start_size.y + t.gap();
  y += text_block(canvas, canvas.fonts.body, canvas.tr(msg::kAttractPromise), ImVec2(t.margin(), y), width,
                  t.on_dim);
  y += t.gap();
  // What this kiosk is not for, and where complaints go instead (the department's words, or the default).
  text_block(canvas, canvas.fonts.small,
             std::string(canvas.tr(msg::kNotForComplaints)) + " " + complaints_text(canvas, view),
             ImVec2(t.margin(), y), width, t.on_dim);

  const float footer_y = canvas.size.y - t.margin() - canvas.fonts.small->FontSize;
  if (auto language = language_row(canvas, view, footer_y - t.gap() - t.min_target_height())) {
    intent = flow::ChooseLanguage{*language};
  }
  text_block(canvas, canvas.fonts.small, canvas.tr(msg::kNotForEmergencies), ImVec2(t.margin(), footer_y),
             width, t.on_dim);
  // Muted on purpose: a staff signal, not a message to residents.
  sync_mark(canvas, view, view.sync == SyncMark::Offline ? IM_COL32(0x9C, 0xA3, 0xAF, 0xFF) : t.on_dim);
  end_screen();
  return intent;
}

}  // namespace fk::ui
