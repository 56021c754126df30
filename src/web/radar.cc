#include "web/radar.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>

#include "web/render.h"

namespace shindan::web {

namespace {

constexpr double kCx = 150, kCy = 150, kRadius = 100;

struct Point {
  double x, y;
};

Point At(size_t i, size_t n, double r) {
  const double angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
  return {kCx + r * std::cos(angle), kCy + r * std::sin(angle)};
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Polygon(size_t n, const std::function<double(size_t)>& radius) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    const Point p = At(i, n, radius(i));
    if (i) out += ' ';
    out += Num(p.x) + "," + Num(p.y);
  }
  return out;
}

}  // namespace

std::string RadarSvg(const std::vector<RadarAxis>& axes, const std::string& title, const std::string& legend_company,
                     const std::string& legend_peers, Lang lang) {
  const size_t n = axes.size();
  if (n < 3) return "";
  mstch::array grid, spokes, labels;
  for (double level : {0.25, 0.5, 0.75, 1.0}) {
    grid.push_back(mstch::map{{"points", Polygon(n, [&](size_t) { return kRadius * level; })}});
  }
  for (size_t i = 0; i < n; ++i) {
    const Point end = At(i, n, kRadius), label = At(i, n, kRadius + 22);
    spokes.push_back(mstch::map{{"x", Num(end.x)}, {"y", Num(end.y)}});
    labels.push_back(mstch::map{{"x", Num(label.x)}, {"y", Num(label.y + 3)}, {"label", axes[i].label}});
  }
  const std::string company =
      Polygon(n, [&](size_t i) { return kRadius * std::clamp(axes[i].value, 0.0, 1.0); });
  mstch::map context{{"title", title},   {"grid", grid},     {"spokes", spokes},
                     {"labels", labels}, {"company", company}, {"legend_company", legend_company}};
  if (std::all_of(axes.begin(), axes.end(), [](const RadarAxis& a) { return a.peers.has_value(); })) {
    context["peers"] = Polygon(n, [&](size_t i) { return kRadius * std::clamp(*axes[i].peers, 0.0, 1.0); });
    context["legend_peers"] = legend_peers;
  }
  return Render("radar", std::move(context), lang);
}

}  // namespace shindan::web
