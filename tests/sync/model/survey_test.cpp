// Survey definitions that must load: the shipped lobby survey, fixtures covering every kind, and the
// plain-data helpers of survey.hpp.
#include "sync/model/survey.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "sync/model/survey_parser.hpp"

using namespace fk::model;

namespace {

const std::string kLobby = std::string(FK_ASSETS) + "/surveys/lobby.toml";
const std::string kGood = std::string(FK_FIXTURES) + "/surveys/good/";

SurveyDefinition load_ok(const std::string& path) {
  auto result = load_survey_file(path);
  if (!result) {
    for (const auto& e : result.error()) UNSCOPED_INFO(e.to_string());
  }
  REQUIRE(result.ok());
  return std::move(result).value();
}

const Question& question(const SurveyDefinition& s, const std::string& id) {
  const Question* q = s.find(id);
  REQUIRE(q != nullptr);
  return *q;
}

}  // namespace

TEST_CASE("the shipped lobby survey parses", "[survey]") {
  const SurveyDefinition s = load_ok(kLobby);
  CHECK(s.id == "lobby");
  CHECK(s.version == 1);
  CHECK(s.default_language == "en");
  CHECK(s.languages == std::vector<std::string>{"en", "es", "vi", "zh", "ar", "fr", "ko"});
  // The note is marked as a thank-you note (supervisors receive it); no other question is.
  for (const Question& q : s.questions) CHECK(q.thanks_note == (q.id == "thanks_note"));
  CHECK(s.title.get("en") == "How did we do today?");
  CHECK_FALSE(s.welcome.get("en").empty());
  REQUIRE(s.questions.size() == 8);

  const std::vector<std::string> ids{"overall", "listened", "next_steps",  "above_beyond",
                                     "improve", "thank",    "thanks_note", "employee"};
  const std::vector<QuestionKind> kinds{
      QuestionKind::Rating,         QuestionKind::Rating, QuestionKind::Rating,   QuestionKind::Rating,
      QuestionKind::MultipleChoice, QuestionKind::YesNo,  QuestionKind::FreeText, QuestionKind::Employee};
  const std::vector<Pillar> pillars{Pillar::Overall, Pillar::Empathize, Pillar::Educate, Pillar::Exceed,
                                    Pillar::None,    Pillar::None,      Pillar::None,    Pillar::None};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    INFO("question " << ids[i]);
    CHECK(s.questions[i].id == ids[i]);
    CHECK(s.questions[i].kind == kinds[i]);
    CHECK(s.questions[i].pillar == pillars[i]);
  }

  // The overall rating keeps the default labels; the pillar ratings bring their own agreement scale.
  CHECK(question(s, "overall").labels.size() == 5);
  CHECK(question(s, "overall").labels[0].get("en") == "Very poor");
  CHECK(question(s, "listened").labels[4].get("en") == "Strongly agree");

  const Question& improve = question(s, "improve");
  REQUIRE(improve.show_if);
  CHECK(improve.show_if->question_id == "overall");
  CHECK_FALSE(improve.show_if->at_least);
  CHECK(improve.show_if->at_most == 2);
  CHECK(improve.choices.size() == 5);
  CHECK(improve.choices[3].id == "follow_up");
  CHECK(improve.hint.get("en") == "Choose any that apply.");

  CHECK_FALSE(question(s, "thank").show_if);
  for (const char* id : {"thanks_note", "employee"}) {
    INFO(id);
    const Question& q = question(s, id);
    REQUIRE(q.show_if);
    CHECK(q.show_if->question_id == "thank");
    CHECK(q.show_if->equals_yes == true);
  }
  CHECK(question(s, "thanks_note").max_length == 500);
  CHECK(question(s, "employee").max_length == 80);
}

