// The engines' own statistics in GET /metrics: each open table's
// jormun_engine_api::stats, one metric per statistic name.
#pragma once

#include "storage/catalog.h"

namespace jormun::storage {

// Registers (again, replacing the last registration) the collection that
// renders, at each scrape, every numeric statistic of each table whose
// instance is open as `jormun_engine_<statistic>{table, engine}`: a counter
// when the engine's name for it ends in "_total", a gauge otherwise.
// Closed tables are left out rather than opened; so are statistics whose
// name or value Prometheus cannot take, and tables whose engine fails its
// stats call. `catalog` must outlive the registration's use, as for the
// other gauges of main.
void register_engine_metrics(Catalog& catalog);

}  // namespace jormun::storage
