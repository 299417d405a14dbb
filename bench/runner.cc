#include "runner.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <thread>

#include "http_connection.h"

namespace jormun::bench {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {
constexpr size_t kWrongExamples = 5;
}  // namespace

void RunStats::merge(const RunStats& other) {
  all.merge(other.all);
  for (size_t i = 0; i < by_kind.size(); ++i) by_kind[i].merge(other.by_kind[i]);
  errors += other.errors;
  for (const auto& [kind, n] : other.error_kinds) error_kinds[kind] += n;
  wrong += other.wrong;
  for (const auto& example : other.wrong_examples)
    if (wrong_examples.size() < kWrongExamples) wrong_examples.push_back(example);
  seconds = std::max(seconds, other.seconds);
}

namespace {

// After a network error: keeps a dead server from turning the run into a
// busy loop of failed connects.
constexpr auto kRetryPause = 10ms;
// Calls still unanswered this long after the deadline are given up on.
constexpr auto kGrace = 30s;

// The DynamoDB error type of an error answer ("ValidationException"), or
// "HTTP <status>" when the body names none.
std::string error_type(unsigned status, std::string_view body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (!doc.HasParseError() && doc.IsObject()) {
    auto type = doc.FindMember("__type");
    if (type != doc.MemberEnd() && type->value.IsString()) {
      std::string_view name(type->value.GetString(), type->value.GetStringLength());
      return std::string(name.substr(name.rfind('#') + 1));
    }
  }
  return "HTTP " + std::to_string(status);
}

// State every thread of a run shares.
struct Shared {
  Shared(const RunOptions& o, Workload& w)
      : options(o), workload(w), budget(static_cast<int64_t>(o.operations)) {}

  const RunOptions& options;
  Workload& workload;
  Clock::time_point start;
  Clock::time_point deadline = Clock::time_point::max();
  std::atomic<int64_t> budget;  // operations left to start, if counting
  std::atomic<bool> stop{false};
  std::mutex mutex;  // guards unsupported
  std::optional<std::string> unsupported;
};

class Worker;

// One connection and the session of the workload it runs.
class Client final : public AnswerListener {
 public:
  Client(Worker& worker, unsigned number, const ItemSet& items);
  void start() { next(); }
  // The deadline passed long ago: stop waiting for the answer.
  void abandon() {
    abandoned_ = true;
    timer_.cancel();
    connection_.close();
  }

 private:
  void next();
  void launch();
  void send() { connection_.send(target_of(session_.op), session_.request.body()); }
  void on_answer(const boost::system::error_code& ec, unsigned status,
                 std::string& body) override;
  void judge(std::string& body, Clock::time_point now);
  void count_error(std::string kind);
  void finish();

  Worker& worker_;
  Shared& shared_;
  const unsigned number_;
  uint64_t launched_ = 0;
  Clock::time_point due_;
  Session session_;
  HttpConnection connection_;
  asio::steady_timer timer_;
  // Reused: its allocator is cleared before each parse.
  rapidjson::Document answer_;
  bool abandoned_ = false;
  bool finished_ = false;
};

// One thread: an io_context and the clients it drives.
class Worker {
 public:
  explicit Worker(Shared& shared) : shared_(shared) {}

  Shared& shared() { return shared_; }
  asio::io_context& io() { return io_; }
  RunStats& stats() { return stats_; }
  void add(std::unique_ptr<Client> client) { clients_.push_back(std::move(client)); }
  void answered(Clock::time_point when) { last_answer_ = std::max(last_answer_, when); }
  void client_finished() {
    if (--active_ == 0) watchdog_.cancel();
  }

  void run() {
    active_ = clients_.size();
    if (shared_.deadline != Clock::time_point::max()) {
      watchdog_.expires_at(shared_.deadline + kGrace);
      watchdog_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec)
          for (auto& client : clients_) client->abandon();
      });
    }
    for (auto& client : clients_) client->start();
    io_.run();
    if (last_answer_ > shared_.start)
      stats_.seconds =
          std::chrono::duration<double>(last_answer_ - shared_.start).count();
  }

 private:
  Shared& shared_;
  asio::io_context io_{1};
  asio::steady_timer watchdog_{io_};
  std::vector<std::unique_ptr<Client>> clients_;
  size_t active_ = 0;
  Clock::time_point last_answer_{};
  RunStats stats_;
};

