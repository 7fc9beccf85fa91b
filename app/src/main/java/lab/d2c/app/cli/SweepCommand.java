package lab.d2c.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import lab.d2c.api.http.ApiToken;
import lab.d2c.api.report.ReportCsv;
import lab.d2c.api.report.ReportTable;
import lab.d2c.api.report.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "sweep", mixinStandardHelpOptions = true, description = "Launch and follow sweeps through the API.",
        subcommands = {SweepCommand.Run.class, SweepCommand.StatusCmd.class, SweepCommand.ReportCmd.class,
                SweepCommand.PlotsCmd.class})
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

        @Option(names = "--api", description = "API base URL (default $D2C_API_URL or http://127.0.0.1:7070).")
        String api = defaultApi();

        @Option(names = "--detach", description = "Return once launched instead of following the sweep.")
        boolean detach;

        @Option(names = "--token", description = "The API's bearer token (default $D2C_API_TOKEN, or the api-token"
                + " file of the data dir).")
        String token;

        @picocli.CommandLine.Mixin
        ConfigOptions config;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (!Files.isRegularFile(file)) {
                throw CliError.usage("no such file: " + file);
            }
            ApiClient client = new ApiClient(api, token != null ? token
                    : ApiToken.forClient(config.load()).orElse(null));
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
}
