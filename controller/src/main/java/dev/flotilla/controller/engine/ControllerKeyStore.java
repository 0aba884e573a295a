package dev.flotilla.controller.engine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/**
 * The controller's private keys kept in the database, so that every replica signs and connects with
 * the same ones without a shared file system. The first replica to need a key generates it; a replica
 * that races it loses the insert and reads the winner's.
 */
@ApplicationScoped
public class ControllerKeyStore {

    private final EntityManager em;

    public ControllerKeyStore(EntityManager em) {
        this.em = em;
    }

    /** The key stored under {@code name}, stored first from {@code generate} if there is none. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String getOrCreate(String name, String createdBy, Supplier<String> generate) {
        em.createNativeQuery("""
                insert into controller_key (name, material, created_at, created_by) values (:name, :material, now(), :by)
                on conflict (name) do nothing""")
                .setParameter("name", name).setParameter("material", generate.get()).setParameter("by", createdBy)
                .executeUpdate();
        return (String) em.createNativeQuery("select material from controller_key where name = :name")
                .setParameter("name", name).getSingleResult();
    }
}
