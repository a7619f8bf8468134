#include "sync/uploader/survey_cache.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "sync/store/atomic_file.hpp"

namespace fk::uploader {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string file_name(const std::string& sha256) {
  return sha256 + ".toml";
}

bool is_hex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

CachedSurvey survey_entry(const nlohmann::json& entry) {
  CachedSurvey c;
  c.id = entry.at("id").get<std::string>();
  c.version = entry.at("version").get<std::int64_t>();
  c.sha256 = entry.at("sha256").get<std::string>();
  c.lobby = entry.at("lobby").get<bool>();
  c.events = entry.at("events").get<std::vector<std::string>>();
  return c;
}

Expected<SurveyCache> read_survey_cache(const std::string& dir) {
  const std::string manifest = dir + "/" + kSurveyManifest;
  std::error_code ec;
  if (!fs::exists(manifest, ec)) return SurveyCache{};
  std::ifstream in(manifest, std::ios::binary);
  std::string text(kMaxManifestBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxManifestBytes)
    return Error{manifest + ": larger than " + std::to_string(kMaxManifestBytes) + " bytes"};
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{manifest + ": not a JSON object"};
  try {
    SurveyCache cache;
    cache.etag = j.at("etag").get<std::string>();
    cache.site = j.at("site").get<std::string>();
    for (const json& s : j.at("surveys")) {
      CachedSurvey c = survey_entry(s);
      if (!is_hex64(c.sha256)) return Error{manifest + ": survey " + c.id + " has a malformed sha256"};
      c.path = dir + "/" + file_name(c.sha256);
      cache.surveys.push_back(std::move(c));
    }
    return cache;
  } catch (const json::exception& e) {
    return Error{manifest + ": " + e.what()};
  }
}

Expected<Ok> write_survey_cache(const std::string& dir, const SurveyCache& cache,
                                const std::vector<std::string>& tomls) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error{"cannot create " + dir + ": " + ec.message()};
  json list = json::array();
  std::set<std::string> keep = {kSurveyManifest};
  for (std::size_t i = 0; i < cache.surveys.size(); ++i) {
    const CachedSurvey& s = cache.surveys[i];
    if (!is_hex64(s.sha256) || i >= tomls.size())
      return Error{"survey " + s.id + ": no text or a malformed sha256"};
    const std::string name = file_name(s.sha256);
    keep.insert(name);
    // Named by content: an existing file already holds these bytes.
    if (!fs::exists(dir + "/" + name, ec)) {
      if (auto written = store::write_file_atomically(dir + "/" + name, tomls[i]); !written) return written;
    }
    list.push_back({{"id", s.id},
                    {"version", s.version},
                    {"sha256", s.sha256},
                    {"lobby", s.lobby},
                    {"events", s.events}});
  }
  const json manifest{{"etag", cache.etag}, {"site", cache.site}, {"surveys", std::move(list)}};
  if (auto written = store::write_file_atomically(dir + "/" + kSurveyManifest, manifest.dump(2)); !written)
    return written;
  // Only now are the files of the previous set unused.
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (keep.count(name) == 0 && entry.path().extension() == ".toml") fs::remove(entry.path(), ec);
  }
  return Ok{};
}

}  // namespace fk::uploader
