#include "admin/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace jormun::admin {
namespace {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string rate_text(const ProgressFigures& f, const std::string& unit) {
  if (f.seconds <= 0) return "";
  const double rate = static_cast<double>(f.done) / f.seconds;
  return fixed(rate, rate < 10 ? 1 : 0) + " " + unit + "/s";
}

std::optional<double> eta(const ProgressFigures& f) {
  if (!f.fraction || *f.fraction <= 0 || f.seconds <= 0) return std::nullopt;
  return f.seconds * (1 - *f.fraction) / *f.fraction;
}

size_t terminal_width() {
  winsize w{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
  return 80;
}

}  // namespace

std::string format_duration(double seconds) {
  if (seconds < 60) return fixed(seconds, 1) + " s";
  const auto total = static_cast<long long>(std::llround(seconds));
  char buf[64];
  if (total < 3600)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", total / 60, total % 60);
  else
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", total / 3600, total % 3600 / 60);
  return buf;
}

std::string format_bar(const ProgressFigures& f, const std::string& unit, size_t width) {
  std::string tail = std::to_string(f.done) + " " + unit;
  if (std::string rate = rate_text(f, unit); !rate.empty()) tail += "  " + rate;
  if (auto left = eta(f)) tail += "  ETA " + format_duration(*left);
  std::string out;
  if (f.fraction) {
    const double share = std::clamp(*f.fraction, 0.0, 1.0);
    const std::string percent = fixed(share * 100, 0) + "%";
    // The bar takes what the figures leave, between 10 and 40 columns.
    const long room = static_cast<long>(width) - static_cast<long>(tail.size()) - 9;
    const size_t bar = static_cast<size_t>(std::clamp(room, 10L, 40L));
    const auto full = static_cast<size_t>(share * static_cast<double>(bar));
    out = "[" + std::string(full, '#') + std::string(bar - full, '.') + "] ";
    out += std::string(4 - std::min<size_t>(4, percent.size()), ' ') + percent + "  ";
  }
  out += tail;
  if (out.size() > width) out.resize(width);
  return out;
}

std::string format_line(const std::string& label, const ProgressFigures& f,
                        const std::string& unit) {
  std::string out = label + ": " + std::to_string(f.done) + " " + unit;
  if (f.fraction)
    out += ", " + fixed(std::clamp(*f.fraction, 0.0, 1.0) * 100, 0) + "%";
  if (std::string rate = rate_text(f, unit); !rate.empty()) out += ", " + rate;
  if (auto left = eta(f)) out += ", ETA " + format_duration(*left);
  return out;
}

Progress::Mode Progress::mode_for(bool quiet) {
  if (quiet) return Mode::kQuiet;
  return ::isatty(STDERR_FILENO) ? Mode::kBar : Mode::kLines;
}

Progress::Progress(Mode mode, std::string label, std::string unit,
                   std::chrono::milliseconds interval)
    : mode_(mode), label_(std::move(label)), unit_(std::move(unit)), interval_(interval) {
  if (mode_ == Mode::kBar) interval_ = std::chrono::milliseconds(200);
  if (mode_ != Mode::kQuiet) thread_ = std::thread([this] { run(); });
}

Progress::~Progress() { stop(); }

void Progress::set_fraction_source(std::function<double()> fraction) {
  std::lock_guard lock(mutex_);
  fraction_ = std::move(fraction);
}

double Progress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

ProgressFigures Progress::figures() const {
  ProgressFigures f;
  f.done = done();
  f.seconds = seconds();
  if (fraction_) {
    f.fraction = fraction_();
  } else if (const uint64_t total = total_.load(std::memory_order_relaxed); total > 0) {
    f.fraction = std::min(0.99, static_cast<double>(f.done) / static_cast<double>(total));
  }
  return f;
}

void Progress::draw(bool final) {
  if (mode_ == Mode::kBar) {
    // \r and clear-to-end redraw the line in place; the final draw clears it.
    std::string text = final ? "" : format_bar(figures(), unit_, terminal_width() - 1);
    std::fprintf(stderr, "\r%s\033[K", text.c_str());
    drawn_ = !final;
  } else {
    std::fprintf(stderr, "%s\n", format_line(label_, figures(), unit_).c_str());
  }
  std::fflush(stderr);
}

void Progress::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) draw(false);
}

void Progress::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (mode_ == Mode::kBar && drawn_) draw(true);
}

}  // namespace jormun::admin