Client::Client(Worker& worker, unsigned number, const ItemSet& items)
    : worker_(worker),
      shared_(worker.shared()),
      number_(number),
      session_(items, shared_.options.seed ^ (0x9E3779B97F4A7C15ULL * (number + 1))),
      connection_(worker.io(), shared_.options.endpoint, *this),
      timer_(worker.io()) {}

void Client::next() {
  const auto& options = shared_.options;
  if (finished_) return;
  if (abandoned_ || shared_.stop.load(std::memory_order_relaxed)) return finish();
  // Connection i's k-th operation is due at (i + k * connections) / rate:
  // together the connections follow one evenly spaced timetable.
  const auto due =
      options.rate > 0
          ? shared_.start +
                std::chrono::nanoseconds(static_cast<int64_t>(
                    (number_ + launched_ * options.connections) * 1e9 / options.rate))
          : Clock::now();
  if (due >= shared_.deadline) return finish();
  if (options.operations && shared_.budget.fetch_sub(1, std::memory_order_relaxed) <= 0)
    return finish();
  ++launched_;
  due_ = due;
  if (due <= Clock::now()) return launch();
  timer_.expires_at(due);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return finish();
    launch();
  });
}

void Client::launch() {
  if (!shared_.workload.begin(session_)) return finish();
  send();
}

void Client::on_answer(const boost::system::error_code& ec, unsigned status,
                       std::string& body) {
  const auto now = Clock::now();
  if (ec) {
    if (abandoned_) {
      count_error("no answer " + std::to_string(kGrace.count()) +
                  " s after the deadline");
      return finish();
    }
    count_error("network: " + ec.message());
    timer_.expires_after(kRetryPause);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return finish();
      next();
    });
    return;
  }
  worker_.answered(now);
  if (status == 200) return judge(body, now);
  std::string type = error_type(status, body);
  if (type == "UnknownOperationException") {
    if (shared_.workload.fall_back(session_)) return send();
    {
      std::lock_guard lock(shared_.mutex);
      std::string_view target = target_of(session_.op);
      if (!shared_.unsupported)
        shared_.unsupported = std::string(target.substr(target.find('.') + 1));
    }
    shared_.stop = true;
    return finish();
  }
  count_error(std::move(type));
  next();
}

void Client::judge(std::string& body, Clock::time_point now) {
  answer_.SetNull();
  answer_.GetAllocator().Clear();
  // In place: the answer's strings are not copied, and they live as long as
  // the body, which outlasts the judging.
  answer_.ParseInsitu(body.data());
  auto verdict = Verdict::wrong;
  if (answer_.HasParseError())
    session_.problem = "an HTTP 200 answer that is not JSON";
  else
    verdict = shared_.workload.judge(session_, answer_);
  auto& stats = worker_.stats();
  switch (verdict) {
    case Verdict::again:
      return send();
    case Verdict::wrong:
      ++stats.wrong;
      if (stats.wrong_examples.size() < kWrongExamples)
        stats.wrong_examples.push_back(session_.problem);
      break;
    case Verdict::done: {
      const auto nanoseconds = static_cast<uint64_t>((now - due_).count());
      stats.all.record(nanoseconds);
      stats.by_kind[static_cast<size_t>(session_.kind)].record(nanoseconds);
      break;
    }
  }
  next();
}

void Client::count_error(std::string kind) {
  auto& stats = worker_.stats();
  ++stats.errors;
  ++stats.error_kinds[std::move(kind)];
}

void Client::finish() {
  if (finished_) return;
  finished_ = true;
  timer_.cancel();
  worker_.client_finished();
}

}  // namespace

RunStats run(const RunOptions& options, Workload& workload, const ItemSet& items) {
  Shared shared(options, workload);
  const unsigned threads =
      std::clamp(options.threads, 1u, std::max(options.connections, 1u));
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.push_back(std::make_unique<Worker>(shared));
  for (unsigned c = 0; c < options.connections; ++c) {
    auto& worker = *workers[c % threads];
    worker.add(std::make_unique<Client>(worker, c, items));
  }
  shared.start = Clock::now();
  if (options.duration.count() > 0) shared.deadline = shared.start + options.duration;

  std::vector<std::jthread> running;
  for (auto& worker : workers) running.emplace_back([&worker] { worker->run(); });
  running.clear();  // joins

  RunStats total;
  for (auto& worker : workers) total.merge(worker->stats());
  total.unsupported = shared.unsupported;
  return total;
}

}  // namespace jormun::bench
