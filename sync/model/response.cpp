// The wire form of a response: canonical JSON (sorted keys, no whitespace, valid UTF-8) so that the same
// response always freezes to the same bytes and the same hash, and the parser the central endpoint uses.
#include "sync/model/response.hpp"

#include <sodium.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "sync/model/survey.hpp"

namespace fk::model {

namespace {

using nlohmann::json;

template <typename... F>
struct Overloaded : F... {
  using F::operator()...;
};

// libsodium must be initialised before use. The magic static makes the first call from any thread do it
// exactly once; later calls cost one load.
void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  // Without it neither hashes nor random UUIDs can be trusted; this does not happen on a working system.
  if (!ready) std::abort();
}

json answer_to_json(const Answer& answer) {
  json j = json::object();
  j["question"] = answer.question_id;
  std::visit(Overloaded{
                 [&j](int rating) { j["rating"] = rating; },
                 [&j](bool yes) { j["yes"] = yes; },
                 [&j](const std::vector<std::string>& choices) { j["choices"] = choices; },
                 [&j](const std::string& text) { j["text"] = text; },
                 [&j](const ContactAnswer& c) {
                   j["consent"] = c.consent;
                   // Without consent the contact is never written, whatever the caller left in it.
                   if (c.consent) j["contact"] = c.contact;
                 },
             },
             answer.value);
  return j;
}

// Reading: each helper returns the problem, or nothing when the value is fine.
using Problem = std::optional<std::string>;

Problem check_keys(const json& object, std::initializer_list<const char*> required,
                   std::initializer_list<const char*> optional, const std::string& where) {
  for (const char* key : required)
    if (!object.contains(key)) return where + " is missing \"" + key + "\"";
  for (const auto& item : object.items()) {
    const auto matches = [&item](const char* key) { return item.key() == key; };
    if (std::none_of(required.begin(), required.end(), matches) &&
        std::none_of(optional.begin(), optional.end(), matches))
      return where + " has an unknown key \"" + item.key() + "\"";
  }
  return std::nullopt;
}

std::optional<std::int64_t> as_int64(const json& value) {
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  return std::nullopt;
}

Problem read_string(const json& object, const char* key, const std::string& where, std::string& out) {
  const json& value = object.at(key);
  if (!value.is_string()) return where + "." + key + " must be a string";
  out = value.get<std::string>();
  return std::nullopt;
}

Problem read_answer(const json& j, const std::string& where, Answer& answer) {
  if (!j.is_object()) return where + " must be an object";
  if (!j.contains("question")) return where + " is missing \"question\"";
  if (auto p = read_string(j, "question", where, answer.question_id)) return p;
  if (j.contains("rating")) {
    if (auto p = check_keys(j, {"question", "rating"}, {}, where)) return p;
    const auto rating = as_int64(j.at("rating"));
    if (!rating || *rating < kRatingMin || *rating > kRatingMax)
      return where + ".rating must be an integer 1..5";
    answer.value = static_cast<int>(*rating);
  } else if (j.contains("yes")) {
    if (auto p = check_keys(j, {"question", "yes"}, {}, where)) return p;
    if (!j.at("yes").is_boolean()) return where + ".yes must be true or false";
    answer.value = j.at("yes").get<bool>();
  } else if (j.contains("choices")) {
    if (auto p = check_keys(j, {"question", "choices"}, {}, where)) return p;
    const json& list = j.at("choices");
    if (!list.is_array()) return where + ".choices must be an array";
    std::vector<std::string> choices;
    for (const json& c : list) {
      if (!c.is_string()) return where + ".choices must hold strings";
      choices.push_back(c.get<std::string>());
    }
    answer.value = std::move(choices);
  } else if (j.contains("text")) {
    if (auto p = check_keys(j, {"question", "text"}, {}, where)) return p;
    std::string text;
    if (auto p = read_string(j, "text", where, text)) return p;
    answer.value = std::move(text);
  } else if (j.contains("consent")) {
    if (auto p = check_keys(j, {"question", "consent"}, {"contact"}, where)) return p;
    ContactAnswer c;
    if (!j.at("consent").is_boolean()) return where + ".consent must be true or false";
    c.consent = j.at("consent").get<bool>();
    if (j.contains("contact")) {
      if (!c.consent) return where + " carries a contact without consent";
      if (auto p = read_string(j, "contact", where, c.contact)) return p;
    }
    answer.value = std::move(c);
  } else {
    return where + " needs one of \"rating\", \"yes\", \"choices\", \"text\", \"consent\"";
  }
  return std::nullopt;
}

Problem read_response(const json& j, Response& r) {
  if (!j.is_object()) return "a response must be a JSON object";
  const std::string where = "response";
  if (auto p = check_keys(j,
                          {"uuid", "survey_id", "survey_version", "language", "partial", "started_at",
                           "completed_at", "answers"},
                          {"event", "misuse", "misuse_reason"}, where))
    return p;
  if (j.contains("event")) {
    if (auto p = read_string(j, "event", where, r.event)) return p;
  }
  if (j.contains("misuse")) {
    if (!j.at("misuse").is_boolean()) return "response.misuse must be true or false";
    r.misuse = j.at("misuse").get<bool>();
  }
  if (j.contains("misuse_reason")) {
    if (auto p = read_string(j, "misuse_reason", where, r.misuse_reason)) return p;
  }
  for (auto [key, out] :
       {std::pair{"uuid", &r.uuid}, std::pair{"survey_id", &r.survey_id}, std::pair{"language", &r.language},
        std::pair{"started_at", &r.started_at}, std::pair{"completed_at", &r.completed_at}}) {
    if (auto p = read_string(j, key, where, *out)) return p;
  }
  if (!is_uuid(r.uuid)) return "response.uuid is not a lower-case UUID";
  const auto version = as_int64(j.at("survey_version"));
  if (!version) return "response.survey_version must be an integer";
  r.survey_version = *version;
  if (!j.at("partial").is_boolean()) return "response.partial must be true or false";
  r.partial = j.at("partial").get<bool>();
  const json& answers = j.at("answers");
  if (!answers.is_array()) return "response.answers must be an array";
  for (std::size_t i = 0; i < answers.size(); ++i) {
    Answer answer;
    if (auto p = read_answer(answers[i], "response.answers[" + std::to_string(i) + "]", answer)) return p;
    r.answers.push_back(std::move(answer));
  }
  return std::nullopt;
}

}  // namespace

