package dev.flotilla.controller.fleet.service;

import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.controller.engine.Engine;
import dev.flotilla.controller.fleet.persistence.BuildHost;
import dev.flotilla.controller.fleet.persistence.BuildRun;
import dev.flotilla.controller.fleet.persistence.BuildRunRepository;
import dev.flotilla.controller.host.service.HostSelector;
import dev.flotilla.controller.rollout.service.Replica;
import dev.flotilla.deploy.fleet.FleetBuild;
import dev.flotilla.deploy.fleet.FleetConfig;
import dev.flotilla.deploy.fleet.FleetException;
import dev.flotilla.inventory.Host;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Builds of a fleet revision: evaluates and builds the selected hosts' systems into this replica's
 * store, in the background; each host's outcome is recorded as it finishes, the log when all are done.
 */
@ApplicationScoped
public class BuildService {

    private static final Logger LOG = Logger.getLogger(BuildService.class);

    public record NewBuild(String selector) {}

    public record HostBuildView(String host, BuildHost.State state, String toplevel, String error, String errorKind, Long tookMs) {
        static HostBuildView of(BuildHost h) {
            return new HostBuildView(h.hostName, h.state, h.toplevel, h.error, h.errorKind, h.tookMs);
        }
    }

    public record BuildView(long id, String fleet, long revision, String selector, BuildRun.State state, Instant created, String createdBy,
                            Instant finished, String error, List<HostBuildView> hosts) {}

    /** A build in a list: its hosts counted, not listed. */
    public record BuildSummary(long id, String fleet, long revision, String selector, BuildRun.State state, Instant created, String createdBy,
                               Instant finished, String error, long hosts, long failedHosts) {}

    private final FleetService fleets;
    private final BuildRunRepository builds;
    private final Engine engine;
    private final Replica replica;
    private final ControllerConfig config;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    public BuildService(FleetService fleets, BuildRunRepository builds, Engine engine, Replica replica, ControllerConfig config) {
        this.fleets = fleets;
        this.builds = builds;
        this.engine = engine;
        this.replica = replica;
        this.config = config;
    }

    /** A replica that stopped mid-build left it running for nobody: such builds are failed, saying why. */
    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> builds.runningOn(replica.id()).forEach(b -> {
            b.state = BuildRun.State.FAILED;
            b.error = "the controller replica " + replica.id() + " stopped during the build; start it again";
            b.finishedAt = Instant.now();
        }));
    }

    void onStop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
    }

    /** Checks the selector against the revision's inventory, records the build and starts it. */
    public BuildView start(String fleet, long revisionId, NewBuild request, String actor) {
        String selector = request == null ? null : request.selector();
        FleetService.Checkout checkout = fleets.checkout(fleet, revisionId);
        List<Host> hosts;
        try (FleetConfig f = FleetConfig.load(checkout.dir())) {
            hosts = selector == null ? f.inventory().hosts() : HostSelector.parse(selector, "selector").select(f.inventory().hosts(), "selector");
        } catch (FleetException e) {
            throw ApiException.invalid("revision", e.getMessage());
        }
        long id = QuarkusTransaction.requiringNew().call(() -> {
            BuildRun b = new BuildRun();
            b.revisionId = revisionId;
            b.selector = selector;
            b.state = BuildRun.State.RUNNING;
            b.owner = replica.id();
            b.createdAt = Instant.now();
            b.createdBy = actor;
            builds.persist(b);
            for (Host h : hosts) {
                BuildHost bh = new BuildHost();
                bh.buildId = b.id;
                bh.hostName = h.name();
                bh.state = BuildHost.State.BUILDING;
                builds.getEntityManager().persist(bh);
            }
            return b.id;
        });
        pool.submit(() -> run(id, checkout, hosts));
        return get(fleet, revisionId, id);
    }

    public BuildView get(String fleet, long revisionId, long id) {
        fleets.revision(fleet, revisionId);
        return QuarkusTransaction.requiringNew().call(() -> {
            BuildRun b = builds.ofRevision(revisionId, id).orElseThrow(() -> ApiException.notFound("build " + id + " of revision " + revisionId));
            return new BuildView(b.id, fleet, b.revisionId, b.selector, b.state, b.createdAt, b.createdBy, b.finishedAt, b.error,
                    builds.hosts(id).stream().map(HostBuildView::of).toList());
        });
    }

    /** The revision's builds, newest first. */
    public Page<BuildSummary> list(String fleet, long revisionId, PageRequest page) {
        fleets.revision(fleet, revisionId);
        return QuarkusTransaction.requiringNew().call(() -> {
            var q = builds.ofRevision(revisionId).page(page.panache());
            List<BuildRun> runs = q.list();
            Map<Long, long[]> counts = new HashMap<>();
            for (Object[] row : builds.hostCounts(runs.stream().map(b -> b.id).toList())) {
                counts.put((Long) row[0], new long[] {((Number) row[1]).longValue(), row[2] == null ? 0 : ((Number) row[2]).longValue()});
            }
            return new Page<>(runs, page.page(), page.size(), q.count()).map(b -> {
                long[] c = counts.getOrDefault(b.id, new long[2]);
                return new BuildSummary(b.id, fleet, b.revisionId, b.selector, b.state, b.createdAt, b.createdBy, b.finishedAt, b.error, c[0], c[1]);
            });
        });
    }

    public String log(String fleet, long revisionId, long id) {
        fleets.revision(fleet, revisionId);
        return QuarkusTransaction.requiringNew().call(() -> builds.ofRevision(revisionId, id)
                .orElseThrow(() -> ApiException.notFound("build " + id + " of revision " + revisionId)).log);
    }

    private void run(long id, FleetService.Checkout checkout, List<Host> hosts) {
        BuildLog log = new BuildLog();
        String error = null;
        boolean failed = false;
        try (FleetConfig fleet = FleetConfig.load(checkout.dir(), engine.fleetOptions(log::progress))) {
            List<FleetBuild.Result> results = FleetBuild.run(fleet, hosts, engine.store(), engine.signer(),
                    config.fleets().buildParallelism(), r -> record(id, r));
            for (FleetBuild.Result r : results) {
                failed |= r instanceof FleetBuild.Result.Failed;
                log.host(r, derivations(fleet, r.host()), engine.store());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted: the controller is stopping";
        } catch (RuntimeException e) {
            LOG.errorf(e, "build %d", id);
            error = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        String why = error;
        BuildRun.State state = error != null || failed ? BuildRun.State.FAILED : BuildRun.State.SUCCEEDED;
        QuarkusTransaction.requiringNew().run(() -> {
            BuildRun b = builds.findById(id);
            b.state = state;
            b.error = why;
            b.finishedAt = Instant.now();
            b.log = log.text();
        });
    }

    private static List<String> derivations(FleetConfig fleet, String host) {
        try {
            return fleet.derivationsOf(host);
        } catch (FleetException e) {
            return List.of();
        }
    }

    private void record(long id, FleetBuild.Result r) {
        QuarkusTransaction.requiringNew().run(() -> builds.host(id, r.host()).ifPresent(h -> {
            h.tookMs = r.took().toMillis();
            switch (r) {
                case FleetBuild.Result.Built b -> {
                    h.state = BuildHost.State.BUILT;
                    h.toplevel = b.toplevel().path().absolute();
                }
                case FleetBuild.Result.Failed f -> {
                    h.state = BuildHost.State.FAILED;
                    h.error = f.error().getMessage();
                    h.errorKind = f.error().kind().name();
                }
            }
        }));
    }
}
