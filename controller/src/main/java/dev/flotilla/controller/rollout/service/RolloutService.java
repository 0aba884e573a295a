package dev.flotilla.controller.rollout.service;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.controller.engine.Engine;
import dev.flotilla.controller.fleet.service.FleetService;
import dev.flotilla.deploy.fleet.FleetConfig;
import dev.flotilla.deploy.fleet.FleetException;
import dev.flotilla.controller.host.service.HostSelector;
import dev.flotilla.controller.host.service.HostService;
import dev.flotilla.controller.rollout.domain.RolloutState;
import dev.flotilla.controller.rollout.persistence.Rollout;
import dev.flotilla.controller.rollout.persistence.RolloutEventRepository;
import dev.flotilla.controller.rollout.persistence.RolloutHostRepository;
import dev.flotilla.controller.rollout.persistence.RolloutRepository;
import dev.flotilla.controller.rollout.service.RolloutViews.EventView;
import dev.flotilla.controller.rollout.service.RolloutViews.RolloutView;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryException;
import dev.flotilla.inventory.InventoryLoader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.controller.rollout.persistence.RolloutHost;
import dev.flotilla.deploy.plan.Plan;
import dev.flotilla.deploy.plan.PlanDocument;
import dev.flotilla.deploy.plan.PlanLoader;
import dev.flotilla.deploy.plan.StagePlan;
import dev.flotilla.deploy.rollout.Goal;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Rollouts as the API sees them: create (then run on a worker), read, abort, and their events. */
@ApplicationScoped
public class RolloutService {

    /**
     * A rollout request. Hosts come from {@code inventory} (an inventory file's text) when given, else
     * from the controller's hosts; {@code selector} narrows either (required for the controller's hosts).
     * With {@code fleet} instead of {@code configPath}, systems are built from that fleet's revision
     * {@code revision} (by default a new revision of its current content) and hosts come from the
     * revision's inventory.
     */
    public record NewRollout(String configPath, String selector, String inventory, Integer parallel, String mode, JsonNode plan,
                             String fleet, Long revision) {
        public NewRollout(String configPath, String selector, String inventory, Integer parallel, String mode, JsonNode plan) {
            this(configPath, selector, inventory, parallel, mode, plan, null, null);
        }
    }

    /**
     * A fleet-wide (or selected hosts') rollback: to each host's previous generation, to {@code toGeneration},
     * or to the generations rollout {@code toRollout} left; under {@code plan} like any rollout.
     */
    public record NewRollback(String selector, Integer toGeneration, Long toRollout, Integer parallel, JsonNode plan) {}

    private final RolloutRecorder recorder;
    private final RolloutRecovery recovery;
    private final HostListCache hostList;
    private final RolloutSignals signals;
    private final RolloutRepository rollouts;
    private final RolloutHostRepository hosts;
    private final RolloutEventRepository events;
    private final HostService hostService;
    private final Engine engine;
    private final ControllerConfig config;
    private final RolloutRunner runner;
    private final FleetService fleets;

    public RolloutService(RolloutRecorder recorder, RolloutRecovery recovery, HostListCache hostList, RolloutSignals signals, RolloutRepository rollouts,
                          RolloutHostRepository hosts, RolloutEventRepository events, HostService hostService, Engine engine,
                          ControllerConfig config, RolloutRunner runner, FleetService fleets) {
        this.runner = runner;
        this.fleets = fleets;
        this.recorder = recorder;
        this.recovery = recovery;
        this.hostList = hostList;
        this.signals = signals;
        this.rollouts = rollouts;
        this.hosts = hosts;
        this.events = events;
        this.hostService = hostService;
        this.engine = engine;
        this.config = config;
    }

