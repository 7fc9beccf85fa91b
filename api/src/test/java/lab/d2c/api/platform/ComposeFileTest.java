package lab.d2c.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Docker cannot run here, so {@code compose/docker-compose.yml} is checked as a file: the services a
 * deployment needs, pinned images, health checks, Temporal's upstream set-up (admin-tools schema job,
 * pinned server, namespace job), one worker per GPU, host ports on 127.0.0.1, secrets only from
 * variables, a non-superuser database role, Prometheus' targets, the Dockerfile, mounts that exist,
 * and D2C_* names that the jars actually read ({@link D2cConfig#ENV_NAMES}). SnakeYAML resolves the
 * file's anchors and merge keys as compose does. Where a docker-compose binary exists, its
 * {@code config -q} validates the file too.
 */
class ComposeFileTest {

    private static final Path COMPOSE_DIR = Path.of("..", "compose");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)");

    private static Map<String, Object> services;
    private static Map<String, Object> file;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        file = new Yaml().load(Files.readString(COMPOSE_DIR.resolve("docker-compose.yml")));
        services = (Map<String, Object>) file.get("services");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) {
        assertThat(services).as("services").containsKey(name);
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(String name) {
        Object env = service(name).get("environment");
        return env == null ? Map.of() : (Map<String, Object>) env;
    }

    /**
     * Read by the worker's and the API's metrics endpoints (issue 26, part 3, another branch). Accepted
     * here until that code is merged; once it is, the scan of the main sources finds them and this set
     * can go.
     */
    private static final Set<String> METRICS_NAMES_OF_PART_3 = Set.of("D2C_METRICS_HOST", "D2C_METRICS_PORT");

    private static List<String> workers() {
        return services.keySet().stream().filter(n -> n.startsWith("worker-gpu")).sorted().toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> command(String name) {
        return ((List<Object>) service(name).get("command")).stream().map(String::valueOf).toList();
    }

    @Test
    void theWholeStackIsThere() {
        assertThat(services).containsKeys("postgres", "temporal-schema", "temporal", "temporal-namespace",
                "temporal-ui", "s3", "prometheus", "grafana", "api", "worker-gpu0");
    }

    @Test
    @SuppressWarnings("unchecked")
    void temporalFollowsUpstreamsSetUpSchemaJobPinnedServerNamespaceJob() throws IOException {
        assertThat(String.valueOf(service("temporal").get("image"))).as("no auto-setup: it gets no releases")
                .matches("temporalio/server:1\\.(29|[3-9]\\d)\\.\\d+");
        String release = String.valueOf(service("temporal").get("image")).split(":")[1];
        for (String job : List.of("temporal-schema", "temporal-namespace")) {
            assertThat(service(job).get("image")).as(job).isEqualTo("temporalio/admin-tools:" + release);
            assertThat(service(job)).as(job + " is one-shot").doesNotContainEntry("restart", "unless-stopped");
        }
        assertThat(dependsOn("temporal")).containsEntry("temporal-schema", "service_completed_successfully");
        assertThat(dependsOn("temporal-schema")).containsEntry("postgres", "service_healthy");
        assertThat(dependsOn("temporal-namespace")).containsEntry("temporal", "service_healthy");
        assertThat(dependsOn("api")).containsEntry("temporal-namespace", "service_completed_successfully");
        assertThat(String.valueOf(service("temporal-ui").get("image"))).matches("temporalio/ui:2\\.(3[4-9]|[4-9]\\d)\\.\\d+");

        String schema = script("temporal-schema");
        for (String db : List.of("temporal", "visibility")) {
            assertThat(schema).contains("/etc/temporal/schema/postgresql/v12/").contains(db);
        }
        assertThat(schema).contains("temporal-sql-tool", " create", "setup-schema -v 0.0", "update-schema -d");
        String namespace = script("temporal-namespace");
        assertThat(namespace).contains("temporal operator cluster health", "temporal operator namespace create");
        assertThat(String.valueOf(((Map<String, Object>) service("temporal").get("healthcheck")).get("test")))
                .contains("temporal operator cluster health");
        // the namespace the jars use is the one the job creates
        assertThat(environment("temporal-namespace").get("D2C_TEMPORAL_NAMESPACE"))
                .isEqualTo(environment("api").get("D2C_TEMPORAL_NAMESPACE"));
        assertThat((List<Object>) service("temporal").get("ports")).containsExactly("127.0.0.1:7233:7233");
    }

    /** The script a one-shot job runs: its command names a file under a mounted compose folder. */
    @SuppressWarnings("unchecked")
    private static String script(String name) throws IOException {
        String inContainer = command(name).get(command(name).size() - 1);
        for (Object v : (List<Object>) service(name).get("volumes")) {
            String[] parts = String.valueOf(v).split(":");
            if (inContainer.startsWith(parts[1] + "/")) {
                Path file = COMPOSE_DIR.resolve(parts[0]).resolve(inContainer.substring(parts[1].length() + 1));
                assertThat(file).as(name + " script").exists();
                return Files.readString(file);
            }
        }
        throw new AssertionError(name + ": " + inContainer + " is not in a mounted folder");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependsOn(String name) {
        Map<String, String> out = new java.util.HashMap<>();
        ((Map<String, Object>) service(name).get("depends_on")).forEach(
                (k, v) -> out.put(k, String.valueOf(((Map<String, Object>) v).get("condition"))));
        return out;
    }

    @Test
    void objectStorageIsAMaintainedS3ServerAndTheJarsPointAtIt() {
        String image = String.valueOf(service("s3").get("image"));
        assertThat(image).as("MinIO server images are no longer published").doesNotStartWith("minio/");
        assertThat(environment("api").get("D2C_S3_ENDPOINT")).isEqualTo("http://s3:8333");
        assertThat(dependsOn("api")).containsEntry("s3", "service_healthy");
    }

    @Test
    void theAppConnectsAsAPlainRoleWhosePasswordInitSqlQuotesSafely() throws IOException {
        Map<String, Object> pg = environment("postgres");
        assertThat(pg).doesNotContainKey("POSTGRES_USER"); // the superuser keeps its name, postgres
        assertThat(String.valueOf(environment("api").get("D2C_JDBC_USER"))).isNotEqualTo("postgres")
                .isEqualTo(String.valueOf(pg.get("D2C_DB_USER")));
        assertThat(String.valueOf(environment("temporal").get("POSTGRES_USER"))).isEqualTo("temporal");
        String init = Files.readString(COMPOSE_DIR.resolve("postgres-init").resolve("01-roles.sh"));
        assertThat(init).contains("CREATE ROLE :\"app_user\" LOGIN NOSUPERUSER", "PASSWORD :'app_password'",
                "PASSWORD :'grafana_password'", "PASSWORD :'temporal_password'", "-v app_password=",
                "<<'SQL'", "ALTER DATABASE d2c OWNER TO :\"app_user\"");
        // no password pasted into SQL text by the shell
        assertThat(init).doesNotContainPattern("PASSWORD\\s+'\\$");
    }

    @Test
    void everyImageIsPinnedAndEveryServerHasAHealthCheck() {
        for (String name : services.keySet()) {
            String image = String.valueOf(service(name).get("image"));
            assertThat(image).as(name + " image").contains(":").doesNotEndWith(":latest");
        }
        for (String name : List.of("postgres", "temporal", "s3", "prometheus", "grafana", "api")) {
            assertThat(service(name)).as(name).containsKey("healthcheck");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneWorkerPerGpuEachReservingExactlyItsOwn() {
        List<String> workers = workers();
        assertThat(workers).hasSizeGreaterThanOrEqualTo(2).doesNotContain("worker");
        for (int i = 0; i < workers.size(); i++) {
            String name = "worker-gpu" + i;
            assertThat(workers).as("workers numbered from 0 without gaps").contains(name);
            Map<String, Object> worker = service(name);
            assertThat(worker).doesNotContainKeys("container_name", "ports");
            Map<String, Object> resources = (Map<String, Object>) ((Map<String, Object>) worker.get("deploy"))
                    .get("resources");
            List<Map<String, Object>> devices = (List<Map<String, Object>>) ((Map<String, Object>) resources
                    .get("reservations")).get("devices");
            int gpu = i;
            assertThat(devices).singleElement().satisfies(d -> {
                assertThat(d.get("driver")).isEqualTo("nvidia");
                assertThat((List<String>) d.get("capabilities")).contains("gpu");
                assertThat(d).as(name + ": count would put every worker on GPU 0").doesNotContainKey("count");
                assertThat((List<Object>) d.get("device_ids")).as(name).containsExactly(String.valueOf(gpu));
            });
            // the container sees only its reserved GPU, as index 0
            assertThat(command(name)).containsSequence("--device", "gpu:0");
            assertThat(environment(name)).containsEntry("D2C_METRICS_HOST", "0.0.0.0");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheApiEveryWorkerAndTemporal() throws IOException {
        assertThat(String.valueOf(service("prometheus").get("image"))).matches("prom/prometheus:v3\\.\\d+\\.\\d+");
        Map<String, Object> config = new Yaml().load(Files.readString(COMPOSE_DIR.resolve("prometheus")
                .resolve("prometheus.yml")));
        Map<String, List<String>> targets = new java.util.HashMap<>();
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            assertThat(job.get("metrics_path")).isEqualTo("/metrics");
            List<String> t = new ArrayList<>();
            for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
                t.addAll((List<String>) sc.get("targets"));
            }
            targets.put(String.valueOf(job.get("job_name")), t);
        }
        assertThat(targets.get("d2c-api")).containsExactly("api:" + environment("api").get("D2C_API_PORT"));
        assertThat(targets.get("d2c-worker")).containsExactlyInAnyOrderElementsOf(
                workers().stream().map(w -> w + ":" + environment(w).get("D2C_METRICS_PORT")).toList());
        assertThat(targets.get("temporal")).containsExactly("temporal:8000");
        assertThat(String.valueOf(environment("temporal").get("PROMETHEUS_ENDPOINT"))).endsWith(":8000");
        String datasource = Files.readString(Path.of("..", "dashboards", "provisioning", "datasources",
                "d2c-prometheus.yaml"));
        assertThat(datasource).contains("type: prometheus");
        assertThat(environment("grafana")).containsEntry("D2C_GRAFANA_PROMETHEUS_URL", "http://prometheus:9090");
    }

    @Test
    void theImageIsBuiltInsideRunsAsAnotherUserAndLogsInfoToStdout() throws IOException {
        String dockerfile = Files.readString(COMPOSE_DIR.resolve("Dockerfile"));
        assertThat(dockerfile).containsPattern("FROM maven:[0-9.]+-eclipse-temurin-17 AS build")
                .containsPattern("FROM eclipse-temurin:17[0-9._]*-jre[a-z-]* AS cpu")
                .contains("COPY --from=build", "-Dlogback.configurationFile=/opt/d2c/logback.xml")
                // .git is not in the context: the lineage commit comes in as a build argument
                .contains("ARG D2C_COMMIT", "-Dd2c.commit=\"$D2C_COMMIT\"")
                .contains("COPY native/mkl-intel-path/mkl_intel_path.c", "-nostdlib")
                // the fused optimizer kernels give the ops' bits only with every multiply and add rounded alone
                .contains("COPY native/fused-optimizer/fused_optimizer.c", "-ffp-contract=off")
                .doesNotContain("COPY app/target");
        for (String stage : dockerfile.split("\nFROM ")) {
            if (stage.contains(" AS cpu")) {
                // the image preloads what ./d2c preloads on AMD, built from the same source
                assertThat(stage).contains("LD_PRELOAD=/opt/d2c/libd2c-mkl-intel-path.so",
                        "COPY --from=native /libd2c-mkl-intel-path.so /opt/d2c/libd2c-mkl-intel-path.so",
                        "D2C_FUSED_OPTIMIZER=/opt/d2c/libd2c-fused-optimizer.so",
                        "COPY --from=native /libd2c-fused-optimizer.so /opt/d2c/libd2c-fused-optimizer.so");
            }
            if (stage.contains(" AS cpu") || stage.contains(" AS gpu")) {
                assertThat(stage).as(stage.lines().findFirst().orElse("")).containsPattern("\nUSER d2c\n")
                        .contains("COPY compose/logback-container.xml /opt/d2c/logback.xml");
            }
        }
        String logback = Files.readString(COMPOSE_DIR.resolve("logback-container.xml"));
        assertThat(logback).contains("<target>System.out</target>", "<root level=\"INFO\">")
                .doesNotContain("FileAppender").doesNotContain("ThresholdFilter");
        // the same logger levels as the jar's own configuration
        assertThat(loggers(logback)).isEqualTo(loggers(Files.readString(Path.of("..", "app", "src", "main",
                "resources", "logback.xml"))));
        List<String> ignored = Files.readAllLines(Path.of("..", ".dockerignore"));
        assertThat(ignored).contains("**/target/", ".git/", "compose/.env");
    }

    private static Set<String> loggers(String xml) {
        Matcher m = Pattern.compile("<logger name=\"[^\"]+\" level=\"[A-Z]+\"/>").matcher(xml);
        Set<String> out = new HashSet<>();
        while (m.find()) {
            out.add(m.group());
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** Debian's docker-compose (v1.29) validates the file; skipped, visibly, where it is not installed. */
    @Test
    void aRealComposeImplementationAcceptsTheFile() throws Exception {
        Path binary = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "docker-compose")).filter(Files::isExecutable).findFirst().orElse(null);
        // ./d2c test installs docker-compose and sets D2C_REQUIRE_COMPOSE=1: then a missing binary fails.
        if (binary == null && "1".equals(System.getenv("D2C_REQUIRE_COMPOSE"))) {
            throw new AssertionError("docker-compose is not installed and D2C_REQUIRE_COMPOSE=1"
                    + " (apt-get install docker-compose, or ./d2c test installs it)");
        }
        Assumptions.assumeTrue(binary != null,
                "docker-compose is not installed (apt-get install docker-compose): config -q not run");
        Process p = new ProcessBuilder(binary.toString(), "-f", "docker-compose.yml", "--env-file", ".env.example",
                "config", "-q").directory(COMPOSE_DIR.toFile()).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes());
        }
        assertThat(p.waitFor()).as("docker-compose config -q:\n" + out).isZero();
    }

    @Test
    void apiAndWorkersReadOnlyVariablesTheJarsKnowAndGetAllTheyNeed() {
        Set<String> known = new HashSet<>(D2cConfig.ENV_NAMES.values());
        known.addAll(METRICS_NAMES_OF_PART_3);
        for (String name : List.of("api", "worker-gpu0")) {
            Set<String> d2c = new HashSet<>();
            environment(name).keySet().stream().filter(k -> k.startsWith("D2C_")).forEach(d2c::add);
            assertThat(known).as(name + ": D2C_* names D2cConfig reads").containsAll(d2c);
            assertThat(d2c).as(name).contains("D2C_TEMPORAL_ADDRESS", "D2C_JDBC_URL", "D2C_JDBC_USER",
                    "D2C_JDBC_PASSWORD", "D2C_S3_ENDPOINT", "D2C_S3_ACCESS_KEY", "D2C_S3_SECRET_KEY", "D2C_S3_BUCKET");
        }
        assertThat(environment("api")).containsKeys("D2C_API_HOST", "D2C_API_PORT");
    }

    @Test
    void secretsComeFromVariablesAndHostPortsBindLoopback() {
        for (String name : services.keySet()) {
            environment(name).forEach((key, value) -> {
                if (key.matches(".*(PASSWORD|PWD|SECRET).*")) {
                    assertThat(String.valueOf(value)).as(name + " " + key).startsWith("${");
                }
            });
            Object ports = service(name).get("ports");
            if (ports != null) {
                for (Object port : (List<?>) ports) {
                    assertThat(String.valueOf(port)).as(name + " port").startsWith("127.0.0.1:");
                }
            }
        }
    }

    @Test
    void theExampleEnvFileDefinesEveryRequiredVariable() throws IOException {
        String compose = Files.readString(COMPOSE_DIR.resolve("docker-compose.yml"));
        Set<String> required = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(compose);
        while (m.find()) {
            required.add(m.group(1));
        }
        assertThat(required).isNotEmpty();
        Set<String> defined = new HashSet<>();
        for (String line : Files.readAllLines(COMPOSE_DIR.resolve(".env.example"))) {
            if (line.contains("=") && !line.startsWith("#")) {
                defined.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        assertThat(defined).containsAll(required);
    }

    @Test
    @SuppressWarnings("unchecked")
    void mountsAndBuildsExistAndGrafanaGetsWhatItsProvisioningReads() throws IOException {
        Set<String> namedVolumes = ((Map<String, Object>) file.get("volumes")).keySet();
        for (String name : services.keySet()) {
            Object volumes = service(name).get("volumes");
            for (Object v : volumes == null ? List.of() : (List<?>) volumes) {
                String source = String.valueOf(v).split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(COMPOSE_DIR.resolve(source)).as(name + " mounts " + source).exists();
                } else {
                    assertThat(namedVolumes).as(name + " volume").contains(source);
                }
            }
            Object build = service(name).get("build");
            if (build != null) {
                Map<String, Object> b = (Map<String, Object>) build;
                Path dockerfile = COMPOSE_DIR.resolve(String.valueOf(b.get("context")))
                        .resolve(String.valueOf(b.get("dockerfile")));
                assertThat(dockerfile).as(name + " Dockerfile").exists();
                assertThat(Files.readString(dockerfile)).contains(" AS " + b.get("target"));
                assertThat(String.valueOf(b.get("args"))).as(name + " build args").contains("D2C_COMMIT");
            }
        }
        String datasource = Files.readString(Path.of("..", "dashboards", "provisioning", "datasources",
                "d2c-postgres.yaml"));
        Matcher m = VARIABLE.matcher(datasource);
        while (m.find()) {
            assertThat(environment("grafana")).as("grafana sets " + m.group(1)).containsKey(m.group(1));
        }
    }
}
