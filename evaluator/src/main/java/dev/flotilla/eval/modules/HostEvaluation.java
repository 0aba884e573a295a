package dev.flotilla.eval.modules;

import java.util.List;
import java.util.Map;

/**
 * One host of a fleet, evaluated.
 *
 * @param host           the host's name
 * @param system         what becomes the host's system toplevel, as plain Java values in the shape
 *                       store-copy's {@code SystemConfig.fromValue} reads: {@code environment.{etc,packages}},
 *                       {@code services}, {@code healthChecks}, {@code activation.scripts}, {@code secrets}
 * @param deployment     {@code deployment.{targetHost,targetPort,tags,hostKey}}
 * @param config         every option's value (for {@code flotilla eval}); null unless asked for
 * @param moduleFiles    the module files the evaluation imported, as absolute paths
 * @param copiedSources  store path → local file or directory, for every path the evaluation (of this
 *                       host, and of hosts evaluated before it in the same worker) copied into the
 *                       store: these must be added to the store before the system is built
 * @param texts          store path → contents of text files ({@code builtins.toFile}) created so far
 */
public record HostEvaluation(String host, Map<String, Object> system, Map<String, Object> deployment, Object config,
                             List<String> moduleFiles, Map<String, String> copiedSources, Map<String, String> texts) {
    public HostEvaluation {
        moduleFiles = List.copyOf(moduleFiles);
        copiedSources = Map.copyOf(copiedSources);
        texts = Map.copyOf(texts);
    }
}
