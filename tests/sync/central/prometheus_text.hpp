// A strict reader of the Prometheus text format 0.0.4 for the /metrics tests: every line must be a
// `# HELP`, a `# TYPE` or a sample; a sample's family must have been typed before it, once; label values are
// unescaped; a series may appear only once. Anything else fails the test with the line's number.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

namespace fk::test {

struct PrometheusText {
  std::map<std::string, std::string> types;  // family → counter, gauge, histogram, …
  std::map<std::string, double> samples;     // `name{a="x",b="y"}` (labels in the order sent) → value

  // The value of a series, or 0 when it is absent (a counter nobody has touched yet).
  double value(const std::string& series) const {
    const auto it = samples.find(series);
    return it == samples.end() ? 0 : it->second;
  }
  bool has(const std::string& series) const { return samples.count(series) > 0; }
};

inline bool metric_name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

inline PrometheusText parse_prometheus_text(const std::string& text) {
  PrometheusText out;
  REQUIRE_FALSE(text.empty());
  REQUIRE(text.back() == '\n');
  std::set<std::string> helped;
  std::size_t line_no = 0, start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    INFO("line " << line_no << ": " << line);
    REQUIRE_FALSE(line.empty());
    std::size_t i = 0;
    auto name_at = [&](std::size_t& at) {
      const std::size_t from = at;
      while (at < line.size() && metric_name_char(line[at], at == from)) ++at;
      REQUIRE(at > from);
      return line.substr(from, at - from);
    };
    if (line[0] == '#') {
      REQUIRE(line.size() > 7);
      const std::string keyword = line.substr(0, 7);
      REQUIRE((keyword == "# HELP " || keyword == "# TYPE "));
      i = 7;
      const std::string name = name_at(i);
      REQUIRE(i < line.size());
      REQUIRE(line[i] == ' ');
      const std::string rest = line.substr(i + 1);
      if (keyword == "# TYPE ") {
        REQUIRE((rest == "counter" || rest == "gauge" || rest == "histogram" || rest == "summary" ||
                 rest == "untyped"));
        REQUIRE(out.types.emplace(name, rest).second);  // typed once
      } else {
        REQUIRE_FALSE(rest.empty());
        REQUIRE(helped.insert(name).second);
      }
      continue;
    }
    const std::string name = name_at(i);
    std::string family = name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0 &&
          out.types.count(name.substr(0, name.size() - s.size())) &&
          out.types.at(name.substr(0, name.size() - s.size())) == "histogram") {
        family = name.substr(0, name.size() - s.size());
      }
    }
    REQUIRE(out.types.count(family) == 1);  // typed before its first sample
    std::string series = name;
    if (i < line.size() && line[i] == '{') {
      series += '{';
      ++i;
      bool first = true;
      while (true) {
        REQUIRE(i < line.size());
        if (line[i] == '}') {
          ++i;
          break;
        }
        if (!first) {
          REQUIRE(line[i] == ',');
          ++i;
          series += ',';
        }
        first = false;
        const std::string label = name_at(i);
        REQUIRE(i + 1 < line.size());
        REQUIRE(line[i] == '=');
        REQUIRE(line[i + 1] == '"');
        i += 2;
        std::string value;
        while (true) {
          REQUIRE(i < line.size());
          const char c = line[i++];
          if (c == '"') break;
          if (c == '\\') {
            REQUIRE(i < line.size());
            const char e = line[i++];
            REQUIRE((e == '\\' || e == '"' || e == 'n'));
            value += e == 'n' ? '\n' : e;
          } else {
            value += c;
          }
        }
        series += label + "=\"" + value + "\"";
      }
      series += '}';
    }
    REQUIRE(i < line.size());
    REQUIRE(line[i] == ' ');
    const std::string number = line.substr(i + 1);
    REQUIRE_FALSE(number.empty());
    double v = 0;
    if (number == "+Inf") {
      v = 1e308;
    } else {
      char* parsed_end = nullptr;
      v = std::strtod(number.c_str(), &parsed_end);
      REQUIRE(parsed_end == number.c_str() + number.size());  // no timestamp, nothing after the value
    }
    REQUIRE(out.samples.emplace(series, v).second);  // each series once
  }
  return out;
}

}  // namespace fk::test
