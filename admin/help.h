// jormun-admin's manual, printed by --help.
#pragma once

namespace jormun::admin {

extern const char* const kHelp;

}  // namespace jormun::admin
