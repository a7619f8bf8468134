#include "kiosk/automation.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace fk::kiosk {

std::optional<Automation> Automation::from_environment() {
  const char* dir = std::getenv("FK_AUTOMATION_DIR");
  if (dir == nullptr || *dir == '\0') return std::nullopt;
  Automation automation(dir);
  // Benchmarks of memory want the layout (to know the first frame is drawn) without the screenshots' buffers.
  const char* shots = std::getenv("FK_AUTOMATION_SCREENSHOTS");
  automation.screenshots_ = !(shots != nullptr && std::string(shots) == "off");
  return automation;
}

std::optional<std::string> Automation::frame_drawn(const ui::FrameRecord& record, const std::string& key,
                                                   ImVec2 display) {
  ++frame_;
  write_layout(record, key, display);
  frames_on_key_ = key == key_ ? frames_on_key_ + 1 : 1;
  key_ = key;
  // The second frame of a screen: pressed states from the tap that led here have settled.
  if (frames_on_key_ != 2 || !screenshots_) return std::nullopt;
  char name[64];
  std::snprintf(name, sizeof name, "%02d-", ++screenshot_count_);
  return dir_ + "/" + name + key + ".png";
}

void Automation::write_layout(const ui::FrameRecord& record, const std::string& key, ImVec2 display) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& t : record.targets) {
    targets.push_back({{"id", t.id},
                       {"label", t.label},
                       {"x", t.min.x},
                       {"y", t.min.y},
                       {"w", t.max.x - t.min.x},
                       {"h", t.max.y - t.min.y},
                       {"selected", t.selected}});
  }
  // Each line of text drawn and the box it must stay inside, for "no text drawn outside its box" checks.
  nlohmann::json text_rects = nlohmann::json::array();
  for (const auto& r : record.text_rects) {
    text_rects.push_back({{"text", r.text},
                          {"x", r.min.x},
                          {"y", r.min.y},
                          {"w", r.max.x - r.min.x},
                          {"h", r.max.y - r.min.y},
                          {"box",
                           {{"x", r.box_min.x},
                            {"y", r.box_min.y},
                            {"w", r.box_max.x - r.box_min.x},
                            {"h", r.box_max.y - r.box_min.y}}}});
  }
  nlohmann::json missing = nlohmann::json::array();
  for (char32_t c : record.missing_glyphs) missing.push_back(static_cast<std::uint32_t>(c));
  const nlohmann::json layout = {{"frame", frame_},
                                 {"screen", record.screen},
                                 {"key", key},
                                 {"targets", targets},
                                 {"texts", record.texts},
                                 {"text_rects", text_rects},
                                 {"missing_glyphs", missing},
                                 {"display", {{"w", display.x}, {"h", display.y}}}};
  // Written whole, then renamed, so a reader never sees half a file.
  const std::string tmp = dir_ + "/layout.json.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << layout.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::rename(tmp.c_str(), (dir_ + "/layout.json").c_str());
}

}  // namespace fk::kiosk
