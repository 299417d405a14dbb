#include "storage/group_commit.h"

#include <utility>

#include "common/metrics.h"

namespace jormun::storage {

void GroupCommit::write(host::WriteBatch batch, bool sync) {
  Submission mine{std::move(batch), sync};
  static metrics::Histogram& sizes =
      metrics::Registry::global()
          .histogram("jormun_group_commit_writes",
                     "Writes applied by one engine write of a group commit.", {},
                     {metrics::Histogram::kCountBounds.begin(),
                      metrics::Histogram::kCountBounds.end()})
          .with({});
  group_.submit(mine, [this](std::vector<Submission*>& group) {
    sizes.observe(static_cast<double>(group.size()));
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
