package dev.flotilla.deploy.fleet;

import dev.flotilla.eval.InputListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Collects the inputs a fleet's evaluations read (from every evaluation thread), each pinned once,
 * and, when checking against a lock, every read that differs from it. Never throws into the
 * evaluator: {@link FleetConfig} fails the evaluation afterwards, naming the input.
 */
final class InputRecorder implements InputListener {
    private record Key(String name, FleetLock.Kind kind) {}

    private final Path dir;
    private final FleetLock checkAgainst;
    private final Map<Key, FleetLock.Pin> pins = new ConcurrentHashMap<>();
    private final List<FleetLock.Change> changes = java.util.Collections.synchronizedList(new ArrayList<>());

    /** @param checkAgainst the lock every read must match (--locked), or null */
    InputRecorder(Path dir, FleetLock checkAgainst) {
        this.dir = dir;
        this.checkAgainst = checkAgainst;
    }

    @Override
    public void read(Input input) {
        FleetLock.Pin pin;
        try {
            pin = FleetLock.pin(dir, input);
        } catch (IOException e) {
            // The evaluator read it a moment ago; if it is gone now, the lock says so.
            pin = new FleetLock.Pin(FleetLock.name(dir, input.path()), FleetLock.Kind.FILE, "unreadable: " + e.getMessage());
        }
        if (pins.putIfAbsent(new Key(pin.name(), pin.kind()), pin) == null && checkAgainst != null) {
            checkAgainst.check(pin).ifPresent(changes::add);
        }
    }

    void add(FleetLock.Pin pin) {
        pins.put(new Key(pin.name(), pin.kind()), pin);
    }

    List<FleetLock.Pin> pins() {
        return List.copyOf(pins.values());
    }

    /** Reads that differ from the lock so far. */
    List<FleetLock.Change> changes() {
        synchronized (changes) {
            return List.copyOf(changes);
        }
    }
}
