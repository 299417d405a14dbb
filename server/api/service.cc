#include "api/service.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include "api/error_response.h"
#include "api/access_log.h"
#include "api/permissions.h"
#include "api/request_metrics.h"
#include "api/signature_header.h"
#include "api/utf8.h"
#include "api/write_forwarding.h"
#include "common/guarded.h"
#include "common/log.h"
#include "config/exposure.h"
#include "ops/durability.h"
#include "ops/replica_rules.h"
#include "storage/table.h"

namespace jormun::api {
namespace {

constexpr std::string_view kAmzJson = "application/x-amz-json-1.0";
constexpr std::string_view kJson = "application/json";
// How many times a request runs while its table keeps moving (Service::run).
constexpr int kMovedAttempts = 4;

// DynamoDB's "slow down and retry", for a key over its rate and a busy
// engine alike.
ApiError throttling() {
  return ApiError("ThrottlingException", "Rate of requests exceeds the allowed throughput.");
}

// The arena of a request's parsed JSON: values and the parser's stack come
// from per-thread buffers that are emptied after each request, so parsing a
// request of ordinary size costs no heap allocation (larger ones take chunks
// from the heap, freed by clear()).
struct JsonArena {
  static constexpr size_t kBytes = 16 * 1024;
  static constexpr size_t kStackCapacity = 1024;  // the parser's first stack
  alignas(16) char value_bytes[kBytes];
  alignas(16) char stack_bytes[kBytes];
  rapidjson::MemoryPoolAllocator<> values{value_bytes, kBytes};
  rapidjson::MemoryPoolAllocator<> stack{stack_bytes, kBytes};
  void clear() {
    values.Clear();
    stack.Clear();
  }
};

// A request document allocating from a JsonArena (its values have the same
// type as rapidjson::Document's, which is what operations take).
using ArenaDocument =
    rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                               rapidjson::MemoryPoolAllocator<>>;

// Records an answered request in the metrics and the access log.
void finish(const RequestFacts& facts, int status, std::string_view error) noexcept {
  record_request(facts, status, error);
  log_access(facts, status, error);
}

JsonArena& thread_arena() {
  thread_local JsonArena arena;
  return arena;
}

}  // namespace

Service::Service(ops::Context ctx, unsigned commit_threads)
    : ctx_(ctx),
      check_host_(config::is_loopback(ctx.config.host)),
      rates_(ctx.config.auth),
      commits_(commit_threads) {
  if (ctx.config.auth.mode == config::AuthMode::kSigV4)
    verifier_.emplace(ctx.config.auth, ctx.config.region);
}

Service::~Service() { commits_.join(); }

void Service::handle(const Call& call, Reply& reply) noexcept {
  reply.content_type = call.content_type == kJson ? kJson : kAmzJson;
  RequestFacts facts;
  // Copied only for the access log: it costs an allocation per request.
  if (access_log_enabled()) facts.request_id = call.request_id;
  bool deferred = false;
  const std::string error =
      answer(call.target, reply, [&] { deferred = dispatch(call, reply, facts); });
  // A deferred request is recorded by the commit thread that answers it.
  if (!deferred) finish(facts, reply.status, error);
}

std::string Service::answer(std::string_view target, Reply& reply,
                            const std::function<void()>& work) noexcept {
  try {
    work();
    return {};
  } catch (const ApiError& e) {
    reply.status = e.http_status();
    reply.body = error_body(e);
    if (e.http_status() >= 500) log::error(std::string(target) + ": " + e.message());
    try {
      return e.type();
    } catch (...) {
      return {};  // out of memory: the metric loses the type, the answer stands
    }
  } catch (const host::EngineError& e) {
    // A database engine overloaded for the moment (PostgreSQL: a lock or
    // statement timeout, too many connections, serialization failures
    // retried out) asks the client to slow down and come back, which is
    // what DynamoDB's throttling error tells it, and SDKs retry it.
    if (e.status() == JORMUN_BUSY) {
      log::error(std::string(target) + ": the engine is busy: " + e.what());
      reply.status = 400;
      reply.body = error_body(throttling());
      return "ThrottlingException";
    }
    log::error(std::string(target) + ": internal error: " + e.what());
  } catch (const std::exception& e) {
    log::error(std::string(target) + ": internal error: " + e.what());
  } catch (...) {
    log::error(std::string(target) + ": internal error of unknown type");
  }
  reply.status = 500;
  reply.body = error_body(ApiError::internal("Internal server error"));
  return {};
}

bool Service::dispatch(const Call& call, Reply& reply, RequestFacts& facts) {
  if (check_host_) check_host(call.host);
  const bool has_body = call.body && !call.body->empty();
  if (call.method != "POST" ||
      (has_body && call.content_type != kAmzJson && call.content_type != kJson)) {
    // DynamoDB answers a request it cannot route this way, in XML.
    reply.status = 404;
    reply.content_type = kAmzJson;
    reply.body = "<UnknownOperationException/>\n";
    return false;
  }
  JsonArena& arena = thread_arena();
  ArenaDocument doc(&arena.values, JsonArena::kStackCapacity, &arena.stack);
  // Whatever the request took from the arena is returned when it is done.
  struct Reset {
    JsonArena& arena;
    ~Reset() { arena.clear(); }
  } reset{arena};
  // Hashed before parsing, which rewrites the body in place.
  std::string payload_hash;
  if (verifier_)
    payload_hash = auth::payload_hash(call.encoded_body.empty() && call.body
                                          ? std::string_view(*call.body)
                                          : call.encoded_body);
  // A replica passing writes on sends the body as it came; parsing rewrites it.
  std::string received;
  if (forwards_writes()) received = call.encoded_body.empty() && call.body
                                        ? *call.body
                                        : std::string(call.encoded_body);
  if (has_body) {
    if (!is_valid_utf8(*call.body)) throw ApiError::serialization("");
    // Iterative: the recursive parser's depth is the client's to choose.
    doc.ParseInsitu<rapidjson::kParseIterativeFlag>(call.body->data());
    if (doc.HasParseError()) throw ApiError::serialization("");
  }
  const ops::OperationSpec* op = ops::find_operation(call.target);
  if (op == nullptr) throw ApiError("UnknownOperationException", "");
  facts.operation = op->name;
  if (auto name = doc.IsObject() ? doc.FindMember("TableName") : doc.MemberEnd();
      doc.IsObject() && name != doc.MemberEnd() && name->value.IsString())
    facts.table.assign(name->value.GetString(), name->value.GetStringLength());
  const config::AccessKey* key = check_signature(call, payload_hash);
  // Whatever it asks: a key over its rate costs no more than this check.
  if (key && !rates_.admit(*key, KeyRates::Clock::now()))
    throw throttling();
  if (!has_body) throw ApiError::serialization("");
  if (key) check_permission(*key, op->name, doc, ctx_.config.region);
  if (ctx_.follower && ctx_.follower->following() && ops::replica_refuses(*op, doc)) {
    if (!forwards_writes())
      throw ApiError::validation(ops::replica_refusal(ctx_.follower->primary_url()));
    auto request = std::make_shared<ForwardedRequest>(
        forwarded_request(call, std::move(received)));
    auto forward = [this, request](Reply& answer) {
      forward_to_primary(ctx_.follower->primary_url(), ctx_.config.replication.ca_file,
                         *request, answer);
    };
    // The round trip waits on the primary: not on the connection's I/O
    // thread, which serves the follower's reads meanwhile.
    if (call.defer) {
      answer_on_commit_thread(call, facts, forward);
      return true;
    }
    forward(reply);
    return false;
  }

  if (call.defer && ops::waits_for_disk(ctx_, *op, doc) &&
      run_on_commit_thread(call, doc, op->run, facts))
    return true;
  run(op->run, doc, reply);
  return false;
}

bool Service::forwards_writes() const {
  return ctx_.follower && ctx_.config.replication.forward_writes && ctx_.follower->following();
}

void Service::check_host(std::string_view host) const {
  if (config::names_this_server(host, ctx_.config)) return;
  throw ApiError("AccessDeniedException",
                 "Host header '" + std::string(host) +
                     "' does not name this server, which listens on loopback: use "
                     "localhost or a loopback address");
}

const config::AccessKey* Service::check_signature(const Call& call,
                                                  std::string_view payload_hash) const {
  check_signature_header(call.authorization, call.has_date, call.request_target);
  if (!verifier_) return nullptr;
  // Reused by the thread's requests: no allocation once it has grown.
  thread_local std::vector<auth::HttpHeader> headers;
  headers.clear();
  if (call.for_each_header)
    call.for_each_header([](std::string_view name, std::string_view value) {
      headers.push_back({name, value});
    });
  return &verifier_->verify({.method = call.method,
                             .target = call.request_target,
                             .headers = headers,
                             .authorization = call.authorization,
                             .payload_hash = payload_hash},
                            std::chrono::system_clock::now());
}

void Service::run(ops::Operation op, const rapidjson::Value& request, Reply& reply) {
  // Reused by the thread's requests, so the buffer and the writer's stack
  // keep their capacity.
  thread_local rapidjson::StringBuffer buffer;
  thread_local model::JsonWriter writer(buffer);
  // A table migrated to another engine after the request found it wrote
  // nothing (storage::TableMoved): the request runs again and finds the new
  // one. A few times at most, as each migration of the table moves it once
  // (and each catalog refresh below applies a newer version).
  for (int attempt = 1;; ++attempt) {
    buffer.Clear();
    writer.Reset(buffer);
    try {
      op(ctx_, request, writer);
      break;
    } catch (const storage::TableMoved&) {
      if (attempt == kMovedAttempts) throw;
    } catch (const host::EngineError& e) {
      // In a cluster, another front end may have changed a table since this
      // one last polled (deleted an index: its keyspace is gone), and a
      // request on the old schema fails in the engine having written
      // nothing (a commit is one atomic batch; BatchWriteItem run again
      // writes again what it wrote). Run again once the newer catalog is
      // applied, as a client would see it after the poll.
      if (attempt == kMovedAttempts || e.status() == JORMUN_BUSY || !ctx_.catalog.refresh())
        throw;
    }
  }
  reply.status = 200;
  reply.body.assign(buffer.GetString(), buffer.GetSize());
}

namespace {

// A request carried over to a commit thread. The parsed document's strings
// point into the body's text (in-situ parsing, and a copied document still
// refers to them), so the text moves along.
struct DeferredCall {
  std::string body;
  rapidjson::Document request;
  ops::Operation op;
};

// Past any request DynamoDB accepts: a 32-level attribute value is 66 JSON
// levels, inside a transaction's few more.
constexpr int kMaxCopiedDepth = 96;

// True when `v` holds JSON nested more than `levels` deep. Its recursion
// stops at `levels`, where rapidjson's copy would follow the client's depth.
bool deeper_than(const rapidjson::Value& v, int levels) {
  if (levels < 0) return true;
  if (v.IsObject()) {
    for (const auto& m : v.GetObject())
      if (deeper_than(m.value, levels - 1)) return true;
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray())
      if (deeper_than(e, levels - 1)) return true;
  }
  return false;
}

}  // namespace

