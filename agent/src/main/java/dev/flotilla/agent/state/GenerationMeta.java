package dev.flotilla.agent.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the agent knows about a generation beyond its link: which deployment made it. Stored beside
 * the profile as {@code R/flotilla/var/generations/<N>.json}; deleted with the generation.
 */
public final class GenerationMeta {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public GenerationMeta(Path dir) {
        this.dir = dir;
    }

    public void record(int generation, String toplevel, Optional<String> deploymentId) throws IOException {
        var o = JSON.createObjectNode().put("generation", generation).put("toplevel", toplevel);
        deploymentId.ifPresent(d -> o.put("deploymentId", d));
        AtomicFiles.write(file(generation), JSON.writeValueAsBytes(o));
    }

    /** The deployment recorded for {@code generation}, if it is recorded and still names {@code toplevel}. */
    public Optional<String> deploymentId(int generation, String toplevel) {
        Path f = file(generation);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            JsonNode o = JSON.readTree(Files.readAllBytes(f));
            if (!o.path("toplevel").asText().equals(toplevel) || !o.hasNonNull("deploymentId")) {
                return Optional.empty();
            }
            return Optional.of(o.get("deploymentId").asText());
        } catch (IOException e) {
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
