#include "report.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>

#include "workloads.h"

namespace jormun::bench {

namespace {
constexpr struct {
  const char* name;
  double quantile;
} kPercentiles[] = {
    {"p50_us", 0.50}, {"p95_us", 0.95}, {"p99_us", 0.99}, {"p999_us", 0.999}};

double micros(double nanoseconds) { return nanoseconds / 1000.0; }

double throughput(const RunStats& stats) {
  return stats.seconds > 0 ? static_cast<double>(stats.all.count()) / stats.seconds : 0;
}

void write_latency(rapidjson::Writer<rapidjson::StringBuffer>& w, const Histogram& h) {
  w.Key("ops");
  w.Uint64(h.count());
  w.Key("mean_us");
  w.Double(micros(h.mean()));
  for (const auto& p : kPercentiles) {
    w.Key(p.name);
    w.Double(micros(static_cast<double>(h.percentile(p.quantile))));
  }
  w.Key("max_us");
  w.Double(micros(static_cast<double>(h.max())));
}

std::string format(const char* pattern, auto... values) {
  char line[256];
  std::snprintf(line, sizeof line, pattern, values...);
  return line;
}
}  // namespace

std::string status_of(const RunStats& stats) {
  if (stats.unsupported) return "unsupported";
  return stats.errors || stats.wrong ? "failed" : "ok";
}

std::string json_line(const Options& o, const std::string& workload,
                      const RunStats& stats) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.SetMaxDecimalPlaces(3);
  w.StartObject();
  w.Key("label"), w.String(o.label.c_str());
  w.Key("workload"), w.String(workload.c_str());
  w.Key("status"), w.String(status_of(stats).c_str());
  w.Key("endpoint"), w.String(o.endpoint.c_str());
  w.Key("connections"), w.Uint(o.connections);
  w.Key("threads"), w.Uint(o.threads);
  w.Key("mode"), w.String(o.rate > 0 ? "open" : "closed");
  w.Key("target_rate"), w.Double(o.rate);
  w.Key("keys"), w.Uint64(o.keys);
  w.Key("item_size"), w.Uint64(o.item_size);
  w.Key("distribution"), w.String(std::string(name_of(o.distribution)).c_str());
  w.Key("seed"), w.Uint64(o.seed);
  w.Key("seconds"), w.Double(stats.seconds);
  w.Key("throughput"), w.Double(throughput(stats));
  write_latency(w, stats.all);
  w.Key("errors"), w.Uint64(stats.errors);
  w.Key("wrong"), w.Uint64(stats.wrong);
  w.Key("error_kinds");
  w.StartObject();
  for (const auto& [kind, n] : stats.error_kinds) w.Key(kind.c_str()), w.Uint64(n);
  w.EndObject();
  w.Key("wrong_examples");
  w.StartArray();
  for (const auto& example : stats.wrong_examples) w.String(example.c_str());
  w.EndArray();
  if (stats.unsupported)
    w.Key("unsupported_operation"), w.String(stats.unsupported->c_str());
  w.Key("by_kind");
  w.StartObject();
  for (size_t k = 0; k < kOpKinds; ++k) {
    if (stats.by_kind[k].count() == 0) continue;
    w.Key(std::string(name_of(static_cast<OpKind>(k))).c_str());
    w.StartObject();
    write_latency(w, stats.by_kind[k]);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string startup_json_line(const Options& o, const StartupMeasure& measure) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.SetMaxDecimalPlaces(3);
  w.StartObject();
  w.Key("label"), w.String(o.label.c_str());
  w.Key("workload"), w.String("startup");
  w.Key("status"), w.String("ok");
  w.Key("startup_ms"), w.Double(measure.milliseconds);
  w.Key("rss_kb"), w.Uint64(measure.resident_kb);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string summary(const Options& o, const std::string& workload,
                    const RunStats& stats) {
  std::string text =
      format("%s: %s, %u connections, %s, %s\n", workload.c_str(),
             status_of(stats).c_str(), o.connections,
             o.rate > 0 ? format("open loop at %.0f/s", o.rate).c_str() : "closed loop",
             o.endpoint.c_str());
  if (stats.unsupported)
    return text + "  the server does not support " + *stats.unsupported + "\n";
  text += format("  %llu operations in %.2f s: %.0f ops/s\n",
                 static_cast<unsigned long long>(stats.all.count()), stats.seconds,
                 throughput(stats));
  auto latency_line = [](const char* name, const Histogram& h) {
    return format(
        "  %-18s mean %8.1f  p50 %8.1f  p95 %8.1f  p99 %8.1f  p99.9 %8.1f  max %8.1f "
        "us\n",
        name, micros(h.mean()), micros(h.percentile(0.5)), micros(h.percentile(0.95)),
        micros(h.percentile(0.99)), micros(h.percentile(0.999)), micros(h.max()));
  };
  text += latency_line("all", stats.all);
  size_t kinds_seen = 0;
  for (const auto& h : stats.by_kind) kinds_seen += h.count() > 0;
  if (kinds_seen > 1)
    for (size_t k = 0; k < kOpKinds; ++k)
      if (stats.by_kind[k].count())
        text += latency_line(std::string(name_of(static_cast<OpKind>(k))).c_str(),
                             stats.by_kind[k]);
  text += format("  errors %llu, wrong answers %llu\n",
                 static_cast<unsigned long long>(stats.errors),
                 static_cast<unsigned long long>(stats.wrong));
  for (const auto& [kind, n] : stats.error_kinds)
    text += format("    %llu x %s\n", static_cast<unsigned long long>(n), kind.c_str());
  for (const auto& example : stats.wrong_examples) text += "    wrong: " + example + "\n";
  return text;
}

}  // namespace jormun::bench