std::string serialise(const Response& response) {
  // nlohmann::json keeps object keys in a std::map, so keys come out sorted: the canonical order.
  json j = json::object();
  j["uuid"] = response.uuid;
  j["survey_id"] = response.survey_id;
  j["survey_version"] = response.survey_version;
  j["language"] = response.language;
  j["partial"] = response.partial;
  j["started_at"] = response.started_at;
  j["completed_at"] = response.completed_at;
  // Written only when set, so a lobby response without a flag keeps the shape kiosks have always sent.
  if (!response.event.empty()) j["event"] = response.event;
  if (response.misuse) {
    j["misuse"] = true;
    if (!response.misuse_reason.empty()) j["misuse_reason"] = response.misuse_reason;
  }
  json answers = json::array();
  for (const Answer& answer : response.answers) answers.push_back(answer_to_json(answer));
  j["answers"] = std::move(answers);
  // Replace invalid UTF-8 (say, a note from a misbehaving keyboard) with U+FFFD rather than throw: a response
  // must always be saveable, and the payload must always be valid JSON.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Expected<Response> parse_response(const std::string& payload) {
  try {
    const json j = json::parse(payload, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Error{"response is not valid JSON"};
    Response r;
    if (auto problem = read_response(j, r)) return Error{std::move(*problem)};
    return r;
  } catch (const std::exception& e) {
    return Error{std::string("cannot read response: ") + e.what()};
  }
}

std::string payload_hash(const std::string& payload) {
  ensure_sodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

std::string new_uuid_v4() {
  ensure_sodium();
  std::array<unsigned char, 16> b{};
  randombytes_buf(b.data(), b.size());
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0F];
  }
  return out;
}

bool is_uuid(const std::string& s) {
  // Lower case only: the central endpoint's uniqueness is on the bytes, so one UUID has one spelling.
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

}  // namespace fk::model
