package lab.d2c.api.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import lab.d2c.store.artifact.S3Settings;
import lab.d2c.store.db.DatabaseSettings;
import lab.d2c.store.embedded.Loopback;

/**
 * Where every component of the stack lives. One record, read from (lowest to highest
 * precedence) built-in defaults, a YAML config file ({@code $D2C_CONFIG} or
 * {@code <data dir>/config.yaml}), and {@code D2C_*} environment variables. The same names
 * are used by compose/ and by {@code ./d2c local}; a value left empty in local mode means
 * "start the embedded server".
 *
 * @param dataDir            where local mode keeps PostgreSQL, S3 objects and the API token
 * @param temporalAddress    host:port of the Temporal frontend; empty = embedded
 * @param temporalNamespace  Temporal namespace
 * @param taskQueue          the task queue workers poll
 * @param jdbcUrl            JDBC URL of PostgreSQL; empty = embedded
 * @param jdbcUser           database user; empty in local mode = the embedded server's application role
 * @param jdbcPassword       database password; empty in local mode = the one kept in the data dir
 * @param s3Endpoint         S3 endpoint URL; empty = embedded
 * @param s3AccessKey        S3 access key; empty in local mode = the one kept in the data dir
 * @param s3SecretKey        S3 secret key; empty in local mode = the one kept in the data dir
 * @param s3Bucket           bucket for artifacts and checkpoints
 * @param s3Region           S3 region
 * @param apiHost            address the API binds
 * @param apiPort            port the API binds
 * @param embeddedPgPort     port of the embedded PostgreSQL
 * @param embeddedS3Port     port of the embedded S3 server
 * @param embeddedTemporalPort port of the embedded Temporal service
 * @param apiToken           bearer token of the API's mutating routes; empty = the one kept in
 *                           {@code <data dir>/api-token} (created at the first start)
 * @param nodeHeartbeatS     seconds without a heartbeat after which Temporal takes a node's worker
 *                           for dead and retries the node elsewhere (5..3600; default 60)
 * @param embeddedHost       address the embedded PostgreSQL, S3 and Temporal servers bind (default
 *                           127.0.0.1: only this machine reaches them)
 * @param apiAllowedHosts    comma-separated host names the API answers to (the Host header, port
 *                           ignored); empty = localhost, 127.0.0.1 and [::1] when the API binds a
 *                           loopback address, any name otherwise. Stops DNS-rebinding pages.
 * @param fileRoots          comma-separated folders a worker may read files from when a spec names
 *                           a path ({@code data.path}, {@code eval.inception_file}); empty =
 *                           {@code /usr/share/datasets} and {@code <data dir>/files}
 * @param webhookUrl         http(s) URL told with a POST when a sweep or an experiment ends; empty = none
 */
