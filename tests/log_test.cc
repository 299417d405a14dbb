#include "common/log.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace jormun::log {
namespace {

// The line `write` logs, without its timestamp.
std::string logged(const std::function<void()>& write) {
  testing::internal::CaptureStderr();
  write();
  return testing::internal::GetCapturedStderr();
}

class Log : public testing::Test {
 protected:
  ~Log() override { configure(Format::kText, Level::kInfo); }
};

TEST_F(Log, TextLinesCarryFieldsAsPairs) {
  const std::string line = logged([] {
    info_fields("request", {{"operation", "GetItem"}, {"status", "200", true}});
  });
  EXPECT_NE(line.find("Z INFO request operation=GetItem status=200\n"), std::string::npos);
}

TEST_F(Log, JsonLinesEscapeAndTypeTheirFields) {
  configure(Format::kJson, Level::kInfo);
  const std::string line = logged([] {
    info_fields("say \"hi\"\n\x01", {{"table", "t\\1"}, {"status", "400", true}});
  });
  EXPECT_EQ(line.rfind("{\"time\":\"", 0), 0u);
  EXPECT_NE(line.find("\",\"level\":\"INFO\",\"message\":\"say \\\"hi\\\"\\n\\u0001\","
                      "\"table\":\"t\\\\1\",\"status\":400}\n"),
            std::string::npos);
}

TEST_F(Log, ErrorLevelKeepsErrorsAndNotices) {
  configure(Format::kText, Level::kError);
  EXPECT_EQ(logged([] { info("chatter"); }), "");
  EXPECT_NE(logged([] { error("broken"); }).find(" ERROR broken\n"), std::string::npos);
  EXPECT_NE(logged([] { notice("listening"); }).find(" INFO listening\n"),
            std::string::npos);
}

}  // namespace
}  // namespace jormun::log
