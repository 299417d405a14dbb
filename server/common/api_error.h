// The one error type every layer throws for a failure a client can see.
// api/ turns it into DynamoDB's error body in exactly one place
// (api/error_response), so the __type, HTTP status and message are decided
// where the error is raised and nowhere else.
#pragma once

#include <exception>
#include <string>
#include <utility>

namespace jormun {

class ApiError : public std::exception {
 public:
  // `type` is DynamoDB's short error name ("ValidationException"); the wire
  // form gets the com.amazonaws.dynamodb.v20120810# prefix added.
  ApiError(std::string type, std::string message, int http_status = 400)
      : type_(std::move(type)), message_(std::move(message)), status_(http_status) {}

  static ApiError validation(std::string message) {
    return {"ValidationException", std::move(message)};
  }
  static ApiError serialization(std::string message) {
    return {"SerializationException", std::move(message)};
  }
  static ApiError resource_not_found(std::string message) {
    return {"ResourceNotFoundException", std::move(message)};
  }
  static ApiError resource_in_use(std::string message) {
    return {"ResourceInUseException", std::move(message)};
  }
  static ApiError limit_exceeded(std::string message) {
    return {"LimitExceededException", std::move(message)};
  }
  static ApiError conditional_check_failed() {
    return {"ConditionalCheckFailedException", "The conditional request failed"};
  }
  static ApiError internal(std::string message) {
    return {"InternalServerError", std::move(message), 500};
  }

  const std::string& type() const { return type_; }
  const std::string& message() const { return message_; }
  int http_status() const { return status_; }
  const char* what() const noexcept override { return message_.c_str(); }

  // Extra members of the error body, as a JSON fragment without braces
  // (`"Item":{...}` for ReturnValuesOnConditionCheckFailure), or empty.
  const std::string& extra_json() const { return extra_json_; }
  ApiError&& with_extra_json(std::string fragment) && {
    extra_json_ = std::move(fragment);
    return std::move(*this);
  }

 private:
  std::string type_;
  std::string message_;
  int status_;
  std::string extra_json_;
};

}  // namespace jormun
