#include "storage/group_commit.h"

#include <utility>

namespace jormun::storage {

void GroupCommit::write(host::WriteBatch batch, bool sync) {
  Submission mine{std::move(batch), sync};
  group_.submit(mine, [this](std::vector<Submission*>& group) {
    if (group.size() == 1) return engine_.write(group.front()->batch, group.front()->sync);
    host::WriteBatch combined;
    bool synced = false;
    for (Submission* s : group) {
      combined.append(std::move(s->batch));
      synced = synced || s->sync;
    }
    engine_.write(combined, synced);
  });
}

}  // namespace jormun::storage
