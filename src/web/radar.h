// The radar chart of a result's categories, as SVG drawn by the server (templates/radar.html).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/text.h"

namespace shindan::web {

struct RadarAxis {
  std::string label;
  double value = 0;                 // 0…1: points over the applicable best
  std::optional<double> peers;      // the peers' mean on the same scale, when there are peers
};

// The company's polygon, and the peers' (dashed) when every axis has their mean; `legend_*` name
// the two in the chart's key.
std::string RadarSvg(const std::vector<RadarAxis>& axes, const std::string& title, const std::string& legend_company,
                     const std::string& legend_peers, Lang lang);

}  // namespace shindan::web
