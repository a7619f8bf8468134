#include "sync/central/response_facts.hpp"

#include <variant>

#include "sync/central/aggregates.hpp"
#include "sync/model/survey_parser.hpp"

namespace fk::central {
namespace {

// The next calendar day of "YYYY-MM-DD" (string order is date order for this form).
std::string next_day(const std::string& day) {
  int y = std::stoi(day.substr(0, 4)), m = std::stoi(day.substr(5, 2)), d = std::stoi(day.substr(8, 2));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int month_days = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (++d > month_days) d = 1, ++m;
  if (m > 12) m = 1, ++y;
  char out[32];  // room for any int, so -Wformat-truncation has nothing to say
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
  return out;
}

// Kiosks may boot in 1970 or drift: their date counts only when it is plausible.
std::string counted_day(const std::string& completed_at, const std::string& received_at) {
  const std::string received = received_at.substr(0, 10);
  const std::string kiosk = completed_at.substr(0, 10);
  if (is_calendar_date(kiosk) && kiosk >= "2020-01-01" && kiosk <= next_day(received)) return kiosk;
  return received;
}

}  // namespace

void SurveyRegistry::add(const model::SurveyDefinition& survey) {
  versions_.emplace(survey.id, survey.version);
  auto& questions = surveys_[survey.id];
  for (const model::Question& q : survey.questions) questions[q.id] = q;  // a later version's wins
}

const model::Question* SurveyRegistry::question(const std::string& survey_id,
                                                const std::string& question_id) const {
  const auto s = surveys_.find(survey_id);
  if (s == surveys_.end()) return nullptr;
  const auto q = s->second.find(question_id);
  return q == s->second.end() ? nullptr : &q->second;
}

std::vector<std::string> SurveyRegistry::survey_ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, questions] : surveys_) ids.push_back(id);
  return ids;
}

bool SurveyRegistry::knows(const std::string& survey_id, std::int64_t version) const {
  return versions_.count({survey_id, version}) != 0;
}

std::shared_ptr<const SurveyRegistry> with_published(const SurveyRegistry& base,
                                                     const std::vector<PublishedSurvey>& published,
                                                     std::vector<std::string>& problems) {
  auto registry = std::make_shared<SurveyRegistry>(base);
  for (const PublishedSurvey& p : published) {
    if (registry->knows(p.id, p.version)) continue;
    const std::string name = "published survey " + p.id + " version " + std::to_string(p.version);
    auto survey = model::parse_survey(p.toml, name);
    if (!survey) {
      problems.push_back(survey.error().front().to_string());
      continue;
    }
    registry->add(*survey);
  }
  return registry;
}

Expected<std::shared_ptr<const SurveyRegistry>> load_surveys(std::string_view embedded_lobby,
                                                             const std::vector<std::string>& files) {
  auto registry = std::make_shared<SurveyRegistry>();
  auto lobby = model::parse_survey(std::string(embedded_lobby), "lobby.toml (embedded)");
  if (!lobby) return Error{lobby.error().front().to_string()};
  registry->add(*lobby);
  for (const std::string& file : files) {
    auto survey = model::load_survey_file(file);
    if (!survey) return Error{survey.error().front().to_string()};
    registry->add(*survey);
  }
  return std::shared_ptr<const SurveyRegistry>(std::move(registry));
}

void fill_facts(IngestItem& item, const model::Response& response, const SurveyRegistry& surveys,
                const std::string& received_at) {
  item.day = counted_day(response.completed_at, received_at);
  item.event = response.event;
  item.misuse = response.misuse;
  std::string employee;
  for (const model::Answer& answer : response.answers) {
    const model::Question* q = surveys.question(response.survey_id, answer.question_id);
    if (const int* rating = std::get_if<int>(&answer.value)) {
      if ((q == nullptr || q->kind == model::QuestionKind::Rating) && *rating >= 1 && *rating <= 5) {
        item.ratings.push_back({answer.question_id, q ? q->pillar : model::Pillar::None, *rating});
      }
    } else if (const std::string* text = std::get_if<std::string>(&answer.value); text && q != nullptr) {
      if (q->kind == model::QuestionKind::FreeText && q->thanks_note) item.thanks_note = *text;
      if (q->kind == model::QuestionKind::Employee) employee = *text;
    }
  }
  if (!item.thanks_note.empty()) item.employee = std::move(employee);  // a name travels only with a note
}

}  // namespace fk::central