public record D2cConfig(
        Path dataDir,
        String temporalAddress,
        String temporalNamespace,
        String taskQueue,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Bucket,
        String s3Region,
        String apiHost,
        int apiPort,
        int embeddedPgPort,
        int embeddedS3Port,
        int embeddedTemporalPort,
        String apiToken,
        int nodeHeartbeatS,
        String embeddedHost,
        String apiAllowedHosts,
        String fileRoots,
        String webhookUrl) {

    /** Environment variable name for each setting; also the keys of the YAML file (lower-case, without the prefix). */
    public static final Map<String, String> ENV_NAMES = envNames();

    private static Map<String, String> envNames() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : new String[] {"data_dir", "temporal_address", "temporal_namespace", "task_queue",
                "jdbc_url", "jdbc_user", "jdbc_password", "s3_endpoint", "s3_access_key", "s3_secret_key",
                "s3_bucket", "s3_region", "api_host", "api_port", "embedded_pg_port", "embedded_s3_port",
                "embedded_temporal_port", "api_token", "node_heartbeat_s", "embedded_host", "api_allowed_hosts",
                "file_roots", "webhook_url"}) {
            m.put(k, "D2C_" + k.toUpperCase());
        }
        return Map.copyOf(m);
    }

    /** Reads the configuration from the process environment. */
    public static D2cConfig fromEnvironment() {
        return load(System.getenv(), Optional.empty());
    }

    /**
     * Resolves the configuration.
     *
     * @param env          environment variables (D2C_*)
     * @param dataDirOverride a data dir given on the command line; wins over everything
     */
    public static D2cConfig load(Map<String, String> env, Optional<Path> dataDirOverride) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("data_dir", Path.of(System.getProperty("user.home"), ".d2c").toString());
        values.put("temporal_address", "");
        values.put("temporal_namespace", "default");
        values.put("task_queue", "d2c");
        values.put("jdbc_url", "");
        // no default user, password or S3 keys: local mode fills them from the secrets it keeps in the data dir
        values.put("jdbc_user", "");
        values.put("jdbc_password", "");
        values.put("s3_endpoint", "");
        values.put("s3_access_key", "");
        values.put("s3_secret_key", "");
        values.put("s3_bucket", "d2c");
        values.put("s3_region", "us-east-1");
        values.put("api_host", "127.0.0.1");
        values.put("api_port", "7070");
        values.put("embedded_pg_port", "54329");
        values.put("embedded_s3_port", "9900");
        values.put("embedded_temporal_port", "7233");
        values.put("api_token", "");
        values.put("node_heartbeat_s", "60");
        values.put("embedded_host", "127.0.0.1");
        values.put("api_allowed_hosts", "");
        values.put("file_roots", "");
        values.put("webhook_url", "");

        String dataDirEnv = env.get(ENV_NAMES.get("data_dir"));
        Path dataDir = dataDirOverride.orElse(Path.of(dataDirEnv != null && !dataDirEnv.isBlank()
                ? dataDirEnv : values.get("data_dir")));
        String configFile = env.get("D2C_CONFIG");
        Path file = configFile != null && !configFile.isBlank() ? Path.of(configFile) : dataDir.resolve("config.yaml");
        if (Files.isRegularFile(file)) {
            readFile(file, values);
        }
        for (Map.Entry<String, String> e : ENV_NAMES.entrySet()) {
            String v = env.get(e.getValue());
            if (v != null) {
                values.put(e.getKey(), v);
            }
        }
        values.put("data_dir", dataDirOverride.map(Path::toString).orElse(values.get("data_dir")));
        return new D2cConfig(
                Path.of(values.get("data_dir")).toAbsolutePath(),
                values.get("temporal_address"), values.get("temporal_namespace"), values.get("task_queue"),
                values.get("jdbc_url"), values.get("jdbc_user"), values.get("jdbc_password"),
                values.get("s3_endpoint"), values.get("s3_access_key"), values.get("s3_secret_key"),
                values.get("s3_bucket"), values.get("s3_region"),
                values.get("api_host"), port(values, "api_port"),
                port(values, "embedded_pg_port"), port(values, "embedded_s3_port"),
                port(values, "embedded_temporal_port"), values.get("api_token"),
                intIn(values, "node_heartbeat_s", 5, 3600), required(values, "embedded_host"),
                values.get("api_allowed_hosts"), values.get("file_roots"), webhookUrl(values));
    }

    /** Checked at start, not at the first sweep's end: an absolute http or https URL, or empty. */
    private static String webhookUrl(Map<String, String> values) {
        String v = values.get("webhook_url").strip();
        if (v.isEmpty()) {
            return v;
        }
        try {
            java.net.URI uri = new java.net.URI(v);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new java.net.URISyntaxException(v, "not an absolute http or https URL");
            }
            return v;
        } catch (java.net.URISyntaxException e) {
            // the URL itself is not printed: webhook URLs often carry a secret in their path
            throw new IllegalArgumentException(ENV_NAMES.get("webhook_url") + ": expected an absolute http or https URL");
        }
    }

    private static String required(Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(ENV_NAMES.get(key) + ": must not be empty");
        }
        return v.strip();
    }

    private static int intIn(Map<String, String> values, String key, int min, int max) {
        String v = values.get(key);
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_NAMES.get(key) + ": expected an integer in [" + min + ", " + max
                    + "], got '" + v + "'");
        }
    }

    private static int port(Map<String, String> values, String key) {
        String v = values.get(key);
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_NAMES.get(key) + ": not a port number: '" + v + "'");
        }
    }

    private static void readFile(Path file, Map<String, String> values) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            if (root == null || root.isNull() || root.isMissingNode()) {
                return;
            }
            if (!root.isObject()) {
                throw new IllegalArgumentException(file + ": expected a mapping of settings");
            }
            var it = root.fields();
            while (it.hasNext()) {
                var e = it.next();
                if (!ENV_NAMES.containsKey(e.getKey())) {
                    throw new IllegalArgumentException(file + ": " + e.getKey() + ": unknown setting; known: "
                            + String.join(", ", ENV_NAMES.keySet()));
                }
                values.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file, e);
        }
    }

    /** True when Temporal, PostgreSQL and S3 are all external (nothing to embed). */
    public boolean allExternal() {
        return !temporalAddress.isBlank() && !jdbcUrl.isBlank() && !s3Endpoint.isBlank();
    }

    /** Returns a copy with the given endpoints filled in (used once the embedded servers are up). */
    public D2cConfig withEndpoints(String temporal, String jdbc, String s3) {
        return new D2cConfig(dataDir, temporal, temporalNamespace, taskQueue, jdbc, jdbcUser, jdbcPassword, s3,
                s3AccessKey, s3SecretKey, s3Bucket, s3Region, apiHost, apiPort, embeddedPgPort, embeddedS3Port,
                embeddedTemporalPort, apiToken, nodeHeartbeatS, embeddedHost, apiAllowedHosts, fileRoots, webhookUrl);
    }

    /**
     * The D2C_* variables that point another process (a {@code ./d2c worker}) at this configuration's
     * endpoints, queue and data directory, with the same heartbeat timeout.
     */
    public Map<String, String> processEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("D2C_DATA_DIR", dataDir.toString());
        env.put("D2C_TEMPORAL_ADDRESS", temporalAddress);
        env.put("D2C_JDBC_URL", jdbcUrl);
        env.put("D2C_S3_ENDPOINT", s3Endpoint);
        env.put("D2C_TASK_QUEUE", taskQueue);
        env.put("D2C_S3_ACCESS_KEY", s3AccessKey);
        env.put("D2C_S3_SECRET_KEY", s3SecretKey);
        env.put("D2C_NODE_HEARTBEAT_S", String.valueOf(nodeHeartbeatS));
        env.put("D2C_JDBC_USER", jdbcUser);
        env.put("D2C_JDBC_PASSWORD", jdbcPassword);
        env.put("D2C_FILE_ROOTS", fileRoots);
        return env;
    }

    /** A copy with another API port (tests bind port 0). */
    public D2cConfig withApiPort(int port) {
        return new D2cConfig(dataDir, temporalAddress, temporalNamespace, taskQueue, jdbcUrl, jdbcUser, jdbcPassword,
                s3Endpoint, s3AccessKey, s3SecretKey, s3Bucket, s3Region, apiHost, port, embeddedPgPort,
                embeddedS3Port, embeddedTemporalPort, apiToken, nodeHeartbeatS, embeddedHost, apiAllowedHosts, fileRoots, webhookUrl);
    }

    /** A copy with other database and S3 credentials (local mode fills them from its data dir secrets). */
    public D2cConfig withCredentials(String jdbcUser, String jdbcPassword, String s3AccessKey, String s3SecretKey) {
        return new D2cConfig(dataDir, temporalAddress, temporalNamespace, taskQueue, jdbcUrl, jdbcUser, jdbcPassword,
                s3Endpoint, s3AccessKey, s3SecretKey, s3Bucket, s3Region, apiHost, apiPort, embeddedPgPort,
                embeddedS3Port, embeddedTemporalPort, apiToken, nodeHeartbeatS, embeddedHost, apiAllowedHosts, fileRoots, webhookUrl);
    }

    /** The folders a worker may read spec-named files from: {@link #fileRoots} or the defaults, absolute. */
    public java.util.List<Path> fileRootPaths() {
        if (fileRoots.isBlank()) {
            return java.util.List.of(Path.of("/usr/share/datasets"), dataDir.resolve("files"));
        }
        return java.util.Arrays.stream(fileRoots.split(",")).map(String::strip).filter(r -> !r.isEmpty())
                .map(r -> Path.of(r).toAbsolutePath().normalize()).toList();
    }

    /** Host names the API answers to; empty means any. */
    public java.util.List<String> allowedHostNames() {
        if (!apiAllowedHosts.isBlank()) {
            return java.util.Arrays.stream(apiAllowedHosts.split(",")).map(h -> h.strip().toLowerCase())
                    .filter(h -> !h.isEmpty()).toList();
        }
        return Loopback.isLoopback(apiHost) ? java.util.List.of("localhost", "127.0.0.1", "[::1]") : java.util.List.of();
    }

    /** Store's database settings: the JDBC URL, user and password. */
    public DatabaseSettings database() {
        return new DatabaseSettings(jdbcUrl, jdbcUser, jdbcPassword);
    }

    /** Store's S3 settings: endpoint, region, keys and bucket. */
    public S3Settings s3() {
        return new S3Settings(s3Endpoint, s3Region, s3AccessKey, s3SecretKey, s3Bucket);
    }

    /** Never prints secrets. */
    @Override
    public String toString() {
        return "D2cConfig[dataDir=" + dataDir + ", temporal=" + temporalAddress + "/" + temporalNamespace
                + ", queue=" + taskQueue + ", jdbc=" + jdbcUrl + ", s3=" + s3Endpoint + "/" + s3Bucket
                + ", api=" + apiHost + ":" + apiPort + "]";
    }
}
