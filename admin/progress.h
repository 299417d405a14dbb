// Progress of a long command on standard error: a bar redrawn in place on a
// terminal, a plain line every few seconds otherwise (a log, a pipe), or
// nothing with --quiet.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace jormun::admin {

// A snapshot of the work: `done` units so far, the share of the whole done
// (when known) and the time taken.
struct ProgressFigures {
  uint64_t done = 0;
  std::optional<double> fraction;  // 0..1
  double seconds = 0;
};

// "1.5 s", "2m05s", "1h02m": a duration for people.
std::string format_duration(double seconds);
// "[#######.............]  35%  7,000 items  1,234 items/s  ETA 5.7 s", cut
// to `width` columns; the bar only when the fraction is known.
std::string format_bar(const ProgressFigures& f, const std::string& unit, size_t width);
// "export t: 7000 items, 35%, 1234 items/s, ETA 5.7 s".
std::string format_line(const std::string& label, const ProgressFigures& f,
                        const std::string& unit);

class Progress {
 public:
  enum class Mode { kBar, kLines, kQuiet };
  // kBar when standard error is a terminal, else kLines; kQuiet if `quiet`.
  static Mode mode_for(bool quiet);

  // Starts drawing: every 0.2 s as a bar, every `interval` as lines.
  // `unit` is plural ("items").
  Progress(Mode mode, std::string label, std::string unit,
           std::chrono::milliseconds interval);
  // Stops drawing (clears the bar) without a summary.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add(uint64_t n) { done_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t done() const { return done_.load(std::memory_order_relaxed); }
  // The whole in units; the fraction is done / total, at most 99% until the
  // end (a table's ItemCount is an estimate).
  void set_total(uint64_t total) { total_.store(total, std::memory_order_relaxed); }
  // Or the fraction from another measure (bytes of a file read); wins
  // over the total.
  void set_fraction_source(std::function<double()> fraction);
  double seconds() const;
  // Stops drawing and clears the bar; then the caller prints its summary.
  void stop();

 private:
  ProgressFigures figures() const;
  void draw(bool final);
  void run();

  Mode mode_;
  std::string label_;
  std::string unit_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> total_{0};
  std::function<double()> fraction_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace jormun::admin