bool Service::run_on_commit_thread(const Call& call, const rapidjson::Value& doc,
                                   ops::Operation op, const RequestFacts& facts) {
  // Too deep to copy safely: answered here, where the operation refuses it.
  if (deeper_than(doc, kMaxCopiedDepth)) return false;
  auto job = std::make_unique<DeferredCall>();
  const char* text = call.body->data();
  job->body = std::move(*call.body);
  // A moved std::string keeps its buffer unless the text was short enough to
  // live inside the object, when the document's strings would dangle.
  if (job->body.data() != text) {
    *call.body = std::move(job->body);
    return false;
  }
  job->request.CopyFrom(doc, job->request.GetAllocator());
  job->op = op;
  answer_on_commit_thread(call, facts, [this, job = std::shared_ptr<DeferredCall>(
                                              std::move(job))](Reply& reply) {
    run(job->op, job->request, reply);
  });
  return true;
}

void Service::answer_on_commit_thread(const Call& call, const RequestFacts& facts,
                                      std::function<void(Reply&)> work) {
  const std::string_view content_type = call.content_type == kJson ? kJson : kAmzJson;
  boost::asio::post(commits_, [this, target = std::string(call.target), content_type,
                               facts, done = call.defer(), work = std::move(work)] {
    guarded("commit thread job " + target, [&] {
      Reply reply;
      reply.content_type = content_type;
      const std::string error = answer(target, reply, [&] { work(reply); });
      finish(facts, reply.status, error);
      done(std::move(reply));
    });
  });
}

}  // namespace jormun::api
