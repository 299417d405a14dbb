// The DynamoDB JSON protocol over any transport: checks a request in the
// order DynamoDB does (method and content type, JSON, target, signature
// header, then the operation's own validation), runs the operation and
// renders the answer or the error. Knows nothing of sockets.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/key_rates.h"
#include "api/request_metrics.h"
#include "auth/verifier.h"
#include "ops/context.h"

namespace jormun::api {

struct Reply {
  int status = 200;
  std::string_view content_type;  // a literal
  std::string body;
};

// One request as the transport hands it over.
struct Call {
  std::string_view method;
  std::string_view request_target;  // path and query, as received
  std::string_view content_type;
  std::string_view target;         // X-Amz-Target
  std::string_view authorization;  // Authorization
  std::string_view host;           // Host
  std::string_view request_id;     // the answer's x-amzn-RequestId
  bool has_date = false;           // X-Amz-Date or Date present
  std::string* body = nullptr;     // parsed in place, so it is modified
  // The body as sent when *body was decoded from it (gzip), else empty.
  std::string_view encoded_body;
  // Calls its argument with each header's name and value, in the order
  // received; what a signature covers is read through it.
  std::function<void(const std::function<void(std::string_view, std::string_view)>&)>
      for_each_header;
  // Set by a transport that can answer from another thread: called at most
  // once, during handle(), it returns where the answer goes instead of the
  // Reply handle() was given. Without it everything runs inline.
  std::function<std::function<void(Reply&&)>()> defer;
};

class Service {
 public:
  // Writes that wait for the disk (ops::waits_for_disk) run on
  // `commit_threads` threads of their own.
  // With ctx.config.auth.mode sigv4, every request's signature is verified;
  // while listening on loopback, the Host header must name this server.
  Service(ops::Context ctx, unsigned commit_threads);
  // Waits for the writes still running on the commit threads.
  ~Service();

  // Never throws: client errors become 4xx bodies, anything else a logged
  // 500. Thread-safe.
  void handle(const Call& call, Reply& reply) noexcept;

 private:
  // Routes and runs `call`, filling `facts` as it learns them; true when a
  // commit thread answers it later.
  bool dispatch(const Call& call, Reply& reply, RequestFacts& facts);
  // A read replica that sends what it cannot serve on to its primary
  // (replication.forward_writes), while it follows one.
  bool forwards_writes() const;
  // Throws AccessDeniedException unless `host` (the Host header) names this
  // server (config::names_this_server): localhost, a loopback address,
  // server.host or a name in server.allowed_hosts, with any port. An absent
  // Host header passes.
  void check_host(std::string_view host) const;
  // The signature checks of the front door; `payload_hash` is that of the
  // body as sent (empty when not verifying). The key that signed, or null
  // when signatures are not verified.
  const config::AccessKey* check_signature(const Call& call,
                                           std::string_view payload_hash) const;
  // Runs `work`, which fills `reply`, turning what it throws into the error
  // answer; returns the error's __type ("" when `work` succeeded or failed
  // with an internal fault).
  static std::string answer(std::string_view target, Reply& reply,
                            const std::function<void()>& work) noexcept;
  // Hands a parsed request to a commit thread, which answers through
  // call.defer; false when it cannot (see there) and the caller runs it.
  bool run_on_commit_thread(const Call& call, const rapidjson::Value& doc,
                            ops::Operation op, const RequestFacts& facts);
  // Runs `work` on a commit thread, which answers through call.defer what
  // it put in the Reply (or the error it threw) and records the request.
  void answer_on_commit_thread(const Call& call, const RequestFacts& facts,
                               std::function<void(Reply&)> work);
  void run(ops::Operation op, const rapidjson::Value& request, Reply& reply);

  ops::Context ctx_;
  // Set when signatures are verified (auth.mode sigv4).
  std::optional<auth::Verifier> verifier_;
  // Listening on loopback: a web page in a browser on this machine could
  // otherwise reach the server through a name of its own rebound to
  // 127.0.0.1 (DNS rebinding).
  const bool check_host_;
  // auth.keys[].max_requests_per_second, for verified keys.
  KeyRates rates_;
  // Durable writes, and every write to an engine that commits one writer at
  // a time, block on a disk flush; here they wait without holding up a
  // connection's I/O thread, and up to commit_threads of them share one
  // commit (storage::GroupCommit). A read replica's forwarded writes wait
  // for the primary here too.
  boost::asio::thread_pool commits_;
};

}  // namespace jormun::api
