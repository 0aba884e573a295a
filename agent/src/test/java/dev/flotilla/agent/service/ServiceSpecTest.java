package dev.flotilla.agent.service;

import dev.flotilla.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceSpecTest {
    static final ServiceSpec SHELL = new ServiceSpec("app", List.of("/bin/tool --serve \"q\" é \ud83d\ude00 \u0001"), true,
            new TreeMap<>(Map.of("PORT", "80", "B", "tab\there")), Optional.empty(), Optional.empty(), ServiceSpec.Restart.ALWAYS,
            List.of("db"));
    static final ServiceSpec ARGV = new ServiceSpec("db", List.of("db-server", "-D", "/var/lib/db"), false, new TreeMap<>(),
            Optional.of("/var/lib/db"), Optional.of("postgres"), ServiceSpec.Restart.ON_FAILURE, List.of());

    /**
     * Running services carry their spec's hash, and an upgraded agent adopts them only when it computes
     * the same one: these are the hashes (and canonical JSON) of the Jackson-based agents.
     */
    @Test
    void hashesAreThoseOfTheAgentsAlreadyDeployed() {
        assertEquals("""
                {"name":"app","shell":true,"command":["/bin/tool --serve \\"q\\" é \ud83d\ude00 \\u0001"],\
                "environment":{"B":"tab\\there","PORT":"80"},"restart":"always","after":["db"]}""", SHELL.toJson().toString());
        assertEquals("30c98da0946ed3d73e3717cd41f3c7b7", SHELL.hash());
        assertEquals("""
                {"name":"db","shell":false,"command":["db-server","-D","/var/lib/db"],"environment":{},\
                "workingDirectory":"/var/lib/db","user":"postgres","restart":"on-failure","after":[]}""", ARGV.toJson().toString());
        assertEquals("d5d7e3d691e62770e4c44827f44f78bf", ARGV.hash());
    }

    @Test
    void readsBackWhatItWrites() {
        assertEquals(SHELL, ServiceSpec.fromJson(Json.parseObject(Json.write(SHELL.toJson()))));
        assertEquals(ARGV, ServiceSpec.fromJson(Json.parseObject(Json.write(ARGV.toJson()))));
    }
}
