package dev.flotilla.agent.state;

import dev.flotilla.json.Json;
import dev.flotilla.json.JsonException;
import dev.flotilla.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the agent knows about a generation beyond its link: which deployment made it. Stored beside
 * the profile as {@code R/flotilla/var/generations/<N>.json}; deleted with the generation.
 */
public final class GenerationMeta {
    private final Path dir;

    public GenerationMeta(Path dir) {
        this.dir = dir;
    }

    public void record(int generation, String toplevel, Optional<String> deploymentId) throws IOException {
        JsonObject.Builder o = JsonObject.builder().put("generation", generation).put("toplevel", toplevel);
        deploymentId.ifPresent(d -> o.put("deploymentId", d));
        AtomicFiles.write(file(generation), Json.write(o.build()));
    }

    /** The deployment recorded for {@code generation}, if it is recorded and still names {@code toplevel}. */
    public Optional<String> deploymentId(int generation, String toplevel) {
        Path f = file(generation);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonObject o = Json.parseObject(Files.readAllBytes(f));
            return o.string("toplevel").equals(toplevel) ? o.optString("deploymentId") : Optional.empty();
        } catch (IOException | JsonException e) {
            return Optional.empty();
        }
    }

    public void delete(int generation) throws IOException {
        Files.deleteIfExists(file(generation));
    }

    private Path file(int generation) {
        return dir.resolve(generation + ".json");
    }
}
