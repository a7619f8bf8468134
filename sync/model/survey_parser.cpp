// Survey files: TOML → SurveyDefinition, strictly. Reading carries on past a mistake so that one run reports
// every mistake in the file; the definition is returned only when there were none.
#include "sync/model/survey_parser.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

#include "sync/model/survey_reading.hpp"

namespace fk::model {

using namespace detail;

namespace {

constexpr std::string_view kTopKeys[] = {"id",    "version", "default_language", "languages",
                                         "title", "welcome", "question"};
constexpr std::string_view kQuestionKeys[] = {"id",           "kind",    "text",       "hint",
                                              "pillar",       "labels",  "choices",    "max_length",
                                              "consent_text", "show_if", "thanks_note"};
constexpr std::string_view kChoiceKeys[] = {"id", "text"};
// Keys that only some kinds accept (see kind_accepts).
constexpr std::string_view kKindSpecificKeys[] = {"pillar",     "labels",       "choices",
                                                  "max_length", "consent_text", "thanks_note"};

constexpr std::array<const char*, 5> kDefaultLabels = {"Very poor", "Poor", "Okay", "Good", "Excellent"};
constexpr std::size_t kRatingLabelCount = kDefaultLabels.size();
constexpr std::size_t kMinChoices = 2;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

bool is_choice(QuestionKind kind) {
  return kind == QuestionKind::SingleChoice || kind == QuestionKind::MultipleChoice;
}
bool is_text_entry(QuestionKind kind) {
  return kind == QuestionKind::FreeText || kind == QuestionKind::Employee || kind == QuestionKind::Contact;
}

bool kind_accepts(QuestionKind kind, std::string_view key) {
  if (key == "pillar" || key == "labels") return kind == QuestionKind::Rating;
  if (key == "choices") return is_choice(kind);
  if (key == "max_length") return is_text_entry(kind);
  if (key == "consent_text") return kind == QuestionKind::Contact;
  if (key == "thanks_note") return kind == QuestionKind::FreeText;
  return true;
}

// Walks one parsed TOML document. Holds only the survey being built and what later checks need.
class SurveyReader {
 public:
  SurveyReader(const toml::table& root, Diagnostics& diag) : root_(root), diag_(diag) {}

  SurveyDefinition read() {
    check_known_keys(root_, kTopKeys, Owner{}, diag_);
    for (const char* key : {"id", "version", "title"}) require_key(root_, key, Owner{}, diag_);
    if (auto id = read_id(root_, "id", Owner{}, diag_)) survey_.id = *id;
    if (auto version = read_integer(root_, "version", Owner{}, diag_)) {
      if (*version < 1)
        diag_.report(root_.get("version")->source(),
                     "\"version\" must be at least 1, not " + std::to_string(*version));
      survey_.version = *version;
    }
    read_languages();
    if (auto title = read_text(root_, "title", langs_, Owner{}, diag_)) survey_.title = std::move(*title);
    if (auto welcome = read_text(root_, "welcome", langs_, Owner{}, diag_))
      survey_.welcome = std::move(*welcome);
    if (!root_.contains("question")) {
      diag_.report(root_.source(),
                   "missing required key \"question\" (a survey needs at least one [[question]])");
    } else if (const auto* list = read_array(root_, "question", Owner{}, diag_)) {
      read_questions(*list);
    }
    return std::move(survey_);
  }

 private:
  void read_languages() {
    if (auto tag = read_string(root_, "default_language", Owner{}, diag_)) {
      if (is_language_tag(*tag))
        survey_.default_language = *tag;
      else
        diag_.report(
            root_.get("default_language")->source(),
            "\"default_language\" must be a language tag such as \"en\" or \"es-MX\", not " + quoted(*tag));
    }
    langs_.default_language = survey_.default_language;
    langs_.all = {survey_.default_language};
    const toml::array* list = read_array(root_, "languages", Owner{}, diag_);
    if (list == nullptr) {
      survey_.languages = langs_.all;
      return;
    }
    std::vector<std::string> tags;
    for (const toml::node& item : *list) {
      const auto* s = item.as_string();
      if (s == nullptr) {
        diag_.report(item.source(),
                     std::string("each of \"languages\" must be a string, not ") + type_name(item));
      } else if (!is_language_tag(s->get())) {
        diag_.report(item.source(),
                     quoted(s->get()) + " in \"languages\" is not a language tag such as \"en\"");
      } else if (std::find(tags.begin(), tags.end(), s->get()) != tags.end()) {
        diag_.report(item.source(), quoted(s->get()) + " is listed twice in \"languages\"");
      } else {
        tags.push_back(s->get());
      }
    }
    if (std::find(tags.begin(), tags.end(), survey_.default_language) == tags.end()) {
      diag_.report(list->source(),
                   "\"languages\" must include the default language " + quoted(survey_.default_language));
      tags.insert(tags.begin(), survey_.default_language);  // so texts are not also reported for it
      langs_.require_all = false;  // the list itself is wrong: one mistake, not one per text
    }
    survey_.languages = tags;
    langs_.all = std::move(tags);
  }