    /** Validates, stores the rollout with its hosts as they are now, and starts it. */
    public RolloutView create(NewRollout request, String actor) {
        NewRollout req = request == null ? new NewRollout(null, null, null, null, null, null) : request;
        if (req.fleet() != null || req.revision() != null) {
            return createFromFleet(req, actor);
        }
        Path configFile = configFile(req.configPath());
        int parallel = parallel(req.parallel());
        SwitchMode mode;
        try {
            mode = req.mode() == null ? SwitchMode.SWITCH : SwitchMode.parse(req.mode());
        } catch (RuntimeException e) {
            throw ApiException.invalid("mode", e.getMessage());
        }
        List<Host> targets = targets(req);
        pinned(targets, req.inventory() != null ? "inventory" : "selector");
        Plan plan = RolloutPlans.parse(req.plan(), targets);
        String description = "deploy " + configFile + " to " + (req.selector() == null ? "the inventory's hosts" : req.selector())
                + " under plan '" + plan.name() + "'";
        return start(new RolloutRecorder.NewRollout(Goal.DEPLOY, configFile.toString(), req.selector(), parallel, mode.cliName(),
                PlanDocument.toJson(plan), description, null, targets, Map.of()), actor);
    }

    /** A deploy of a fleet revision: systems from its pinned content, hosts from its inventory. */
    private RolloutView createFromFleet(NewRollout req, String actor) {
        if (req.fleet() == null || req.fleet().isBlank()) {
            throw ApiException.invalid("fleet", "fleet is required with revision");
        }
        if (req.configPath() != null) {
            throw ApiException.invalid("configPath", "give configPath or fleet, not both");
        }
        if (req.inventory() != null) {
            throw ApiException.invalid("inventory", "a fleet's hosts come from its inventory.yaml; give no inventory with fleet");
        }
        int parallel = parallel(req.parallel());
        SwitchMode mode;
        try {
            mode = req.mode() == null ? SwitchMode.SWITCH : SwitchMode.parse(req.mode());
        } catch (RuntimeException e) {
            throw ApiException.invalid("mode", e.getMessage());
        }
        FleetService.Checkout checkout;
        try {
            long revision = req.revision() != null ? req.revision() : fleets.newRevision(req.fleet(), actor).id();
            checkout = fleets.checkout(req.fleet(), revision);
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            throw ApiException.invalid(e.getMessage().startsWith("fleet") ? "fleet" : "revision", e.getMessage());
        }
        List<Host> targets = fleetTargets(checkout, req.selector());
        pinned(targets, "selector");
        Plan plan = RolloutPlans.parse(req.plan(), targets);
        String description = "deploy fleet '" + req.fleet() + "' revision " + checkout.revision().id() + " (" + checkout.revision().hash()
                + ") to " + (req.selector() == null ? "the fleet's hosts" : req.selector()) + " under plan '" + plan.name() + "'";
        return start(new RolloutRecorder.NewRollout(Goal.DEPLOY, Engine.revisionSource(checkout.revision().hash()), req.selector(), parallel,
                mode.cliName(), PlanDocument.toJson(plan), description, null, targets, Map.of()), actor);
    }

    /**
     * The revision's hosts that {@code selector} names (all without one), as its configuration says to reach
     * them: {@code deployment.targetHost}, {@code targetPort}, {@code hostKey} and {@code tags} set in Nix
     * override the inventory's record, as for {@code flotilla deploy --fleet}. This evaluates each selected
     * host once, so a configuration that does not evaluate is refused here rather than mid-rollout.
     */
    private List<Host> fleetTargets(FleetService.Checkout checkout, String selector) {
        try (FleetConfig fleet = FleetConfig.load(checkout.dir(), engine.fleetOptions(null))) {
            List<Host> hostsOfFleet = fleet.inventory().hosts();
            List<Host> selected = selector == null ? hostsOfFleet : HostSelector.parse(selector, "selector").select(hostsOfFleet, "selector");
            return selected.stream().map(h -> fleet.effectiveHost(h.name())).toList();
        } catch (FleetException e) {
            throw ApiException.invalid("fleet", e.getMessage());
        }
    }

