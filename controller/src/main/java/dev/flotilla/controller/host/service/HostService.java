package dev.flotilla.controller.host.service;

import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.common.Page;
import dev.flotilla.controller.common.PageRequest;
import dev.flotilla.controller.host.persistence.HostEntity;
import dev.flotilla.controller.host.persistence.HostGeneration;
import dev.flotilla.controller.host.persistence.HostGenerationRepository;
import dev.flotilla.controller.host.persistence.HostRepository;
import dev.flotilla.inventory.Host;
import dev.flotilla.inventory.Inventory;
import dev.flotilla.inventory.InventoryException;
import dev.flotilla.inventory.InventoryLoader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The controller's inventory: hosts, their import from inventory files, selection, and generations seen. */
@ApplicationScoped
public class HostService {

    /** What an import changed, by host name. */
    public record ImportResult(List<String> created, List<String> updated, List<String> unchanged, List<String> deleted) {}

    public record GenerationView(int generation, String toplevel, String outcome, Long rolloutId, String detail, Instant recordedAt) {
        static GenerationView of(HostGeneration g) {
            return new GenerationView(g.generation, g.toplevel, g.outcome, g.rolloutId, g.detail, g.recordedAt);
        }
    }

    private final HostRepository hosts;
    private final HostGenerationRepository generations;

    public HostService(HostRepository hosts, HostGenerationRepository generations) {
        this.hosts = hosts;
        this.generations = generations;
    }

    @Transactional
    public Page<HostView> list(String tag, PageRequest page) {
        var q = hosts.search(tag).page(page.panache());
        return new Page<>(q.list(), page.page(), page.size(), q.count()).map(HostView::of);
    }

    @Transactional
    public Optional<HostView> get(String name) {
        return hosts.findByName(name).map(HostView::of);
    }

    /** The host as the engine sees it (address, port, pinned key). */
    @Transactional
    public Optional<Host> host(String name) {
        return hosts.findByName(name).map(HostService::toHost);
    }

    /** The generation the newest rollout left the host on, if any rollout did. */
    @Transactional
    public Optional<GenerationView> lastGeneration(String name) {
        return generations.ofHost(name).firstResultOptional().map(GenerationView::of);
    }

    @Transactional
    public HostView create(HostInput input) {
        HostInput in = input == null ? new HostInput(null, null, null, null, null, null, null, null).validated() : input.validated();
        if (hosts.findByName(in.name()).isPresent()) {
            throw ApiException.conflict("exists", "a host named '" + in.name() + "' already exists", "name");
        }
        HostEntity h = new HostEntity();
        h.createdAt = Instant.now();
        apply(h, in);
        hosts.persist(h);
        return HostView.of(h);
    }

    /** Replaces a host's definition; the body's name, if given, must be the path's. */
    @Transactional
    public Optional<HostView> replace(String name, HostInput input) {
        if (input == null) {
            throw ApiException.invalid("name", "the request has no body");
        }
        if (input.name() != null && !input.name().equals(name)) {
            throw ApiException.invalid("name", "the body names '" + input.name() + "' but the path names '" + name + "'; hosts are not renamed");
        }
        HostInput in = new HostInput(name, input.address(), input.port(), input.user(), input.hostKey(), input.tags(), input.groups(), input.vars()).validated();
        return hosts.findByName(name).map(h -> {
            apply(h, in);
            return HostView.of(h);
        });
    }

    @Transactional
    public boolean delete(String name) {
        return hosts.delete("name", name) > 0;
    }

