package dev.flotilla.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.flotilla.helm.Chart.Node;
import dev.flotilla.helm.Chart.Rendered;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart, linted and rendered by the real helm library (helm-java, offline), with its manifests
 * read back and checked: what the controller needs to run as several replicas, safely.
 */
class ChartTest {

    /** Non-default values touching every optional part. */
    static final Map<String, Object> CUSTOM = Map.of(
            "replicaCount", 3,
            "image", Map.of("tag", "9.9.9", "pullPolicy", "Always"),
            "database", Map.of("url", "jdbc:postgresql://db.internal:5432/fleet?sslmode=require", "username", "fleet",
                    "existingSecret", "", "password", "s3cret"),
            "keys", Map.of("existingSecret", "my-keys", "sshIdentityKey", "ssh", "signingKeyKey", "sign"),
            "auth", Map.of("existingSecret", "my-admin", "tokenKey", "admin"),
            "controller", Map.of("knownHosts", "10.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample\n",
                    "rollouts", Map.of("lease", "45s", "maxConcurrent", 8)),
            "fleet", Map.of("volume", Map.of("persistentVolumeClaim", Map.of("claimName", "fleet-configs"))),
            "ingress", Map.of("enabled", true, "className", "nginx", "hosts",
                    List.of(Map.of("host", "flotilla.corp", "paths", List.of(Map.of("path", "/", "pathType", "Prefix")))),
                    "tls", List.of(Map.of("secretName", "flotilla-tls", "hosts", List.of("flotilla.corp")))),
            "metrics", Map.of("podAnnotations", false, "serviceMonitor", Map.of("enabled", true, "labels", Map.of("release", "prom"))),
            "podDisruptionBudget", Map.of("minAvailable", 2));

    @Test
    void lintsCleanWithDefaultAndCustomValues(@TempDir Path tmp) throws Exception {
        LintResult defaults = new Helm(Chart.DIR).lint().strict().call();
        assertFalse(defaults.isFailed(), () -> String.join("\n", defaults.getMessages()));
        LintResult custom = new Helm(Chart.copyWithValues(tmp, CUSTOM)).lint().strict().call();
        assertFalse(custom.isFailed(), () -> String.join("\n", custom.getMessages()));
    }

