package dev.flotilla.deploy.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Rollouts kept in memory only: for library callers that need no history (and for tests). */
public final class MemoryRolloutStore implements RolloutStore {

    private final Map<String, RolloutRecord> rollouts = new ConcurrentHashMap<>();
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();

    @Override
    public void save(RolloutRecord rollout) {
        rollouts.put(rollout.id(), rollout);
    }

    @Override
    public Optional<RolloutRecord> load(String id) {
        return Optional.ofNullable(rollouts.get(id));
    }

    @Override
    public List<RolloutRecord> list() {
        List<RolloutRecord> out = new ArrayList<>(rollouts.values());
        out.sort(Comparator.comparing(RolloutRecord::created).thenComparing(RolloutRecord::id).reversed());
        return out;
    }

    @Override
    public Claim claim(String id) throws RolloutBusyException {
        if (!claimed.add(id)) {
            throw new RolloutBusyException(id);
        }
        return () -> claimed.remove(id);
    }
}
