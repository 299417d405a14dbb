#include "admin/interrupt.h"

#include <csignal>

namespace jormun::admin {
namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void on_signal(int sig) {
  g_stop = 1;
  // The next one gets the default action: a user who presses Ctrl-C twice
  // does not want to wait for the current request.
  std::signal(sig, SIG_DFL);
}

}  // namespace

void catch_interrupts() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupted() { return g_stop != 0; }

}  // namespace jormun::admin
