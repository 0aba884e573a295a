package dev.flotilla.deploy.fleet;

import dev.flotilla.store.LocalStore;
import dev.flotilla.store.PathInfo;
import dev.flotilla.store.StorePath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What changes between two closures: paths added, removed, and changed (a path of the same name with
 * another hash), with their NAR sizes. Both closures must be valid in the store.
 */
public record ClosureDiff(StorePath from, StorePath to, List<PathInfo> added, List<PathInfo> removed,
                          List<Change> changed, long fromSize, long toSize, int fromCount, int toCount) {

    /** A path of one name in both closures, with different hashes. */
    public record Change(String name, PathInfo from, PathInfo to) {
        public long delta() {
            return to.narSize() - from.narSize();
        }
    }

    public ClosureDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
    }

    public static ClosureDiff between(LocalStore store, StorePath from, StorePath to) throws IOException {
        Map<String, List<PathInfo>> before = byName(store, store.closure(List.of(from)));
        Map<String, List<PathInfo>> after = byName(store, store.closure(List.of(to)));
        List<PathInfo> added = new ArrayList<>();
        List<PathInfo> removed = new ArrayList<>();
        List<Change> changed = new ArrayList<>();
        for (var e : after.entrySet()) {
            List<PathInfo> old = new ArrayList<>(before.getOrDefault(e.getKey(), List.of()));
            List<PathInfo> now = new ArrayList<>(e.getValue());
            // Paths present on both sides, unchanged, are not part of the difference.
            List<PathInfo> same = now.stream().filter(n -> old.stream().anyMatch(o -> o.path().equals(n.path()))).toList();
            now.removeAll(same);
            old.removeIf(o -> same.stream().anyMatch(s -> s.path().equals(o.path())));
            while (!now.isEmpty() && !old.isEmpty()) {
                changed.add(new Change(e.getKey(), old.removeFirst(), now.removeFirst()));
            }
            added.addAll(now);
            removed.addAll(old);
        }
        for (var e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                removed.addAll(e.getValue());
            }
        }
        return new ClosureDiff(from, to, added, removed, changed, size(before), size(after), count(before), count(after));
    }

    private static Map<String, List<PathInfo>> byName(LocalStore store, Set<StorePath> closure) throws IOException {
        Map<String, List<PathInfo>> out = new TreeMap<>();
        for (StorePath p : closure) {
            out.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(store.requireInfo(p));
        }
        return out;
    }

    private static long size(Map<String, List<PathInfo>> m) {
        return m.values().stream().flatMap(List::stream).mapToLong(PathInfo::narSize).sum();
    }

    private static int count(Map<String, List<PathInfo>> m) {
        return m.values().stream().mapToInt(List::size).sum();
    }

    /** Sizes for people: 512 B, 4.2 KiB, 1.5 MiB. */
    public static String human(long bytes) {
        long abs = Math.abs(bytes);
        String sign = bytes < 0 ? "-" : "";
        if (abs < 1024) {
            return sign + abs + " B";
        }
        if (abs < 1024 * 1024) {
            return sign + String.format(java.util.Locale.ROOT, "%.1f KiB", abs / 1024.0);
        }
        return sign + String.format(java.util.Locale.ROOT, "%.1f MiB", abs / (1024.0 * 1024));
    }
}