    /** Validates and queues a rollback; {@code field}s of the error name the request's. */
    public RolloutView rollback(NewRollback request, String actor) {
        NewRollback req = request == null ? new NewRollback(null, null, null, null, null) : request;
        int parallel = parallel(req.parallel());
        List<Host> targets = hostService.select(HostSelector.parse(req.selector(), "selector"), "selector");
        pinned(targets, "selector");
        if (req.toGeneration() != null && req.toRollout() != null) {
            throw ApiException.invalid("toRollout", "give toGeneration or toRollout, not both");
        }
        Map<String, Integer> generations = new LinkedHashMap<>();
        String to = "previous";
        if (req.toGeneration() != null) {
            if (req.toGeneration() < 1) {
                throw ApiException.invalid("toGeneration", "toGeneration must be at least 1, got " + req.toGeneration());
            }
            targets.forEach(h -> generations.put(h.name(), req.toGeneration()));
            to = "generation:" + req.toGeneration();
        } else if (req.toRollout() != null) {
            generations.putAll(generationsLeftBy(req.toRollout(), targets));
            to = "rollout:" + req.toRollout();
        }
        Plan plan = RolloutPlans.parse(req.plan(), targets);
        String description = "rollback of " + req.selector() + " to " + (to.equals("previous") ? "each host's previous generation" : to)
                + " under plan '" + plan.name() + "'";
        return start(new RolloutRecorder.NewRollout(Goal.ROLLBACK, null, req.selector(), parallel, SwitchMode.SWITCH.cliName(),
                PlanDocument.toJson(plan), description, to, targets, generations), actor);
    }

    private RolloutView start(RolloutRecorder.NewRollout rollout, String actor) {
        long id = recorder.insert(rollout, actor);
        signals.changed();
        // Queued for any replica; this one claims it at once if it has room.
        recovery.sweep();
        return get(id).orElseThrow();
    }

