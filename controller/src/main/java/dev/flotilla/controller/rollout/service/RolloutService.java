package dev.flotilla.controller.rollout.service;

import dev.flotilla.agent.SwitchMode;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import dev.flotilla.controller.config.ControllerConfig;
import dev.flotilla.controller.engine.Engine;
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
import jakarta.enterprise.context.ApplicationScoped;
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
     */
    public record NewRollout(String configPath, String selector, String inventory, Integer parallel, String mode) {}

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

    public RolloutService(RolloutRecorder recorder, RolloutRecovery recovery, HostListCache hostList, RolloutSignals signals, RolloutRepository rollouts,
                          RolloutHostRepository hosts, RolloutEventRepository events, HostService hostService, Engine engine,
                          ControllerConfig config) {
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
        NewRollout req = request == null ? new NewRollout(null, null, null, null, null) : request;
        Path configFile = configFile(req.configPath());
        int parallel = req.parallel() == null ? config.rollouts().defaultParallelism() : req.parallel();
        if (parallel < 1 || parallel > 1000) {
            throw ApiException.invalid("parallel", "parallel must be between 1 and 1000, got " + parallel);
        }
        SwitchMode mode;
        try {
            mode = req.mode() == null ? SwitchMode.SWITCH : SwitchMode.parse(req.mode());
        } catch (RuntimeException e) {
            throw ApiException.invalid("mode", e.getMessage());
        }
        List<Host> targets = targets(req);
        if (!engine.pinsUnknownHosts()) {
            targets.stream().filter(h -> h.hostKey().isEmpty()).findFirst().ifPresent(h -> {
                throw ApiException.invalid(req.inventory() != null ? "inventory" : "selector", "host '" + h.name()
                        + "' has no pinned host key: set its hostKey, or configure flotilla.known-hosts (Flotilla never trusts a key on first use)");
            });
        }
        long id = recorder.insert(configFile, req.selector(), parallel, mode.cliName(), targets, actor);
        signals.changed();
        // Queued for any replica; this one claims it at once if it has room.
        recovery.sweep();
        return get(id).orElseThrow();
    }

    @Transactional
    public Optional<RolloutView> get(long id) {
        return rollouts.findByIdOptional(id).map(r -> RolloutView.withHosts(r, hostList.hosts(id, r.nextSeq)));
    }

    @Transactional
    public Page<RolloutView> list(String state, PageRequest page) {
        RolloutState s = null;
        if (state != null) {
            try {
                s = RolloutState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("state", "state must be one of pending, running, succeeded, failed, aborted");
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
        signals.changed();
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
    public boolean finished(long id) {
        return rollouts.findByIdOptional(id).map(r -> r.state.terminal()).orElse(true);
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
