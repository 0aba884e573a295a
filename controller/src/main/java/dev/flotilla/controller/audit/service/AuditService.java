package dev.flotilla.controller.audit.service;

import dev.flotilla.controller.audit.persistence.AuditRecord;
import dev.flotilla.controller.audit.persistence.AuditRepository;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.BlockingOperationControl;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Writes and reads audit records. */
@ApplicationScoped
public class AuditService {

    private static final Logger LOG = Logger.getLogger(AuditService.class);

    /** What one call did, as recorded. */
    public record Entry(String actor, String action, String method, String path, int status, String detail) {

        public String outcome() {
            if (status == 401) {
                return "unauthenticated";
            }
            if (status == 403) {
                return "denied";
            }
            return status < 400 ? "success" : "failure";
        }
    }

    public record AuditView(long id, Instant at, String actor, String action, String method, String path, int status, String outcome, String detail) {
        static AuditView of(AuditRecord r) {
            return new AuditView(r.id, r.at, r.actor, r.action, r.method, r.path, r.status, r.outcome, r.detail);
        }
    }

    private final AuditRepository records;

    public AuditService(AuditRepository records) {
        this.records = records;
    }

    /** Records {@code entry}: at once on a worker thread, handed to one from the I/O thread. */
    public void record(Entry entry) {
        Instant at = Instant.now();
        if (BlockingOperationControl.isBlockingAllowed()) {
            write(entry, at);
        } else {
            Infrastructure.getDefaultWorkerPool().execute(() -> write(entry, at));
        }
    }

    private void write(Entry entry, Instant at) {
        try {
            QuarkusTransaction.requiringNew().run(() -> insert(entry, at));
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not write the audit record of %s %s by %s", entry.method(), entry.path(), entry.actor());
        }
    }

    private void insert(Entry entry, Instant at) {
        AuditRecord r = new AuditRecord();
        r.at = at;
        r.actor = truncate(entry.actor(), 100);
        r.action = truncate(entry.action(), 100);
        r.method = entry.method();
        r.path = truncate(entry.path(), 500);
        r.status = entry.status();
        r.outcome = entry.outcome();
        r.detail = entry.detail();
        records.persist(r);
    }

    @Transactional
    public Page<AuditView> search(String actor, String action, String outcome, PageRequest page) {
        var q = records.search(actor, action, outcome).page(page.panache());
        return new Page<>(q.list(), page.page(), page.size(), q.count()).map(AuditView::of);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
