// What a connection sends next and whether the answer was right.
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "items.h"
#include "requests.h"

namespace jormun::bench {

// One kind of logical operation; latency is reported per kind, because a
// mix's reads and writes cost different amounts. Kinds index arrays of
// histograms: kOpKinds and the names in name_of() follow this list.
enum class OpKind : uint8_t {
  ping,
  put,
  read,
  add,
  update,
  query,
  short_scan,
  scan_page,
  batch_get,
  batch_write,
  insert,
  read_modify_write,
  load,
  transact_write,
  transact_get,
  read_key,    // GetItem of one item of a ranged table, by its full key
  select_key,  // the same read as a PartiQL SELECT (ExecuteStatement)
};
inline constexpr size_t kOpKinds = 17;
std::string_view name_of(OpKind kind);

// A connection's state for its workload. Each connection has its own random
// engine, seeded from the run's seed and the connection's number.
struct Session {
  Session(const ItemSet& items, uint64_t seed) : rng(seed), request(items) {}

  std::mt19937_64 rng;
  RequestBuilder request;       // the call to send
  Operation op{};               // its operation
  OpKind kind{};                // the logical operation it belongs to
  uint64_t index = 0;           // the item (or partition) it is about
  unsigned step = 0;            // position in a multi-call operation
  std::vector<uint64_t> batch;  // the items of a batch
  std::string cursor;           // a Scan's LastEvaluatedKey as JSON text
  std::string scratch;          // reused for generated attribute values
  std::string problem;          // why the last answer was judged wrong
};

enum class Verdict {
  done,   // the operation is complete and its answers were right
  again,  // the operation goes on: the session holds its next call
  wrong,  // a wrong answer: session.problem says what was wrong
};

// A workload is shared by all connections and threads of a run: any state it
// keeps beyond the session is atomic or locked.
class Workload {
 public:
  virtual ~Workload() = default;

  // Starts the next operation: fills session.request, .op and .kind. False
  // when the workload is finished (a preload that loaded everything).
  virtual bool begin(Session& session) = 0;
  // Judges an HTTP 200 answer to the session's call.
  virtual Verdict judge(Session& session, const rapidjson::Document& answer) = 0;
  // The server answered UnknownOperationException. True if the session now
  // holds an equivalent call made of operations the server may support;
  // false makes the run stop and report the workload as unsupported.
  virtual bool fall_back(Session&) { return false; }
};

}  // namespace jormun::bench