  void read_questions(const toml::array& list) {
    const auto& where = key_source(root_, "question");
    if (list.empty()) diag_.report(where, "\"question\" is empty: a survey needs at least one question");
    if (list.size() > static_cast<std::size_t>(kMaxQuestions))
      diag_.report(where, "too many questions: " + std::to_string(list.size()) + " (at most " +
                              std::to_string(kMaxQuestions) + ")");
    declare(list);
    for (std::size_t i = 0; i < list.size(); ++i) {
      bool kind_known = false;
      Question q;
      if (const auto* table = list[i].as_table())
        q = read_question(*table, i, kind_known);
      else
        diag_.report(list[i].source(),
                     "question " + std::to_string(i + 1) + " must be a table, not " + type_name(list[i]));
      survey_.questions.push_back(std::move(q));  // placeholders too: indexes must match the file's
      kind_known_.push_back(kind_known);
    }
  }

  // Every valid question id and where it first appears, before any condition is read.
  void declare(const toml::array& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto* table = list[i].as_table();
      const toml::node* id = table != nullptr ? table->get("id") : nullptr;
      if (id == nullptr || !id->is_string() || !is_valid_id(id->as_string()->get())) continue;
      declared_.try_emplace(id->as_string()->get(), DeclaredQuestion{i, line_of(id->source())});
    }
  }

  Question read_question(const toml::table& t, std::size_t index, bool& kind_known) {
    Question q;
    Owner owner{"question " + std::to_string(index + 1)};
    if (auto id = read_id(t, "id", owner, diag_)) {
      q.id = *id;
      owner.name = "question " + quoted(q.id);
      const DeclaredQuestion& first = declared_.find(q.id)->second;
      if (first.index != index)
        diag_.report(t.get("id")->source(), "duplicate question id " + quoted(q.id) + " (first at line " +
                                                std::to_string(first.line) + ")");
    }
    check_known_keys(t, kQuestionKeys, owner, diag_);
    for (const char* key : {"id", "kind", "text"}) require_key(t, key, owner, diag_);
    if (auto text = read_text(t, "text", langs_, owner, diag_)) q.text = std::move(*text);
    if (auto hint = read_text(t, "hint", langs_, owner, diag_)) q.hint = std::move(*hint);

    if (auto name = read_string(t, "kind", owner, diag_)) {
      if (auto kind = question_kind_from_string(*name)) {
        q.kind = *kind;
        kind_known = true;
      } else {
        diag_.report(
            t.get("kind")->source(),
            "\"kind\"" + owner.in() +
                " must be one of rating, yes_no, single_choice, multiple_choice, free_text, employee, "
                "contact, not " +
                quoted(*name));
      }
    }
    if (kind_known) read_kind_specific(t, q, owner);

    if (const auto* show_if = read_table(t, "show_if", owner, diag_))
      q.show_if = read_condition(*show_if, index, survey_.questions, kind_known_, declared_, owner, diag_);
    return q;
  }

  void read_kind_specific(const toml::table& t, Question& q, const Owner& owner) {
    for (std::string_view key : kKindSpecificKeys) {
      if (t.contains(key) && !kind_accepts(q.kind, key))
        diag_.report(key_source(t, key),
                     quoted(key) + " is not allowed in " + to_string(q.kind) + " " + owner.name);
    }
    switch (q.kind) {
      case QuestionKind::Rating:
        read_rating(t, q, owner);
        break;
      case QuestionKind::SingleChoice:
      case QuestionKind::MultipleChoice:
        read_choices(t, q, owner);
        break;
      case QuestionKind::Contact:
        require_key(t, "consent_text", owner, diag_);
        if (auto consent = read_text(t, "consent_text", langs_, owner, diag_))
          q.consent_text = std::move(*consent);
        [[fallthrough]];
      case QuestionKind::FreeText:
      case QuestionKind::Employee:
        if (const toml::node* flag = t.get("thanks_note");
            flag != nullptr && q.kind == QuestionKind::FreeText) {
          if (const auto* b = flag->as_boolean())
            q.thanks_note = b->get();
          else
            diag_.report(flag->source(),
                         "\"thanks_note\"" + owner.in() + " must be true or false, not " + type_name(*flag));
        }
        q.max_length =
            read_int_in(t, "max_length", 1, kMaxTextLength, owner, diag_)
                .value_or(q.kind == QuestionKind::FreeText ? kDefaultNoteLength : kDefaultNameLength);
        break;
      case QuestionKind::YesNo:
        break;
    }
  }

