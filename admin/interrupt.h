// Ctrl-C (SIGINT) and SIGTERM ask a long command to stop at its next safe
// point: a page of a scan, a batch of writes. A second signal ends the
// process at once.
#pragma once

namespace jormun::admin {

// Installs the handlers. Call once, before starting work.
void catch_interrupts();
// Whether a stop was asked for.
bool interrupted();

// Exit status of a command that stopped on a signal, as shells report one.
constexpr int kInterruptedStatus = 130;

}  // namespace jormun::admin
