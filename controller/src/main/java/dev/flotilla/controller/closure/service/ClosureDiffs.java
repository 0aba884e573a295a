package dev.flotilla.controller.closure.service;

import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.engine.Engine;
import dev.flotilla.deploy.fleet.ClosureDiff;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.StorePath;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** What changes between two systems the controller built: the paths their closures add, remove and change. */
@ApplicationScoped
public class ClosureDiffs {

    /** A path with its NAR size. */
    public record PathView(String path, long narSize) {
        static PathView of(PathInfo p) {
            return new PathView(p.path().absolute(), p.narSize());
        }
    }

    /** One name in both closures with another hash. */
    public record ChangeView(String name, String from, String to, long fromSize, long toSize) {}

    public record DiffView(String from, String to, int fromCount, int toCount, long fromSize, long toSize, List<PathView> added,
                           List<PathView> removed, List<ChangeView> changed) {}

    private final Engine engine;

    public ClosureDiffs(Engine engine) {
        this.engine = engine;
    }

    /** 400 when either is not a store path, 404 when the controller's store does not have it. */
    public DiffView between(String from, String to) {
        LocalStore store = engine.store();
        StorePath a = path(store, from, "from");
        StorePath b = path(store, to, "to");
        try {
            ClosureDiff d = ClosureDiff.between(store, a, b);
            return new DiffView(a.absolute(), b.absolute(), d.fromCount(), d.toCount(), d.fromSize(), d.toSize(),
                    d.added().stream().map(PathView::of).toList(), d.removed().stream().map(PathView::of).toList(),
                    d.changed().stream().map(c -> new ChangeView(c.name(), c.from().path().absolute(), c.to().path().absolute(),
                            c.from().narSize(), c.to().narSize())).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the closures of " + from + " and " + to + ": " + e.getMessage(), e);
        }
    }

    private static StorePath path(LocalStore store, String text, String field) {
        if (text == null || text.isBlank()) {
            throw ApiException.invalid(field, field + " is required: a store path (a system's toplevel)");
        }
        StorePath p;
        try {
            p = StorePath.parse(store.storeDir(), text.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + ": not a store path: " + e.getMessage());
        }
        if (!store.isValid(p)) {
            throw ApiException.notFound("store path " + p.absolute() + " (" + field + ") in the controller's store");
        }
        return p;
    }
}
