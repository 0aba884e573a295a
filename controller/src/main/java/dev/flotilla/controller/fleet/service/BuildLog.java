package dev.flotilla.controller.fleet.service;

import dev.flotilla.deploy.fleet.FleetBuild;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.build.BuildLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The text of a build's log, kept in the database so that any replica can serve it: what the
 * derivation builder said while building, then per host its outcome and the log of each derivation
 * its system uses (as store-copy's {@link BuildLogs} keeps them). At most {@link #MAX_CHARS}.
 */
final class BuildLog {

    static final int MAX_CHARS = 1 << 20;

    private final StringBuilder progress = new StringBuilder();
    private final StringBuilder hosts = new StringBuilder();

    synchronized void progress(String line) {
        append(progress, line.endsWith("\n") ? line : line + "\n");
    }

    synchronized void host(FleetBuild.Result result, List<String> derivations, LocalStore store) {
        switch (result) {
            case FleetBuild.Result.Built b -> append(hosts, "== " + b.host() + ": built " + b.toplevel().path().absolute() + "\n");
            case FleetBuild.Result.Failed f -> append(hosts, "== " + f.host() + ": failed: " + f.error().getMessage() + "\n");
        }
        BuildLogs logs = BuildLogs.of(store);
        for (String drv : derivations) {
            Path file = logs.file(drv);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            append(hosts, "--- " + drv + "\n");
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                append(hosts, text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
            } catch (IOException e) {
                append(hosts, "(cannot read " + file + ": " + e.getMessage() + ")\n");
            }
        }
    }

    synchronized String text() {
        return progress + hosts.toString();
    }

    private void append(StringBuilder to, String text) {
        int room = MAX_CHARS - progress.length() - hosts.length();
        if (room <= 0) {
            return;
        }
        to.append(text.length() <= room ? text : text.substring(0, room) + "\n(log cut at " + MAX_CHARS + " characters)\n");
    }
}
