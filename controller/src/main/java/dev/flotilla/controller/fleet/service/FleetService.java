package dev.flotilla.controller.fleet.service;

import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.controller.fleet.persistence.Fleet;
import dev.flotilla.controller.engine.Engine;
import dev.flotilla.controller.fleet.persistence.FleetContent;
import dev.flotilla.controller.rollout.domain.RolloutState;
import dev.flotilla.controller.fleet.persistence.FleetRepository;
import dev.flotilla.controller.fleet.persistence.FleetRevision;
import dev.flotilla.controller.fleet.persistence.FleetRevisionRepository;
import dev.flotilla.deploy.fleet.FleetConfig;
import dev.flotilla.deploy.fleet.FleetException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fleets (a folder on the controller host, or uploaded content) and their revisions: a revision pins
 * the fleet's content as it is at that moment, stored once per content hash in the database.
 */
@ApplicationScoped
public class FleetService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    public record NewFleet(String name, String path) {}

    public record FleetView(String name, String source, String path, String contentHash, Instant created, String createdBy, Instant updated) {
        static FleetView of(Fleet f) {
            return new FleetView(f.name, f.path != null ? "path" : "upload", f.path, f.contentHash, f.createdAt, f.createdBy, f.updatedAt);
        }
    }

    public record RevisionView(long id, String fleet, String hash, Instant created, String createdBy) {
        static RevisionView of(FleetRevision r, String fleet) {
            return new RevisionView(r.id, fleet, r.hash, r.createdAt, r.createdBy);
        }
    }

    /** A revision unpacked on this replica, ready to evaluate. */
    public record Checkout(RevisionView revision, Path dir) {}

    private final FleetRepository fleets;
    private final FleetRevisionRepository revisions;
    private final EntityManager em;
    private final FleetFolders folders;

    public FleetService(FleetRepository fleets, FleetRevisionRepository revisions, EntityManager em, ControllerConfig config) {
        this.fleets = fleets;
        this.revisions = revisions;
        this.em = em;
        this.folders = new FleetFolders(config.stateDir().toAbsolutePath().resolve("fleets"), config.fleets().maxBytes());
    }

    @Transactional
    public FleetView register(NewFleet request, String actor) {
        NewFleet req = request == null ? new NewFleet(null, null) : request;
        String name = name(req.name());
        if (req.path() == null || req.path().isBlank()) {
            throw ApiException.invalid("path", "path is required: the fleet folder (fleet.nix, inventory.yaml) on the controller host");
        }
        Path dir;
        try {
            dir = Path.of(req.path()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw ApiException.invalid("path", "path is not a valid path: " + e.getMessage());
        }
        check(dir, "path");
        if (fleets.findByName(name).isPresent()) {
            throw ApiException.conflict("exists", "a fleet named '" + name + "' exists already", "name");
        }
        Fleet f = new Fleet();
        f.name = name;
        f.path = dir.toString();
        f.createdAt = f.updatedAt = Instant.now();
        f.createdBy = actor;
        fleets.persist(f);
        return FleetView.of(f);
    }

    /** Registers or updates an uploaded fleet; 409 for a fleet registered by path. Returns whether it was new. */
    @Transactional
    public Uploaded upload(String fleetName, InputStream archive, String actor) {
        String name = name(fleetName);
        Optional<Fleet> existing = fleets.findByName(name);
        if (existing.isPresent() && existing.get().path != null) {
            throw ApiException.conflict("registered_by_path", "fleet '" + name + "' is the folder " + existing.get().path
                    + " on the controller host; it takes no uploads", "name");
        }
        FleetFolders.Pinned pinned;
        try {
            pinned = folders.pinUpload(archive);
        } catch (IOException e) {
            throw ApiException.invalid("archive", "the archive cannot be unpacked: " + e.getMessage());
        }
        Path unpacked = folders.contentDir(pinned.hash());
        try {
            check(unpacked, "archive");
        } catch (ApiException e) {
            // Name the archive's files, not where this replica unpacked them.
            throw ApiException.invalid("archive", e.getMessage().replace(unpacked + "/", "").replace(unpacked.toString(), "the archive"));
        }
        store(pinned);
        Fleet f = existing.orElseGet(Fleet::new);
        if (f.id == null) {
            f.name = name;
            f.createdAt = Instant.now();
            f.createdBy = actor;
        }
        f.contentHash = pinned.hash();
        f.updatedAt = Instant.now();
        fleets.persist(f);
        return new Uploaded(FleetView.of(f), existing.isEmpty());
    }

    public record Uploaded(FleetView fleet, boolean created) {}

    @Transactional
    public Page<FleetView> list(PageRequest page) {
        var q = fleets.byName().page(page.panache());
        return new Page<>(q.list(), page.page(), page.size(), q.count()).map(FleetView::of);
    }

    @Transactional
    public Optional<FleetView> get(String name) {
        return fleets.findByName(name).map(FleetView::of);
    }

    /** Pins the fleet's current content as a new revision. */
    @Transactional
    public RevisionView newRevision(String fleetName, String actor) {
        Fleet f = fleet(fleetName);
        String hash;
        if (f.path != null) {
            Path dir = Path.of(f.path);
            check(dir, "path");
            FleetFolders.Pinned pinned;
            try {
                pinned = folders.pin(dir);
            } catch (FleetFolders.RefusedException e) {
                throw ApiException.invalid("path", e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("copying " + dir + ": " + e.getMessage(), e);
            }
            store(pinned);
            hash = pinned.hash();
        } else {
            hash = f.contentHash;
        }
        FleetRevision r = new FleetRevision();
        r.fleetId = f.id;
        r.hash = hash;
        r.createdAt = Instant.now();
        r.createdBy = actor;
        revisions.persist(r);
        return RevisionView.of(r, f.name);
    }

    @Transactional
    public Page<RevisionView> revisions(String fleetName, PageRequest page) {
        Fleet f = fleet(fleetName);
        var q = revisions.ofFleet(f.id).page(page.panache());
        return new Page<>(q.list(), page.page(), page.size(), q.count()).map(r -> RevisionView.of(r, f.name));
    }

    @Transactional
    public RevisionView revision(String fleetName, long id) {
        Fleet f = fleet(fleetName);
        return revisions.ofFleet(f.id, id).map(r -> RevisionView.of(r, f.name))
                .orElseThrow(() -> ApiException.notFound("revision " + id + " of fleet '" + fleetName + "'"));
    }

    /** The revision's folder on this replica (unpacked from the database the first time). */
    @Transactional
    public Checkout checkout(String fleetName, long id) {
        RevisionView r = revision(fleetName, id);
        return new Checkout(r, unpacked(r.hash()));
    }

    /** The folder of content {@code hash} on this replica, unpacked from the database if needed (any replica can run any rollout). */
    @Transactional
    public Path unpacked(String hash) {
        Path dir = folders.contentDir(hash);
        if (java.nio.file.Files.isDirectory(dir)) {
            return dir;
        }
        FleetContent c = em.find(FleetContent.class, hash);
        if (c == null) {
            throw new IllegalStateException("no fleet content " + hash + " in the database");
        }
        try {
            return folders.unpacked(hash, c.archive);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Deletes a revision and its builds, and its content when no other revision and no upload pins it. Refused
     * (409) while one of its builds runs or an unfinished rollout deploys its content: a replica taking over
     * that rollout would need the content. Finished rollouts keep their history; their hosts keep their
     * generations.
     */
    @Transactional
    public void deleteRevision(String fleetName, long id) {
        Fleet f = fleet(fleetName);
        FleetRevision r = revisions.ofFleet(f.id, id)
                .orElseThrow(() -> ApiException.notFound("revision " + id + " of fleet '" + fleetName + "'"));
        long building = ((Number) em.createNativeQuery("select count(*) from fleet_build where revision_id = ?1 and state = 'RUNNING'")
                .setParameter(1, id).getSingleResult()).longValue();
        if (building > 0) {
            throw ApiException.conflict("busy", "revision " + id + " has a build running; delete it when the build ends", null);
        }
        List<String> unfinished = Arrays.stream(RolloutState.values()).filter(s -> !s.terminal()).map(Enum::name).toList();
        List<?> rollouts = em.createNativeQuery("select id from rollout where config_path = ?1 and state in (?2) order by id")
                .setParameter(1, Engine.revisionSource(r.hash)).setParameter(2, unfinished).getResultList();
        if (!rollouts.isEmpty()) {
            throw ApiException.conflict("busy", "revision " + id + " is being deployed by rollout " + rollouts.get(0)
                    + "; delete it when that rollout has ended", null);
        }
        revisions.delete(r);
        em.flush();
        em.createNativeQuery("delete from fleet_content c where c.hash = ?1"
                        + " and not exists (select 1 from fleet_revision v where v.hash = c.hash)"
                        + " and not exists (select 1 from fleet where content_hash = c.hash)")
                .setParameter(1, r.hash).executeUpdate();
    }

    private Fleet fleet(String name) {
        return fleets.findByName(name).orElseThrow(() -> ApiException.notFound("fleet '" + name + "'"));
    }

    /** Content is immutable and named by its hash: a second copy of the same content is not stored. */
    private void store(FleetFolders.Pinned pinned) {
        em.createNativeQuery("insert into fleet_content (hash, archive, size, created_at) values (?1, ?2, ?3, now()) on conflict (hash) do nothing")
                .setParameter(1, pinned.hash()).setParameter(2, pinned.archive()).setParameter(3, (long) pinned.archive().length)
                .executeUpdate();
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.invalid("name", "name is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid("name", "name must be letters, digits, '.', '_' or '-' (at most 100, not starting with a sign), got '" + name + "'");
        }
        return name;
    }

    /** A fleet folder loads: fleet.nix is there and inventory.yaml parses (errors name the file, line and column). */
    private static void check(Path dir, String field) {
        try (FleetConfig ignored = FleetConfig.load(dir)) {
            // Loading reads the inventory; evaluation waits for a build.
        } catch (FleetException e) {
            throw ApiException.invalid(field, e.getMessage());
        }
    }
}