    /**
     * Imports an inventory file's text (Ansible's YAML shape). Hosts are created or updated by name;
     * with {@code prune}, hosts the file does not name are deleted.
     */
    @Transactional
    public ImportResult importInventory(String yaml, boolean prune) {
        Inventory inv;
        try {
            inv = InventoryLoader.parse(Path.of("inventory.yaml"), yaml == null ? "" : yaml);
        } catch (InventoryException | IllegalArgumentException e) {
            throw ApiException.invalid("inventory", e.getMessage());
        }
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Host host : inv.hosts()) {
            HostInput in = new HostInput(host.name(), host.address(), host.port(), host.user(), host.hostKey().orElse(null),
                    List.copyOf(host.tags()), List.copyOf(host.groups()), host.vars()).validated();
            Optional<HostEntity> existing = hosts.findByName(host.name());
            if (existing.isEmpty()) {
                HostEntity h = new HostEntity();
                h.createdAt = Instant.now();
                apply(h, in);
                hosts.persist(h);
                created.add(host.name());
            } else if (same(existing.get(), in)) {
                unchanged.add(host.name());
            } else {
                apply(existing.get(), in);
                updated.add(host.name());
            }
        }
        List<String> deleted = new ArrayList<>();
        if (prune) {
            Set<String> keep = new HashSet<>(inv.names());
            for (HostEntity h : hosts.all()) {
                if (!keep.contains(h.name)) {
                    hosts.delete(h);
                    deleted.add(h.name);
                }
            }
        }
        return new ImportResult(created, updated, unchanged, deleted);
    }

    /** The stored hosts a selector picks, as the engine's records. */
    @Transactional
    public List<Host> select(HostSelector selector, String field) {
        return selector.select(hosts.all().stream().map(HostService::toHost).toList(), field);
    }

    @Transactional
    public Optional<Page<GenerationView>> generations(String name, PageRequest page) {
        if (hosts.findByName(name).isEmpty() && generations.ofHost(name).count() == 0) {
            return Optional.empty();
        }
        var q = generations.ofHost(name).page(page.panache());
        return Optional.of(new Page<>(q.list(), page.page(), page.size(), q.count()).map(GenerationView::of));
    }

    /** Records a generation a rollout left a host on. Joins the caller's transaction. */
    @Transactional
    public void recordGeneration(String host, int generation, String toplevel, String outcome, long rolloutId, String detail) {
        HostGeneration g = new HostGeneration();
        g.hostName = host;
        g.generation = generation;
        g.toplevel = toplevel;
        g.outcome = outcome;
        g.rolloutId = rolloutId;
        g.detail = detail;
        g.recordedAt = Instant.now();
        generations.persist(g);
    }

    public static Host toHost(HostEntity h) {
        return new Host(h.name, h.address, h.port, h.user, Optional.ofNullable(h.hostKey), new LinkedHashSet<>(h.tags),
                new LinkedHashSet<>(h.groups), plainValues(h.vars));
    }

    /** JSON gives back Integers and LinkedHashMaps; configurations see Longs and sorted maps, as from the inventory. */
    @SuppressWarnings("unchecked")
    public static <T> T plainValues(T value) {
        Object out = switch (value) {
            case null -> null;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Float f -> (double) f;
            case Map<?, ?> m -> {
                Map<String, Object> copy = new TreeMap<>();
                m.forEach((k, v) -> copy.put(String.valueOf(k), plainValues(v)));
                yield copy;
            }
            case List<?> l -> l.stream().map(HostService::plainValues).toList();
            default -> value;
        };
        return (T) out;
    }

    private static boolean same(HostEntity h, HostInput in) {
        return h.address.equals(in.address()) && h.port == in.port() && h.user.equals(in.user())
                && java.util.Objects.equals(h.hostKey, in.hostKey()) && h.tags.equals(in.tags())
                && h.groups.equals(in.groups()) && plainValues(h.vars).equals(plainValues(in.vars()));
    }

    private static void apply(HostEntity h, HostInput in) {
        h.name = in.name();
        h.address = in.address();
        h.port = in.port();
        h.user = in.user();
        h.hostKey = in.hostKey();
        h.tags = new ArrayList<>(in.tags());
        h.groups = new ArrayList<>(in.groups());
        h.vars = new TreeMap<>(in.vars());
        h.updatedAt = Instant.now();
    }
}