  void read_rating(const toml::table& t, Question& q, const Owner& owner) {
    if (auto name = read_string(t, "pillar", owner, diag_)) {
      if (auto pillar = pillar_from_string(*name))
        q.pillar = *pillar;
      else
        diag_.report(t.get("pillar")->source(),
                     "\"pillar\"" + owner.in() +
                         " must be one of none, overall, empathize, educate, exceed, not " + quoted(*name));
    }
    const toml::array* labels = read_array(t, "labels", owner, diag_);
    if (labels == nullptr) {
      q.default_labels = true;  // the English words here; the kiosk shows its catalogs' translations
      for (const char* label : kDefaultLabels)
        q.labels.push_back(LocalizedText{{{langs_.default_language, label}}});
      return;
    }
    if (labels->size() != kRatingLabelCount) {
      diag_.report(labels->source(), "\"labels\"" + owner.in() + " must have exactly 5 entries, not " +
                                         std::to_string(labels->size()));
      return;
    }
    for (std::size_t i = 0; i < labels->size(); ++i) {
      if (auto label =
              read_text_node((*labels)[i], "labels[" + std::to_string(i + 1) + "]", langs_, owner, diag_))
        q.labels.push_back(std::move(*label));
    }
  }

  void read_choices(const toml::table& t, Question& q, const Owner& owner) {
    require_key(t, "choices", owner, diag_);
    const toml::array* list = read_array(t, "choices", owner, diag_);
    if (list == nullptr) return;
    if (list->size() < kMinChoices || list->size() > static_cast<std::size_t>(kMaxChoices))
      diag_.report(list->source(), "\"choices\"" + owner.in() + " must have 2.." +
                                       std::to_string(kMaxChoices) + " entries, not " +
                                       std::to_string(list->size()));
    std::map<std::string, int, std::less<>> seen;  // choice id → line of its first use
    for (std::size_t i = 0; i < list->size(); ++i) {
      const toml::node& item = (*list)[i];
      const auto* table = item.as_table();
      if (table == nullptr) {
        diag_.report(item.source(), "choice " + std::to_string(i + 1) + owner.in() +
                                        " must be a table such as { id = \"...\", text = \"...\" }, not " +
                                        type_name(item));
        continue;
      }
      Choice choice;
      Owner choice_owner{"choice " + std::to_string(i + 1) + " of " + owner.name};
      if (auto id = read_id(*table, "id", choice_owner, diag_)) {
        choice.id = *id;
        choice_owner.name = "choice " + quoted(choice.id) + " of " + owner.name;
        const int line = line_of(table->get("id")->source());
        if (auto [it, fresh] = seen.try_emplace(choice.id, line); !fresh)
          diag_.report(table->get("id")->source(), "duplicate choice id " + quoted(choice.id) + owner.in() +
                                                       " (first at line " + std::to_string(it->second) + ")");
      }
      check_known_keys(*table, kChoiceKeys, choice_owner, diag_);
      for (const char* key : {"id", "text"}) require_key(*table, key, choice_owner, diag_);
      if (auto text = read_text(*table, "text", langs_, choice_owner, diag_)) choice.text = std::move(*text);
      q.choices.push_back(std::move(choice));
    }
  }

  const toml::table& root_;
  Diagnostics& diag_;
  SurveyDefinition survey_;
  Languages langs_;
  DeclaredQuestions declared_;
  std::vector<bool> kind_known_;  // parallel to survey_.questions
};

}  // namespace

std::string SurveyError::to_string() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (line > 0 && column > 0) out += ":" + std::to_string(column);
  return out + ": " + reason;
}

Expected<SurveyDefinition, SurveyErrors> parse_survey(std::string_view text, const std::string& file_name) {
  Diagnostics diag(file_name);
  if (text.size() > kMaxSurveyFileBytes) {
    diag.report(0, 0,
                "file is larger than the limit of " + std::to_string(kMaxSurveyFileBytes) + " bytes (1 MiB)");
    return std::move(diag).take();
  }
  try {
    const toml::table root = toml::parse(text, std::string_view(file_name));
    if (root.empty()) {
      diag.report(1, 1, "the file is empty: a survey needs id, version, title and at least one [[question]]");
    } else {
      SurveyDefinition survey = SurveyReader(root, diag).read();
      if (diag.empty()) return survey;
    }
  } catch (const toml::parse_error& e) {
    diag.report(e.source(), "TOML syntax error: " + std::string(e.description()));
  } catch (const std::exception& e) {
    // Out of memory and the like: still an error value, never an exception out of the parser.
    diag.report(0, 0, std::string("cannot parse: ") + e.what());
  }
  return std::move(diag).take();
}

Expected<SurveyDefinition, SurveyErrors> load_survey_file(const std::string& path) {
  const auto cannot_read = [&path](int err) {
    return SurveyErrors{SurveyError{path, 0, 0, "cannot read file: " + std::generic_category().message(err)}};
  };
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return cannot_read(errno);
  // Read one byte past the limit, so that an oversized file is told apart from one exactly at it.
  std::string text(kMaxSurveyFileBytes + 1, '\0');
  errno = 0;
  const std::size_t n = std::fread(text.data(), 1, text.size(), file.get());
  if (std::ferror(file.get())) return cannot_read(errno != 0 ? errno : EIO);
  text.resize(n);
  return parse_survey(text, path);
}

}  // namespace fk::model