TEST_CASE("a survey with every kind, two languages and every condition form parses", "[survey]") {
  const SurveyDefinition s = load_ok(kGood + "all_kinds.toml");
  CHECK(s.id == "event-2026_spring");
  CHECK(s.version == 3);
  CHECK(s.languages == std::vector<std::string>{"en", "es"});
  CHECK(s.title.get("es") == "Día de la comunidad");
  REQUIRE(s.questions.size() == 8);

  const Question& overall = question(s, "overall");
  CHECK(overall.text.get("es") == "¿Qué tal hoy?");
  CHECK(overall.text.get("en") == "How was today?");
  CHECK(overall.hint.get("en") == "Tap a face.");

  const Question& explained = question(s, "explained");
  CHECK(explained.pillar == Pillar::Educate);
  REQUIRE(explained.labels.size() == 5);
  CHECK(explained.labels[4].get("es") == "Sí");
  CHECK(explained.labels[1].get("es") == "Apenas");
  REQUIRE(explained.show_if);
  CHECK(explained.show_if->at_least == 2);
  CHECK(explained.show_if->at_most == 4);

  const Question& topic = question(s, "topic");
  CHECK(topic.kind == QuestionKind::SingleChoice);
  REQUIRE(topic.choices.size() == 3);
  CHECK(topic.choices[0].text.get("es") == "Una denuncia");

  const Question& records = question(s, "records_wait");
  CHECK(records.kind == QuestionKind::YesNo);
  REQUIRE(records.show_if);
  CHECK(records.show_if->question_id == "topic");
  CHECK(records.show_if->any_of == std::vector<std::string>{"records"});

  const Question& note = question(s, "note");
  CHECK(note.kind == QuestionKind::FreeText);
  CHECK(note.max_length == kDefaultNoteLength);
  REQUIRE(note.show_if);
  CHECK(note.show_if->any_of == std::vector<std::string>{"front_desk", "phone"});

  const Question& helper = question(s, "helper");
  CHECK(helper.kind == QuestionKind::Employee);
  CHECK(helper.max_length == 40);
  REQUIRE(helper.show_if);
  CHECK(helper.show_if->equals_yes == false);

  const Question& contact = question(s, "reach_me");
  CHECK(contact.kind == QuestionKind::Contact);
  CHECK(contact.max_length == 120);
  CHECK(contact.consent_text.get("es") == "Acepto que me contacten.");
  CHECK_FALSE(contact.show_if);

  CHECK(question(s, "services").kind == QuestionKind::MultipleChoice);
}

TEST_CASE("defaults fill in what a minimal survey leaves out", "[survey]") {
  const SurveyDefinition s = load_ok(kGood + "minimal.toml");
  CHECK(s.default_language == "en");
  CHECK(s.languages == std::vector<std::string>{"en"});
  CHECK(s.welcome.by_language.empty());
  REQUIRE(s.questions.size() == 3);
  const Question& overall = s.questions[0];
  CHECK(overall.pillar == Pillar::None);
  REQUIRE(overall.labels.size() == 5);
  CHECK(overall.labels[2].get("en") == "Okay");
  CHECK(overall.labels[4].get("en") == "Excellent");
  CHECK(s.questions[1].max_length == kDefaultNoteLength);
  CHECK(s.questions[2].max_length == kDefaultNameLength);
}

TEST_CASE("a default language other than en is used for plain strings", "[survey]") {
  const auto r = parse_survey(R"(id = "es-only"
version = 2
default_language = "es"
title = "Hola"
[[question]]
id = "q"
kind = "rating"
text = "¿Qué tal?"
)",
                              "es.toml");
  REQUIRE(r.ok());
  CHECK(r->languages == std::vector<std::string>{"es"});
  CHECK(r->title.by_language.at("es") == "Hola");
  CHECK(r->questions[0].default_labels);  // the kiosk shows its own translated words for these
  CHECK(r->questions[0].labels[0].get("es") == "Very poor");
}

TEST_CASE("LocalizedText::get falls back to the fallback language, then to any", "[survey]") {
  LocalizedText t;
  CHECK(t.get("en").empty());
  t.by_language = {{"es", "Hola"}, {"vi", "Xin chào"}};
  CHECK(t.get("vi") == "Xin chào");
  CHECK(t.get("zh", "es") == "Hola");
  CHECK(t.get("zh") == "Hola");  // no "en": the first there is
  t.by_language["en"] = "Hello";
  CHECK(t.get("zh") == "Hello");
}

TEST_CASE("question kinds and pillars round-trip through their file names", "[survey]") {
  for (const char* name :
       {"rating", "yes_no", "single_choice", "multiple_choice", "free_text", "employee", "contact"}) {
    const auto kind = question_kind_from_string(name);
    REQUIRE(kind);
    CHECK(std::string(to_string(*kind)) == name);
  }
  for (const char* name : {"none", "overall", "empathize", "educate", "exceed"}) {
    const auto pillar = pillar_from_string(name);
    REQUIRE(pillar);
    CHECK(std::string(to_string(*pillar)) == name);
  }
  CHECK(to_string(Pillar::None) == std::string("none"));
  CHECK_FALSE(question_kind_from_string("Rating"));
  CHECK_FALSE(question_kind_from_string(""));
  CHECK_FALSE(pillar_from_string("empathise"));
}

TEST_CASE("SurveyDefinition finds questions by id", "[survey]") {
  SurveyDefinition s;
  s.questions.resize(2);
  s.questions[0].id = "a";
  s.questions[1].id = "b";
  CHECK(s.index_of("b") == 1);
  CHECK(s.index_of("c") == -1);
  CHECK(s.find("a") == &s.questions[0]);
  CHECK(s.find("c") == nullptr);
}
