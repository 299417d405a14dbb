#include "api/error_response.h"

#include <string_view>

#include "common/json_writer.h"

namespace jormun::api {

std::string wire_type(const std::string& type) {
  static constexpr std::string_view kService[] = {"SerializationException",
                                                  "UnknownOperationException",
                                                  "MissingAuthenticationTokenException",
                                                  "IncompleteSignatureException",
                                                  "InvalidSignatureException",
                                                  "UnrecognizedClientException",
                                                  "AccessDeniedException"};
  for (auto s : kService)
    if (type == s) return "com.amazon.coral.service#" + type;
  if (type == "ValidationException") return "com.amazon.coral.validate#" + type;
  // As http's canned ThrottlingException (see http/canned_responses.h).
  if (type == "ThrottlingException") return "com.amazon.coral.availability#" + type;
  return "com.amazonaws.dynamodb.v20120810#" + type;
}

std::string error_body(const ApiError& error) {
  rapidjson::StringBuffer buf;
  JsonWriter w(buf);
  w.StartObject();
  w.Key("__type");
  w.String(wire_type(error.type()));
  if (!error.message().empty()) {
    // DynamoDB's own spelling, per type (docs/transactions.md has the source
    // for TransactionCanceledException's).
    const bool capital = error.type() == "SerializationException" ||
                         error.type() == "TransactionCanceledException";
    w.Key(capital ? "Message" : "message");
    w.String(error.message());
  }
  w.EndObject();
  std::string body(buf.GetString(), buf.GetSize());
  if (!error.extra_json().empty()) {
    body.pop_back();  // the closing brace
    body += ',' + error.extra_json() + '}';
  }
  return body;
}

}  // namespace jormun::api
