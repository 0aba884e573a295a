package dev.flotilla.controller.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class RolloutEventRepository implements PanacheRepository<RolloutEvent> {

    /** Events numbered after {@code seq}, in order, at most {@code limit}. */
    public List<RolloutEvent> after(long rolloutId, long seq, int limit) {
        return find("rolloutId = ?1 and seq > ?2", Sort.by("seq"), rolloutId, seq).page(Page.ofSize(limit)).list();
    }
}
