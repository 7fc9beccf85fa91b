package lab.d2c.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lab.d2c.api.report.ReportCsv;
import lab.d2c.api.report.ReportTable;
import lab.d2c.api.report.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", mixinStandardHelpOptions = true, description = "Launch and follow sweeps through the API.",
        subcommands = {SweepCommand.Run.class, SweepCommand.ListCmd.class, SweepCommand.StatusCmd.class,
                SweepCommand.Follow.class, SweepCommand.Cancel.class, SweepCommand.RerunFailed.class,
                SweepCommand.ReportCmd.class, SweepCommand.PlotsCmd.class, SweepCommand.Bundle.class})
public final class SweepCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static String defaultApi() {
        String env = System.getenv("D2C_API_URL");
        return env != null && !env.isBlank() ? env : "http://127.0.0.1:7070";
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Submit a sweep file (YAML or JSON) and follow it to the end.",
                    "Invalid files are rejected with one line per field error; nothing is launched."})
    static final class Run implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The sweep file.")
        Path file;

        @picocli.CommandLine.Mixin
        ApiOptions api;

        @Option(names = "--detach", description = "Return once launched instead of following the sweep.")
        boolean detach;

        @picocli.CommandLine.Mixin
        TokenOptions auth;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (!Files.isRegularFile(file)) {
                throw CliError.usage("no such file: " + file);
            }
            ApiClient client = api.writer(auth);
            String text = Files.readString(file);
            JsonNode launched = client.post("/api/v1/sweeps", text, file.toString().endsWith(".json")
                    ? "application/json" : "application/yaml");
            String id = launched.path("id").asText();
            System.out.println("launched sweep " + id + " (" + launched.path("arm_count").asInt() + " arms)");
            if (detach) {
                return 0;
            }
            JsonNode end = SweepWatch.follow(client, id);
            SweepWatch.printSummary(end, System.out);
            return "SUCCEEDED".equals(end.path("status").asText()) ? 0 : 1;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a sweep's status and its arms.")
    static final class StatusCmd implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The sweep id.")
        String id;

        @Option(names = "--api", description = "API base URL (default $D2C_API_URL or http://127.0.0.1:7070).")
        String api = defaultApi();

        @Option(names = "--json", description = "Print the API's JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode sweep = new ApiClient(api).get("/api/v1/sweeps/" + id);
            if (json) {
                System.out.println(sweep.toPrettyString());
            } else {
                SweepWatch.printSummary(sweep, System.out);
            }
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = {"Print a sweep's ablation table: rows = arms, metrics as mean +- std over seeds.",
                    "Works while the sweep runs (arms not yet scored show '-')."})
    static final class ReportCmd implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The sweep id.")
        String id;

        @Option(names = "--api", description = "API base URL (default $D2C_API_URL or http://127.0.0.1:7070).")
        String api = defaultApi();

        @Option(names = "--json", description = "Print the API's JSON (with the FID curves) instead of a table.")
        boolean json;

        @Option(names = "--csv", description = "Print the table as CSV (as GET /sweeps/{id}/report.csv).")
        boolean csv;

        @Override
        public Integer call() {
            if (json && csv) {
                throw CliError.usage("choose one of --json and --csv");
            }
            JsonNode report = new ApiClient(api).get("/api/v1/sweeps/" + id + "/report");
            SweepReport parsed;
            try {
                parsed = JSON.treeToValue(report, SweepReport.class);
            } catch (JsonProcessingException e) {
                throw CliError.failure("unexpected report from the API: " + e.getOriginalMessage());
            }
            if (json) {
                System.out.println(report.toPrettyString());
            } else if (csv) {
                System.out.print(ReportCsv.render(parsed));
            } else {
                System.out.print(ReportTable.render(parsed));
            }
            return 0;
        }
    }

    @Command(name = "plots", mixinStandardHelpOptions = true,
            description = {"Write a sweep's plots as PNG files into a folder: FID per arm with error bars, FID curves,",
                    "loss curves, one sample grid per arm (the files of GET /sweeps/{id}/plots)."})
    static final class PlotsCmd implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The sweep id.")
        String id;

        @Option(names = {"-o", "--output"}, description = "Folder to write into (default: plots-ID); created if missing.")
        Path output;

        @Option(names = "--api", description = "API base URL (default $D2C_API_URL or http://127.0.0.1:7070).")
        String api = defaultApi();

        @Override
        public Integer call() throws IOException {
            ApiClient client = new ApiClient(api);
            JsonNode listing = client.get("/api/v1/sweeps/" + id + "/plots");
            Path dir = output != null ? output : Path.of("plots-" + id);
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw CliError.usage("--output: " + dir + " exists and is not a folder");
            }
            Files.createDirectories(dir);
            int written = 0;
            for (JsonNode plot : listing.path("plots")) {
                String name = plot.path("name").asText();
                if (!name.matches("[A-Za-z0-9._-]+")) {
                    throw CliError.failure("the API listed a plot with an unusable file name: '" + name + "'");
                }
                byte[] png = client.getBytes(plot.path("url").asText());
                // written beside the target and moved, so a stopped export never leaves half a PNG
                Path target = dir.resolve(name + ".png");
                Path part = dir.resolve(name + ".png.part");
                Files.write(part, png);
                Files.move(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                System.out.println(target + "  " + plot.path("title").asText());
                written++;
            }
            System.out.println(written + " plots written to " + dir);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List sweeps, newest first, optionally only those of some statuses or with some tags.")
    static final class ListCmd implements Callable<Integer> {

        @Option(names = "--status", paramLabel = "STATUS", split = ",",
                description = "Only sweeps with any of these statuses (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED);"
                        + " repeatable or comma-separated.")
        java.util.List<String> statuses = new java.util.ArrayList<>();

        @Option(names = "--tag", paramLabel = "TAG", split = ",",
                description = "Only sweeps with all of these tags; repeatable or comma-separated.")
        java.util.List<String> tags = new java.util.ArrayList<>();

        @Option(names = "--limit", description = "At most this many (1 to 500, default 50).")
        int limit = 50;

        @Option(names = "--offset", description = "Skip this many first (default 0).")
        int offset;

        @Option(names = "--json", description = "Print the API's JSON instead of a table.")
        boolean json;

        @picocli.CommandLine.Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 500 || offset < 0) {
                throw CliError.usage("--limit must be 1 to 500 and --offset at least 0");
            }
            StringBuilder q = new StringBuilder("/api/v1/sweeps?limit=" + limit + "&offset=" + offset);
            statuses.forEach(st -> q.append("&status=").append(encode(st)));
            tags.forEach(t -> q.append("&tag=").append(encode(t)));
            JsonNode page = api.reader().get(q.toString());
            if (json) {
                System.out.println(page.toPrettyString());
                return 0;
            }
            System.out.printf("%-40s %-10s %5s  %-19s  %s%n", "id", "status", "arms", "created", "tags");
            for (JsonNode sw : page.path("sweeps")) {
                java.util.List<String> t = new java.util.ArrayList<>();
                sw.path("tags").forEach(x -> t.add(x.asText()));
                String created = sw.path("created_at").asText();
                System.out.printf("%-40s %-10s %5d  %-19s  %s%n", sw.path("id").asText(), sw.path("status").asText(),
                        sw.path("arm_count").asInt(), created.length() >= 19 ? created.substring(0, 19).replace('T', ' ')
                                : created, String.join(",", t));
            }
            int shown = page.path("sweeps").size();
            int total = page.path("total").asInt();
            if (shown < total) {
                System.out.println((offset + 1) + "-" + (offset + shown) + " of " + total + " sweeps (--offset "
                        + (offset + shown) + " for more)");
            }
            return 0;
        }
    }

    @Command(name = "follow", mixinStandardHelpOptions = true,
            description = {"Follow a sweep until it ends (progress on stderr, as 'sweep run'), then print its arms.",
                    "Exit status 0 when it SUCCEEDED, 1 when it FAILED or was CANCELLED."})
    static final class Follow implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The sweep id.")
        String id;

        @picocli.CommandLine.Mixin
        ApiOptions api;

        @Override
        public Integer call() throws InterruptedException {
            JsonNode end = SweepWatch.follow(api.reader(), id);
            SweepWatch.printSummary(end, System.out);
            return "SUCCEEDED".equals(end.path("status").asText()) ? 0 : 1;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel every unfinished arm of a sweep and the nodes no other unfinished arm needs.")
    static final class Cancel extends Actions {

        @Override
        String path(String encodedId) {
            return "/api/v1/sweeps/" + encodedId + "/cancel";
        }
    }

    @Command(name = "rerun-failed", mixinStandardHelpOptions = true,
            description = "Run a sweep's FAILED and CANCELLED arms again (finished nodes come from the cache).")
    static final class RerunFailed extends Actions {

        @Override
        String path(String encodedId) {
            return "/api/v1/sweeps/" + encodedId + "/rerun-failed";
        }
    }

    @Command(name = "bundle", mixinStandardHelpOptions = true,
            description = {"Download a sweep as one zip: report (JSON, CSV), every arm's config and lineage, metric CSVs",
                    "per node, the sample PNGs (GET /sweeps/{id}/bundle.zip)."})
    static final class Bundle implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The sweep id.")
        String id;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The zip to write (default ID-bundle.zip).")
        Path output;

        @picocli.CommandLine.Mixin
        ApiOptions api;

        @Override
        public Integer call() throws IOException {
            Path target = output != null ? output : Path.of(id + "-bundle.zip");
            long bytes = Download.toFile(api.reader(), "/api/v1/sweeps/" + encode(id) + "/bundle.zip", target);
            System.out.println("wrote " + target + " (" + bytes + " bytes)");
            return 0;
        }
    }

    /** A path segment or query value as a URL carries it. */
    static String encode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
