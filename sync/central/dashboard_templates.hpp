// The dashboard's mustache templates (assets/dashboard/, compiled into the binary) and the one way to render
// them. Values are HTML-escaped by the engine ({{x}}); templates include each other by name ({{> trend}}),
// and a name is looked up among the embedded templates only, so no value from data is ever read as a template.
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace fk::central {

using TemplateData = kainjow::mustache::data;

// A list of `items`, for a {{#section}} that repeats.
TemplateData template_list();

// Renders the embedded template `name` ("page", "trend", …) with `data`. A template that does not parse is a
// build defect, not an input error: it throws std::logic_error naming the template.
std::string render_template(std::string_view name, const TemplateData& data);

}  // namespace fk::central
