#include "api/service.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "api/error_response.h"
#include "api/signature_header.h"
#include "api/utf8.h"
#include "common/log.h"

namespace jormun::api {
namespace {

constexpr std::string_view kAmzJson = "application/x-amz-json-1.0";
constexpr std::string_view kJson = "application/json";
constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";

}  // namespace

void Service::handle(const Call& call, Reply& reply) noexcept {
  reply.content_type =
      call.content_type == kJson ? std::string(kJson) : std::string(kAmzJson);
  try {
    dispatch(call, reply);
    return;
  } catch (const ApiError& e) {
    reply.status = e.http_status();
    reply.body = error_body(e);
    if (e.http_status() >= 500) log::error(std::string(call.target) + ": " + e.message());
    return;
  } catch (const std::exception& e) {
    log::error(std::string(call.target) + ": internal error: " + e.what());
  } catch (...) {
    log::error(std::string(call.target) + ": internal error of unknown type");
  }
  reply.status = 500;
  reply.body = error_body(ApiError::internal("Internal server error"));
}

void Service::dispatch(const Call& call, Reply& reply) {
  const bool has_body = call.body && !call.body->empty();
  if (call.method != "POST" ||
      (has_body && call.content_type != kAmzJson && call.content_type != kJson)) {
    // DynamoDB answers a request it cannot route this way, in XML.
    reply.status = 404;
    reply.content_type = "application/x-amz-json-1.0";
    reply.body = "<UnknownOperationException/>\n";
    return;
  }
  rapidjson::Document doc;
  if (has_body) {
    if (!is_valid_utf8(*call.body)) throw ApiError::serialization("");
    doc.ParseInsitu(call.body->data());
    if (doc.HasParseError()) throw ApiError::serialization("");
  }
  std::string_view target = call.target;
  ops::Operation op = nullptr;
  if (target.substr(0, kTargetPrefix.size()) == kTargetPrefix)
    op = ops::find_operation(target.substr(kTargetPrefix.size()));
  if (op == nullptr) throw ApiError("UnknownOperationException", "");
  check_signature_header(call.authorization, call.has_date);
  if (!has_body) throw ApiError::serialization("");

  thread_local rapidjson::StringBuffer buffer;
  buffer.Clear();
  model::JsonWriter writer(buffer);
  op(ctx_, doc, writer);
  reply.status = 200;
  reply.body.assign(buffer.GetString(), buffer.GetSize());
}

}  // namespace jormun::api
