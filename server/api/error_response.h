// The one place an ApiError becomes DynamoDB's error body.
#pragma once

#include <string>

#include "common/api_error.h"

namespace jormun::api {

// The __type DynamoDB sends for a short error name: the protocol errors
// carry com.amazon.coral.service#, validation com.amazon.coral.validate#,
// the rest com.amazonaws.dynamodb.v20120810#.
std::string wire_type(const std::string& type);

// {"__type":"...","message":"..."}; SerializationException uses "Message",
// as DynamoDB does, and no member when it has no text.
std::string error_body(const ApiError& error);

}  // namespace jormun::api
