#include "common/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace jormun::metrics {
namespace {

TEST(Metrics, CountersRenderInPrometheusTextFormat) {
  Registry r;
  auto& f = r.counter("t_requests_total", "Requests.", {"operation", "table"});
  f.with({"PutItem", "a\"b\\c\nd"}).add(2);
  f.with({"PutItem", "a\"b\\c\nd"}).add();
  EXPECT_EQ(r.render(),
            "# HELP t_requests_total Requests.\n"
            "# TYPE t_requests_total counter\n"
            "t_requests_total{operation=\"PutItem\",table=\"a\\\"b\\\\c\\nd\"} 3\n");
}

TEST(Metrics, RealCountersAddFractions) {
  Registry r;
  auto& f = r.real_counter("t_units_total", "Units.", {"table"});
  f.with({"a"}).add(0.5);
  f.with({"a"}).add(1);
  f.with({"b"}).add(2);
  EXPECT_EQ(r.render(),
            "# HELP t_units_total Units.\n"
            "# TYPE t_units_total counter\n"
            "t_units_total{table=\"a\"} 1.5\n"
            "t_units_total{table=\"b\"} 2\n");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  Registry r;
  r.histogram("t_size", "Sizes.", {}, {1, 4}).with({}).observe(0.5);
  r.histogram("t_size", "Sizes.", {}, {1, 4}).with({}).observe(3);
  r.histogram("t_size", "Sizes.", {}, {1, 4}).with({}).observe(9);
  EXPECT_EQ(r.render(),
            "# HELP t_size Sizes.\n"
            "# TYPE t_size histogram\n"
            "t_size_bucket{le=\"1\"} 1\n"
            "t_size_bucket{le=\"4\"} 2\n"
            "t_size_bucket{le=\"+Inf\"} 3\n"
            "t_size_sum 12.5\n"
            "t_size_count 3\n");
}

TEST(Metrics, GaugesAreComputedWhenRendered) {
  Registry r;
  int open = 1;
  r.gauge("t_open", "Open.", [&] { return std::vector<Sample>{{{{"kind", "x"}}, double(open)}}; });
  open = 7;
  EXPECT_EQ(r.render(), "# HELP t_open Open.\n# TYPE t_open gauge\nt_open{kind=\"x\"} 7\n");
}

TEST(Metrics, CollectionsNameTheirMetricsWhenRendered) {
  Registry r;
  r.gauge("t_before", "Before.", [] { return std::vector<Sample>{{{}, 1}}; });
  std::vector<CollectedFamily> families;
  r.collection("engines", [&] { return families; });
  EXPECT_EQ(r.render(), "# HELP t_before Before.\n# TYPE t_before gauge\nt_before 1\n");
  families = {{"t_hits_total", "Hits.", "counter", {{{{"table", "a"}}, 3}, {{{"table", "b"}}, 4}}},
              {"t_used_bytes", "Used.", "gauge", {{{{"table", "a"}}, 8}}}};
  EXPECT_EQ(r.render(),
            "# HELP t_before Before.\n# TYPE t_before gauge\nt_before 1\n"
            "# HELP t_hits_total Hits.\n# TYPE t_hits_total counter\n"
            "t_hits_total{table=\"a\"} 3\nt_hits_total{table=\"b\"} 4\n"
            "# HELP t_used_bytes Used.\n# TYPE t_used_bytes gauge\n"
            "t_used_bytes{table=\"a\"} 8\n");
}

TEST(Metrics, ChildrenPastTheCapShareOneOtherChild) {
  Registry r;
  auto& f = r.counter("t_capped_total", "Capped.", {"table"});
  for (size_t i = 0; i < Family<Counter>::kMaxChildren + 5; ++i)
    f.with({"t" + std::to_string(i)}).add();
  size_t children = 0;
  uint64_t other = 0;
  f.for_each([&](const std::vector<std::string>& values, const Counter& c) {
    ++children;
    if (values[0] == "_other") other = c.value();
  });
  EXPECT_EQ(children, Family<Counter>::kMaxChildren + 1);
  EXPECT_EQ(other, 5u);
  // A child made before the cap stays its own.
  f.with({"t0"}).add();
  f.for_each([&](const std::vector<std::string>& values, const Counter& c) {
    if (values[0] == "t0") {
      EXPECT_EQ(c.value(), 2u);
    }
  });
}

TEST(Metrics, ThreadsCountIntoTheSameChild) {
  Registry r;
  auto& f = r.counter("t_threads_total", "Threads.", {"operation"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) f.with({"GetItem"}).add();
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(f.with({"GetItem"}).value(), 4000u);
}

}  // namespace
}  // namespace jormun::metrics
