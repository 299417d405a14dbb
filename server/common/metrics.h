// The process's metrics, rendered in Prometheus' text exposition format
// (version 0.0.4) for `GET /metrics`. Recording is a few relaxed atomic
// additions; a labelled child is found once per thread and cached, so the
// request path takes no lock after its first request of a kind.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jormun::metrics {

class Counter {
 public:
  void add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_ = 0;
};

// A counter of a quantity that need not be whole (capacity units: an
// eventually consistent read is half a unit).
class RealCounter {
 public:
  void add(double n) { value_.fetch_add(n, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_ = 0;
};

// Observations of a duration or a size, in buckets with these upper bounds
// (the last one is +Inf).
class Histogram {
 public:
  // Seconds, from 100 µs (a cached GetItem) to 10 s (a lock wait's limit).
  static constexpr std::array<double, 16> kSecondBounds = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,     10};
  // Counts, powers of two to 4,096 (writes in one group commit).
  static constexpr std::array<double, 13> kCountBounds = {
      1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  // Cumulative counts per bound, then the +Inf count; and the sum.
  std::vector<uint64_t> cumulative() const;
  double sum() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  std::atomic<double> sum_ = 0;
};

// One metric name with children told apart by label values, in the order of
// the family's label names. Children live as long as the family.
template <typename Child>
class Family {
 public:
  Family(std::vector<std::string> labels, std::function<std::unique_ptr<Child>()> make);

  // The child for `values` (one per label name), created on first use.
  // Past kMaxChildren distinct children, new label sets share one child
  // whose values are all "_other", so no client can grow the registry
  // without bound by naming tables that do not exist.
  Child& with(const std::vector<std::string_view>& values);

  // Calls `f(values, child)` for each child, in creation order.
  void for_each(const std::function<void(const std::vector<std::string>&,
                                         const Child&)>& f) const;
  const std::vector<std::string>& labels() const { return labels_; }

  static constexpr size_t kMaxChildren = 20000;

 private:
  struct Entry {
    std::vector<std::string> values;
    std::unique_ptr<Child> child;
  };
  // Names the family in the threads' caches: unlike its address, never
  // reused by a family made after this one is gone.
  const uint64_t id_;
  const std::vector<std::string> labels_;
  const std::function<std::unique_ptr<Child>()> make_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, size_t> index_;  // joined values -> entries_
  std::vector<Entry> entries_;
};

// A value computed when scraped (connections, tables), with its labels.
struct Sample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

// A metric whose name is known only when scraped (engine statistics: each
// engine names its own), with its samples.
struct CollectedFamily {
  std::string name;
  std::string help;
  const char* type = "gauge";  // "gauge" or "counter"
  std::vector<Sample> samples;
};

// Every metric of the process. Metrics are registered once, at start-up or
// on first use, and never removed.
class Registry {
 public:
  Registry();
  ~Registry();
  static Registry& global();

  Family<Counter>& counter(const std::string& name, const std::string& help,
                           std::vector<std::string> labels);
  Family<RealCounter>& real_counter(const std::string& name, const std::string& help,
                                   std::vector<std::string> labels);
  Family<Histogram>& histogram(const std::string& name, const std::string& help,
                               std::vector<std::string> labels,
                               std::vector<double> bounds);
  // A gauge whose samples `collect` returns at each scrape; registering a
  // name again replaces its function (a server started again in one process).
  void gauge(const std::string& name, const std::string& help,
             std::function<std::vector<Sample>()> collect);

  // Metrics that `collect` names and fills at each scrape, rendered in this
  // registration's place; `key` names the registration (it is not a metric
  // name), and registering it again replaces the function. The names
  // returned must not be those of other metrics.
  void collection(const std::string& key,
                  std::function<std::vector<CollectedFamily>()> collect);

  // Every metric in Prometheus' text format, in registration order.
  std::string render() const;

 private:
  struct Metric;
  Metric& find_or_add(const std::string& name, const std::string& help,
                      const char* type);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Metric>> metrics_;
};

}  // namespace jormun::metrics
