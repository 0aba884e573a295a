package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.eval.InputListener.Input;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file-system read of an evaluation is reported, once, with how it was read. */
class InputListenerTest {
    @TempDir
    Path dir;

    @Test
    void eachKindOfReadIsReportedOncePerSession() throws Exception {
        Files.writeString(dir.resolve("lib.nix"), "{ x = builtins.readFile ./data.txt; }\n");
        Files.writeString(dir.resolve("data.txt"), "data\n");
        Files.createDirectories(dir.resolve("pkg/bin"));
        Files.writeString(dir.resolve("pkg/bin/tool"), "tool\n");
        Files.writeString(dir.resolve("main.nix"), """
                let lib = import ./lib.nix; again = import ./lib.nix; in
                [ lib.x again.x (builtins.readFile ./data.txt) (builtins.pathExists ./absent) (builtins.readDir ./pkg)
                  (builtins.hashFile "sha256" ./data.txt) "${./pkg}" (builtins.path { path = ./pkg; name = "p"; filter = p: t: true; }) ]
                """);
        List<Input> reads = new CopyOnWriteArrayList<>();
        Evaluator ev = new Evaluator(EvalOptions.defaults().withInputs(reads::add));
        Value v = ev.evalFile(dir.resolve("main.nix"));
        Deep.force(v);
        assertEquals(List.of(
                new Input.FileContents(dir.resolve("main.nix")),
                new Input.FileContents(dir.resolve("lib.nix")),
                new Input.FileContents(dir.resolve("data.txt")),
                new Input.Existence(dir.resolve("absent"), false),
                new Input.DirectoryListing(dir.resolve("pkg"))), reads.subList(0, 5));
        assertEquals(7, reads.size(), reads.toString());
        assertTrue(reads.get(5) instanceof Input.Copied c && c.path().equals(dir.resolve("pkg")) && c.recursive() && !c.filtered());
        assertTrue(reads.get(6) instanceof Input.Copied c && c.filtered());
    }
}