    @Test
    void defaultsRenderTwoHardenedReplicasWithProbesKeysAndGeneratedSecrets() {
        Rendered r = Chart.render(Map.of());
        assertEquals(Set.of("Deployment", "Service", "ConfigMap", "ServiceAccount", "PodDisruptionBudget"),
                Set.copyOf(r.kinds()), r.kinds()::toString);
        Node deploy = r.one("Deployment");
        assertEquals(2, deploy.at("spec.replicas").value());
        Node pod = deploy.at("spec.template.spec");
        Node c = pod.at("containers").named("controller");
        assertEquals("ghcr.io/flotilla/controller:0.1.0", c.at("image").str());

        // Probes on SmallRye Health, through the named port.
        assertEquals("/q/health/started", c.at("startupProbe.httpGet.path").str());
        assertEquals("/q/health/live", c.at("livenessProbe.httpGet.path").str());
        assertEquals("/q/health/ready", c.at("readinessProbe.httpGet.path").str());
        assertEquals("http", c.at("readinessProbe.httpGet.port").str());
        assertEquals(8080, c.at("ports").named("http").at("containerPort").value());

        // Non-root, read-only root filesystem; only the state and /tmp are writable (emptyDirs).
        assertEquals(true, pod.at("securityContext.runAsNonRoot").value());
        assertEquals(true, c.at("securityContext.readOnlyRootFilesystem").value());
        assertEquals(false, c.at("securityContext.allowPrivilegeEscalation").value());
        assertEquals(List.of("ALL"), c.at("securityContext.capabilities.drop").value());
        assertEquals(false, pod.at("automountServiceAccountToken").value());
        assertEquals(Map.of("state", "/var/lib/flotilla", "tmp", "/tmp"), mounts(c));
        assertTrue(pod.at("volumes").named("state").has("emptyDir"));
        assertTrue(pod.at("volumes").named("tmp").has("emptyDir"));

        // No key files: the replicas share keys through the database. No token: the first replica logs one.
        Map<String, Object> env = r.one("ConfigMap").at("data").map();
        assertFalse(env.containsKey("FLOTILLA_KEYS_SSH_IDENTITY"));
        assertTrue(r.all("Secret").isEmpty(), () -> r.all("Secret").toString());
        assertFalse(c.at("env").list().stream().anyMatch(e -> "FLOTILLA_AUTH_BOOTSTRAP_TOKEN".equals(e.at("name").str())));
        assertEquals("/var/lib/flotilla", env.get("FLOTILLA_STATE_DIR"));
        assertEquals("jdbc:postgresql://postgres:5432/flotilla", env.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("30s", env.get("FLOTILLA_ROLLOUTS_LEASE"));
        assertEquals("fl-flotilla", c.at("envFrom[0].configMapRef.name").str());

        // Each pod is its own replica in the leases; the database password by reference.
        assertEquals("metadata.name", c.at("env").named("FLOTILLA_INSTANCE_ID").at("valueFrom.fieldRef.fieldPath").str());
        assertEquals("flotilla-db", c.at("env").named("QUARKUS_DATASOURCE_PASSWORD").at("valueFrom.secretKeyRef.name").str());

        assertEquals("true", deploy.at("spec.template.metadata.annotations").map().get("prometheus.io/scrape"));
        assertEquals("/q/metrics", deploy.at("spec.template.metadata.annotations").map().get("prometheus.io/path"));
        assertEquals(1, r.one("PodDisruptionBudget").at("spec.maxUnavailable").value());
        assertEquals(0, deploy.at("spec.strategy.rollingUpdate.maxUnavailable").value());
        assertEquals("http", r.one("Service").at("spec.ports[0].targetPort").str());
    }

    @Test
    void customValuesReachEveryManifest(@TempDir Path tmp) throws Exception {
        Path values = tmp.resolve("custom.yaml");
        Files.writeString(values, new org.yaml.snakeyaml.Yaml().dump(new LinkedHashMap<>(CUSTOM)));
        Rendered r = Chart.render(values);
        Node deploy = r.one("Deployment");
        Node pod = deploy.at("spec.template.spec");
        Node c = pod.at("containers").named("controller");
        assertEquals(3, deploy.at("spec.replicas").value());
        assertEquals("ghcr.io/flotilla/controller:9.9.9", c.at("image").str());
        assertEquals("Always", c.at("imagePullPolicy").str());

        // Existing secrets are referenced, not created; only the inline database password makes one.
        Set<String> secrets = r.all("Secret").stream().map(s -> (String) ((Map<?, ?>) s.get("metadata")).get("name")).collect(Collectors.toSet());
        assertEquals(Set.of("fl-flotilla-db"), secrets);
        assertEquals("s3cret", decode(r.secret("fl-flotilla-db").at("data.password").value()));
        Node keys = pod.at("volumes").named("keys").at("secret");
        assertEquals("my-keys", keys.at("secretName").str());
        assertEquals(true, c.at("volumeMounts").named("keys").at("readOnly").value());
        assertEquals("/etc/flotilla/keys", mounts(c).get("keys"));
        assertEquals(Map.of("ssh", "ssh-identity", "sign", "signing-key"),
                keys.at("items").list().stream().collect(Collectors.toMap(i -> i.at("key").str(), i -> i.at("path").str())));
        assertEquals("my-admin", c.at("env").named("FLOTILLA_AUTH_BOOTSTRAP_TOKEN").at("valueFrom.secretKeyRef.name").str());
        assertEquals("admin", c.at("env").named("FLOTILLA_AUTH_BOOTSTRAP_TOKEN").at("valueFrom.secretKeyRef.key").str());
        assertEquals("fl-flotilla-db", c.at("env").named("QUARKUS_DATASOURCE_PASSWORD").at("valueFrom.secretKeyRef.name").str());

        // Known hosts and the fleet volume are mounted read-only, and the controller is told where.
        Map<String, Object> env = r.one("ConfigMap").at("data").map();
        assertEquals("/etc/flotilla/keys/ssh-identity", env.get("FLOTILLA_KEYS_SSH_IDENTITY"));
        assertEquals("/etc/flotilla/keys/signing-key", env.get("FLOTILLA_KEYS_SIGNING_KEY"));
        assertEquals("/etc/flotilla/known_hosts", env.get("FLOTILLA_KNOWN_HOSTS"));
        assertTrue(env.get("known_hosts").toString().contains("ssh-ed25519"));
        assertEquals("/srv/fleet", env.get("FLOTILLA_FLEET_DIR"));
        assertEquals("45s", env.get("FLOTILLA_ROLLOUTS_LEASE"));
        assertEquals("8", env.get("FLOTILLA_ROLLOUTS_MAX_CONCURRENT"));
        assertEquals("jdbc:postgresql://db.internal:5432/fleet?sslmode=require", env.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("fleet-configs", pod.at("volumes").named("fleet").at("persistentVolumeClaim.claimName").str());
        assertEquals(true, c.at("volumeMounts").named("fleet").at("readOnly").value());
        assertEquals("known_hosts", c.at("volumeMounts").named("config").at("subPath").str());

        Node ingress = r.one("Ingress");
        assertEquals("nginx", ingress.at("spec.ingressClassName").str());
        assertEquals("flotilla.corp", ingress.at("spec.rules[0].host").str());
        assertEquals("fl-flotilla", ingress.at("spec.rules[0].http.paths[0].backend.service.name").str());
        assertEquals("flotilla-tls", ingress.at("spec.tls[0].secretName").str());
        Node monitor = r.one("ServiceMonitor");
        assertEquals("/q/metrics", monitor.at("spec.endpoints[0].path").str());
        assertEquals("prom", monitor.at("metadata.labels").map().get("release"));
        assertFalse(deploy.at("spec.template.metadata.annotations").map().containsKey("prometheus.io/scrape"));
        Node pdb = r.one("PodDisruptionBudget");
        assertEquals(2, pdb.at("spec.minAvailable").value());
        assertFalse(pdb.has("spec.maxUnavailable"));
    }

    @Test
    void inlineKeysAndTokenAreKeptInTheChartsSecretsAndMounted() {
        String ssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
        String sign = "flotilla-controller-1:" + Base64.getEncoder().encodeToString(new byte[64]);
        Rendered r = Chart.render(Map.of("keys.sshIdentity", ssh, "keys.signingKey", sign,
                "auth.bootstrapToken", "a-long-enough-admin-token-0123456789"));
        Node keySecret = r.secret("fl-flotilla-keys");
        assertEquals("keep", keySecret.at("metadata.annotations").map().get("helm.sh/resource-policy"));
        assertEquals(ssh, decode(keySecret.at("data").map().get("id_ed25519")));
        assertEquals(sign, decode(keySecret.at("data").map().get("store-signing.sec")));
        assertEquals("a-long-enough-admin-token-0123456789", decode(r.secret("fl-flotilla-auth").at("data.token").value()));
        Node c = r.one("Deployment").at("spec.template.spec.containers").named("controller");
        assertEquals("fl-flotilla-keys", r.one("Deployment").at("spec.template.spec.volumes").named("keys").at("secret.secretName").str());
        assertEquals("/etc/flotilla/keys", mounts(c).get("keys"));
        assertEquals("fl-flotilla-auth", c.at("env").named("FLOTILLA_AUTH_BOOTSTRAP_TOKEN").at("valueFrom.secretKeyRef.name").str());
        IllegalStateException half = assertThrows(IllegalStateException.class, () -> Chart.render(Map.of("keys.signingKey", sign)));
        assertTrue(half.getMessage().contains("give both keys.sshIdentity and keys.signingKey"), half::getMessage);
    }

    private static Map<String, String> mounts(Node container) {
        return container.at("volumeMounts").list().stream().collect(Collectors.toMap(m -> m.at("name").str(), m -> m.at("mountPath").str()));
    }

    private static String decode(Object base64) {
        return new String(Base64.getDecoder().decode(base64.toString()), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void oneReplicaWithoutDisruptionBudgetOrMetrics() {
        Rendered r = Chart.render(Map.of("replicaCount", 1, "podDisruptionBudget.enabled", false, "metrics.podAnnotations", false,
                "serviceAccount.create", false, "topologySpread.enabled", false));
        assertEquals(1, r.one("Deployment").at("spec.replicas").value());
        assertTrue(r.all("PodDisruptionBudget").isEmpty());
        assertTrue(r.all("ServiceAccount").isEmpty());
        assertEquals("default", r.one("Deployment").at("spec.template.spec.serviceAccountName").str());
        assertFalse(r.one("Deployment").at("spec.template.spec").has("topologySpreadConstraints"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "replicaCount|0",
            "replicaCount|two",
            "image.pullPolicy|Sometimes",
            "database.url|mysql://db:3306/flotilla",
            "database.url|jdbc:postgresql://db:5432",
            "controller.rollouts.lease|thirty seconds",
            "controller.rollouts.maxConcurrent|0",
            "controller.logLevel|LOUD",
            "service.port|70000",
            "auth.bootstrapToken|short",
            "securityContext.allowPrivilegeEscalation|true",
            "podSecurityContext.runAsNonRoot|false",
            "replicaCont|2",
    })
    void schemaRejectsBadValues(String key, String value) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Chart.render(Map.of(key, value)));
        assertTrue(e.getMessage().contains("values don't meet the specifications of the schema"), e::getMessage);
    }

    @Test
    void refusesToRenderWithoutAnyDatabasePassword() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Chart.render(Map.of("database.existingSecret", "")));
        assertTrue(e.getMessage().contains("database.existingSecret"), e::getMessage);
    }
}
