#include "storage/group_commit.h"

#include <utility>

namespace jormun::storage {

void GroupCommit::write(host::WriteBatch batch) {
  group_.submit(batch, [this](std::vector<host::WriteBatch*>& group) {
    if (group.size() == 1) return engine_.write(*group.front(), true);
    host::WriteBatch combined;
    for (host::WriteBatch* b : group) combined.append(std::move(*b));
    engine_.write(combined, true);
  });
}

}  // namespace jormun::storage
