// Looks the dashboard's templates up by name among the embedded assets and renders them with kainjow::mustache.
#include "sync/central/dashboard_templates.hpp"

#include <stdexcept>
#include <utility>

// assets/dashboard/*, embedded at build time (fk_embed_file in sync/central/CMakeLists.txt).
extern const std::string_view kDashboard_page;
extern const std::string_view kDashboard_style;
extern const std::string_view kDashboard_login;
extern const std::string_view kDashboard_dashboard;
extern const std::string_view kDashboard_trend;
extern const std::string_view kDashboard_thanks;
extern const std::string_view kDashboard_distributions;
extern const std::string_view kDashboard_fleet;

namespace fk::central {
namespace {

const std::pair<std::string_view, const std::string_view*> kTemplates[] = {
    {"page", &kDashboard_page},
    {"style", &kDashboard_style},
    {"login", &kDashboard_login},
    {"dashboard", &kDashboard_dashboard},
    {"trend", &kDashboard_trend},
    {"thanks", &kDashboard_thanks},
    {"distributions", &kDashboard_distributions},
    {"fleet", &kDashboard_fleet},
};

std::string_view source_of(std::string_view name) {
  for (const auto& [known, source] : kTemplates) {
    if (known == name) return *source;
  }
  throw std::logic_error("no dashboard template named \"" + std::string(name) + "\"");
}

// The engine's own context resolves {{> name}} through the data too (a string value would be parsed as a
// template); this one takes partials from the embedded templates alone.
class EmbeddedPartials : public kainjow::mustache::context<std::string> {
 public:
  explicit EmbeddedPartials(const TemplateData* data) : context(data) {
    for (const auto& [name, source] : kTemplates) partials_.set(std::string(name), std::string(*source));
  }
  const TemplateData* get_partial(const std::string& name) const override { return partials_.get(name); }

 private:
  TemplateData partials_;
};

}  // namespace

TemplateData template_list() {
  return TemplateData(TemplateData::type::list);
}

std::string render_template(std::string_view name, const TemplateData& data) {
  kainjow::mustache::mustache engine{std::string(source_of(name))};
  EmbeddedPartials context(&data);
  std::string out;
  if (engine.is_valid()) out = engine.render(context);
  if (!engine.is_valid()) {
    throw std::logic_error("dashboard template \"" + std::string(name) + "\": " + engine.error_message());
  }
  return out;
}

}  // namespace fk::central
