#include "common/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace jormun::metrics {
namespace {

// Label values joined with a byte no table or operation name holds.
std::string join(const std::vector<std::string_view>& values) {
  std::string key;
  for (std::string_view v : values) {
    key.append(v);
    key.push_back('\0');
  }
  return key;
}

// A number as Prometheus reads it: integers without a fraction.
std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    return std::to_string(static_cast<long long>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// A label value escaped as the text format requires.
void append_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
}

void append_labels(std::string& out,
                   const std::vector<std::pair<std::string, std::string>>& labels) {
  if (labels.empty()) return;
  out.push_back('{');
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out.push_back(',');
    out.append(labels[i].first).append("=\"");
    append_escaped(out, labels[i].second);
    out.push_back('"');
  }
  out.push_back('}');
}

std::vector<std::pair<std::string, std::string>> zip(const std::vector<std::string>& names,
                                                     const std::vector<std::string>& values) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < names.size(); ++i) out.emplace_back(names[i], values[i]);
  return out;
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  const size_t at = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[at].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<uint64_t> Histogram::cumulative() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = total += counts_[i].load(std::memory_order_relaxed);
  return out;
}

double Histogram::sum() const { return sum_.load(std::memory_order_relaxed); }

template <typename Child>
Family<Child>::Family(std::vector<std::string> labels,
                      std::function<std::unique_ptr<Child>()> make)
    : id_([] {
        static std::atomic<uint64_t> next = 0;
        return next.fetch_add(1, std::memory_order_relaxed);
      }()),
      labels_(std::move(labels)),
      make_(std::move(make)) {}

template <typename Child>
Child& Family<Child>::with(const std::vector<std::string_view>& values) {
  // Per thread: the request path finds its child without the lock.
  thread_local std::unordered_map<std::string, void*> cache;
  std::string key(reinterpret_cast<const char*>(&id_), sizeof(id_));
  key += join(values);
  if (auto it = cache.find(key); it != cache.end()) return *static_cast<Child*>(it->second);
  std::lock_guard lock(mutex_);
  std::vector<std::string_view> chosen = values;
  std::string joined = join(values);
  const bool overflow = !index_.contains(joined) && entries_.size() >= kMaxChildren;
  if (overflow) {
    chosen.assign(labels_.size(), "_other");
    joined = join(chosen);
  }
  auto [it, added] = index_.try_emplace(joined, entries_.size());
  if (added)
    entries_.push_back({std::vector<std::string>(chosen.begin(), chosen.end()), make_()});
  Child* child = entries_[it->second].child.get();
  // Not the overflow: the cache would grow with every new name.
  if (!overflow) cache.emplace(std::move(key), child);
  return *child;
}

template <typename Child>
void Family<Child>::for_each(
    const std::function<void(const std::vector<std::string>&, const Child&)>& f) const {
  std::lock_guard lock(mutex_);
  for (const auto& e : entries_) f(e.values, *e.child);
}

template class Family<Counter>;
template class Family<RealCounter>;
template class Family<Histogram>;

struct Registry::Metric {
  std::string name, help, type;
  std::unique_ptr<Family<Counter>> counters;
  std::unique_ptr<Family<RealCounter>> real_counters;
  std::unique_ptr<Family<Histogram>> histograms;
  std::function<std::vector<Sample>()> collect;

  std::function<std::vector<CollectedFamily>()> collect_families;

  void render(std::string& out) const {
    if (collect_families) {
      for (const CollectedFamily& f : collect_families()) {
        render_header(out, f.name, f.help, f.type);
        render_samples(out, f.name, f.samples);
      }
      return;
    }
    render_header(out, name, help, type);
    if (counters)
      counters->for_each([&](const std::vector<std::string>& values, const Counter& c) {
        out.append(name);
        append_labels(out, zip(counters->labels(), values));
        out.append(" ").append(std::to_string(c.value())).append("\n");
      });
    if (real_counters)
      real_counters->for_each(
          [&](const std::vector<std::string>& values, const RealCounter& c) {
            out.append(name);
            append_labels(out, zip(real_counters->labels(), values));
            out.append(" ").append(number(c.value())).append("\n");
          });
    if (histograms)
      histograms->for_each([&](const std::vector<std::string>& values, const Histogram& h) {
        const auto labels = zip(histograms->labels(), values);
        const std::vector<uint64_t> counts = h.cumulative();
        for (size_t i = 0; i < counts.size(); ++i) {
          auto with_le = labels;
          with_le.emplace_back("le", i < h.bounds().size() ? number(h.bounds()[i]) : "+Inf");
          out.append(name).append("_bucket");
          append_labels(out, with_le);
          out.append(" ").append(std::to_string(counts[i])).append("\n");
        }
        out.append(name).append("_sum");
        append_labels(out, labels);
        out.append(" ").append(number(h.sum())).append("\n");
        out.append(name).append("_count");
        append_labels(out, labels);
        out.append(" ").append(std::to_string(counts.back())).append("\n");
      });
    if (collect) render_samples(out, name, collect());
  }

  static void render_header(std::string& out, std::string_view name, std::string_view help,
                            std::string_view type) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  }

  static void render_samples(std::string& out, std::string_view name,
                             const std::vector<Sample>& samples) {
    for (const Sample& s : samples) {
      out.append(name);
      append_labels(out, s.labels);
      out.append(" ").append(number(s.value)).append("\n");
    }
  }
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry& Registry::global() {
  static Registry* registry = new Registry;  // never destroyed: threads may record late
  return *registry;
}

Registry::Metric& Registry::find_or_add(const std::string& name, const std::string& help,
                                        const char* type) {
  for (auto& m : metrics_)
    if (m->name == name) return *m;
  metrics_.push_back(std::make_unique<Metric>());
  Metric& m = *metrics_.back();
  m.name = name;
  m.help = help;
  m.type = type;
  return m;
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help,
                                   std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  Metric& m = find_or_add(name, help, "counter");
  if (!m.counters)
    m.counters = std::make_unique<Family<Counter>>(
        std::move(labels), [] { return std::make_unique<Counter>(); });
  return *m.counters;
}

Family<RealCounter>& Registry::real_counter(const std::string& name,
                                           const std::string& help,
                                           std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  Metric& m = find_or_add(name, help, "counter");
  if (!m.real_counters)
    m.real_counters = std::make_unique<Family<RealCounter>>(
        std::move(labels), [] { return std::make_unique<RealCounter>(); });
  return *m.real_counters;
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> labels,
                                       std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  Metric& m = find_or_add(name, help, "histogram");
  if (!m.histograms)
    m.histograms = std::make_unique<Family<Histogram>>(
        std::move(labels), [bounds] { return std::make_unique<Histogram>(bounds); });
  return *m.histograms;
}

void Registry::gauge(const std::string& name, const std::string& help,
                     std::function<std::vector<Sample>()> collect) {
  std::lock_guard lock(mutex_);
  find_or_add(name, help, "gauge").collect = std::move(collect);
}

void Registry::collection(const std::string& key,
                          std::function<std::vector<CollectedFamily>()> collect) {
  std::lock_guard lock(mutex_);
  find_or_add(key, "", "").collect_families = std::move(collect);
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& m : metrics_) m->render(out);
  return out;
}

}  // namespace jormun::metrics
