#include "kiosk/ui/view_model.hpp"

namespace fk::ui {

ScreenView make_view(const flow::VisitFlow& flow, flow::TimePoint now) {
  ScreenView view;
  view.screen = flow.screen();
  view.survey = &flow.survey();
  view.language = flow.language().empty() ? flow.config().default_language : flow.language();
  view.question = flow.current_question();
  view.answer = flow.current_answer();
  view.progress = flow.progress();
  view.is_last = flow.is_last_question();
  view.send_ready = flow.send_ready(now);
  view.asking_end = flow.asking_end();
  view.ending = flow.ending();
  view.seconds_left = flow.seconds_left(now);
  return view;
}

}  // namespace fk::ui
