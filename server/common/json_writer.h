// The JSON writers of the server: every answer, error body and catalog file.
//
// Debian's RapidJSON 1.1.0 specialises Writer<StringBuffer> to copy runs of
// plain characters 16 bytes at a time (when RAPIDJSON_SSE2 or SSE42 is on,
// as rapidjson_config.h turns it on for the reader). Its test for "below
// 0x20" is max(c, 0x19) == 0x19, so 0x1A-0x1F inside such a block are copied
// unescaped, and the answer is not valid JSON (found by the item_codec fuzz
// target). Writers of another type take RapidJSON's generic loop, which
// escapes every control character: the stack allocator below differs from
// CrtAllocator in name only, to make that other type.
#pragma once

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace jormun {

struct JsonWriterStack : rapidjson::CrtAllocator {};

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>,
                                     rapidjson::UTF8<>, JsonWriterStack>;
using PrettyJsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer, rapidjson::UTF8<>,
                                                 rapidjson::UTF8<>, JsonWriterStack>;

}  // namespace jormun