    /** The generation each target was on when rollout {@code id} ended. */
    @Transactional
    Map<String, Integer> generationsLeftBy(long id, List<Host> targets) {
        Rollout earlier = rollouts.findByIdOptional(id).orElseThrow(() -> ApiException.invalid("toRollout", "no rollout " + id));
        if (!earlier.state.terminal()) {
            throw ApiException.invalid("toRollout", "rollout " + id + " has not finished (" + earlier.state + ")");
        }
        Map<String, RolloutHost> byName = new LinkedHashMap<>();
        hosts.ofRollout(id).forEach(h -> byName.put(h.hostName, h));
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Host h : targets) {
            RolloutHost rh = byName.get(h.name());
            if (rh == null) {
                throw ApiException.invalid("toRollout", "host " + h.name() + " was not part of rollout " + id);
            }
            Integer g = rh.state == dev.flotilla.deploy.rollout.HostState.CONFIRMED ? rh.toGeneration : rh.fromGeneration;
            if (g == null || g <= 0) {
                throw ApiException.invalid("toRollout", "rollout " + id + " left " + h.name() + " on no known generation");
            }
            out.put(h.name(), g);
        }
        return out;
    }

    private int parallel(Integer requested) {
        int parallel = requested == null ? config.rollouts().defaultParallelism() : requested;
        if (parallel < 1 || parallel > 1000) {
            throw ApiException.invalid("parallel", "parallel must be between 1 and 1000, got " + parallel);
        }
        return parallel;
    }

    private void pinned(List<Host> targets, String field) {
        if (!engine.pinsUnknownHosts()) {
            targets.stream().filter(h -> h.hostKey().isEmpty()).findFirst().ifPresent(h -> {
                throw ApiException.invalid(field, "host '" + h.name()
                        + "' has no pinned host key: set its hostKey, or configure flotilla.known-hosts (Flotilla never trusts a key on first use)");
            });
        }
    }

    @Transactional
    public Optional<RolloutView> get(long id) {
        return rollouts.findByIdOptional(id).map(r -> RolloutView.withHosts(r, hostList.hosts(id, r.nextSeq, r.saves)));
    }

    @Transactional
    public Page<RolloutView> list(String state, PageRequest page) {
        RolloutState s = null;
        if (state != null) {
            try {
                s = RolloutState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("state", "state must be one of " + java.util.Arrays.stream(RolloutState.values())
                        .map(v -> v.name().toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.joining(", ")));
            }
        }
        var q = rollouts.search(s).page(page.panache());
        List<Rollout> found = q.list();
        var counts = hosts.stateCounts(found.stream().map(r -> r.id).toList());
        return new Page<>(found, page.page(), page.size(), q.count())
                .map(r -> RolloutView.of(r, counts.getOrDefault(r.id, java.util.Map.of()), null));
    }

    public RolloutView abort(long id, String actor) {
        recorder.abort(id, actor);
        return acted(id);
    }

    public RolloutView pause(long id, String actor) {
        recorder.pause(id, actor);
        return acted(id);
    }

    public RolloutView resume(long id, String actor) {
        recorder.resume(id, actor);
        return acted(id);
    }

    /** Approves {@code stage}, or when null the first stage of the plan with an approval gate not yet approved. */
    public RolloutView approve(long id, String stage, String actor) {
        Rollout r = QuarkusTransaction.requiringNew().call(() -> rollouts.findByIdOptional(id))
                .orElseThrow(() -> ApiException.notFound("rollout " + id));
        Plan plan = PlanLoader.parse("rollout " + id + " (stored plan)", r.plan);
        Set<String> names = new LinkedHashSet<>(plan.stages().stream().map(StagePlan::name).toList());
        String chosen = stage;
        if (chosen == null) {
            chosen = plan.stages().stream().filter(s -> s.approval() && !r.approvedStages.contains(s.name())).map(StagePlan::name)
                    .findFirst().orElseThrow(() -> ApiException.invalid("stage", "rollout " + id + " has no stage left waiting for approval"));
        }
        recorder.approve(id, chosen, names, actor);
        return acted(id);
    }

    /** After an operator's request: wakes streams, tells this replica's run, and lets any replica take a queued rollout. */
    private RolloutView acted(long id) {
        signals.changed();
        runner.requested(id);
        recovery.sweep();
        return get(id).orElseThrow();
    }

    /** Events numbered after {@code after}, in order; empty if the rollout does not exist. */
    @Transactional
    public Optional<List<EventView>> events(long id, long after, int limit) {
        if (rollouts.findByIdOptional(id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(events.after(id, after, limit).stream().map(EventView::of).toList());
    }

    @Transactional
    /** Ended, or stopped until an operator acts (approval, pause): what ends an event stream. */
    public boolean finished(long id) {
        return rollouts.findByIdOptional(id).map(r -> r.state.terminal() || r.state.waiting()).orElse(true);
    }

    public RolloutSignals signals() {
        return signals;
    }

    private Path configFile(String configPath) {
        if (configPath == null || configPath.isBlank()) {
            throw ApiException.invalid("configPath", "configPath is required: the fleet's host configuration (.nix)");
        }
        Path p;
        try {
            p = Path.of(configPath);
        } catch (InvalidPathException e) {
            throw ApiException.invalid("configPath", "configPath is not a valid path: " + e.getMessage());
        }
        if (!p.isAbsolute() && engine.fleetDir().isPresent()) {
            p = engine.fleetDir().get().resolve(p);
        }
        p = p.toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw ApiException.invalid("configPath", p + ": configuration file not found");
        }
        return p;
    }

    private List<Host> targets(NewRollout req) {
        if (req.inventory() != null) {
            Inventory inv;
            try {
                inv = InventoryLoader.parse(Path.of("inventory.yaml"), req.inventory());
            } catch (InventoryException | IllegalArgumentException e) {
                throw ApiException.invalid("inventory", e.getMessage());
            }
            return req.selector() == null ? inv.hosts() : HostSelector.parse(req.selector(), "selector").select(inv.hosts(), "selector");
        }
        return hostService.select(HostSelector.parse(req.selector(), "selector"), "selector");
    }
}
