package lab.d2c.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Docker cannot run here, so {@code compose/docker-compose.yml} is checked as a file: the services a
 * deployment needs, pinned images, health checks, scalable GPU workers, host ports on 127.0.0.1,
 * secrets only from variables, mounts that exist, and D2C_* names that the jars actually read
 * ({@link D2cConfig#ENV_NAMES}). SnakeYAML resolves the file's anchors and merge keys as compose does.
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

    @Test
    void theWholeStackIsThere() {
        assertThat(services).containsKeys("postgres", "temporal", "temporal-ui", "minio", "grafana", "api", "worker");
    }

    @Test
    void everyImageIsPinnedAndEveryServerHasAHealthCheck() {
        for (String name : services.keySet()) {
            String image = String.valueOf(service(name).get("image"));
            assertThat(image).as(name + " image").contains(":").doesNotEndWith(":latest");
        }
        for (String name : List.of("postgres", "temporal", "minio", "grafana", "api")) {
            assertThat(service(name)).as(name).containsKey("healthcheck");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void workersScaleAndReserveAGpu() {
        Map<String, Object> worker = service("worker");
        // --scale worker=N needs no fixed container name and no host port
        assertThat(worker).doesNotContainKeys("container_name", "ports");
        Map<String, Object> resources = (Map<String, Object>) ((Map<String, Object>) worker.get("deploy")).get("resources");
        List<Map<String, Object>> devices = (List<Map<String, Object>>) ((Map<String, Object>) resources
                .get("reservations")).get("devices");
        assertThat(devices).singleElement().satisfies(d -> {
            assertThat(d.get("driver")).isEqualTo("nvidia");
            assertThat((List<String>) d.get("capabilities")).contains("gpu");
        });
        assertThat((List<String>) worker.get("command")).containsSequence("--device", "gpu:0");
    }

    @Test
    void apiAndWorkersReadOnlyVariablesTheJarsKnowAndGetAllTheyNeed() {
        Set<String> known = new HashSet<>(D2cConfig.ENV_NAMES.values());
        for (String name : List.of("api", "worker")) {
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
