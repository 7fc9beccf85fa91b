package lab.d2c.app.cli;

import lab.d2c.api.report.ReportTable;
import lab.d2c.api.report.SweepReport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.setup.AptInstall;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.model.data.FashionMnist;
import lab.d2c.workflows.spec.BundledSweeps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start local mode, launch the bundled quick sweep, follow it, and say where to look.",
                "Uses Fashion-MNIST from Debian's dataset-fashion-mnist package, installed with apt when missing (as root or",
                "with passwordless sudo); where that is impossible, the default sweep falls back to the procedural shapes set."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--sweep", description = "Bundled sweep to run: demo (Fashion-MNIST, quick: MAR, D2C, discrete-only and RDPM arms), smoke (shapes), tokenizers (the full tiny schedule, over an hour on 2 cores), stage1 (the README stage-one figures, ~15 min after a demo), fusions (the five fusion kinds on stage1's tokens, ~35 min after stage1) full (the paper's Tables 1-3 and the fidelity switches, 33 arms, ~8 h on 2 cores) curves (Figure 4: FID over AR steps and guidance, ~2 h after a demo) rdpm-tokenizer (RDPM's tokenizer test PSNR for T = 2, 5, 10 with and without gamma weighting; 4 tokenizers of 2000 steps) rdpm (RDPM's ablations: T, gamma, schedules, CFG, Gumbel; 12 arms, several hours), paper (the paper's comparisons with discrete-only, MAR, three D2C fusions, DisCon and RDPM on all of Fashion-MNIST, 7 arms x 3 seeds, 1000 samples each; about 2 h 45 min on 2 cores, RESULTS.md) or rdpm-paper (RDPM's Table 3 sampling ladder and Table 4 schedules at the paper sweep's scale, 8 arms, RESULTS.md).")
    String sweep;

    @Option(names = "--node-slots", defaultValue = "0", description = "Nodes the in-process worker runs at once, the cores split between them;"
            + " 0 (default): 2 on a machine with 2 or more cores, else 1 (BENCHMARKS.md, node slots).")
    int nodeSlots;

    @Option(names = "--exit", description = "Stop the stack and exit when the sweep ends (default: stay up for browsing).")
    boolean exit;

    /** Debian's package that puts Fashion-MNIST in {@link FashionMnist#DEBIAN_DIR}. */
    static final String DATASET_PACKAGE = "dataset-fashion-mnist";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        String name = chooseSweep(sweep, FashionMnist.DEBIAN_DIR, AptInstall.system(System.out, "d2c demo"), System.out);
        LocalRuntime rt = LocalRuntime.start(config.load(), true, LocalNodeSlots.resolve(nodeSlots), System.out);
        try {
            SweepService.Submitted s = rt.sweeps().submit(BundledSweeps.read(name));
            System.out.println("d2c demo: launched sweep " + s.sweepId() + " (" + s.experimentIds().size() + " arms)");
            ApiClient api = new ApiClient(rt.api().baseUrl());
            JsonNode end = SweepWatch.follow(api, s.sweepId());
            SweepWatch.printSummary(end, System.out);
            String base = rt.api().baseUrl() + "/api/v1";
            JsonNode report = api.get("/api/v1/sweeps/" + s.sweepId() + "/report");
            System.out.println();
            System.out.println("Ablation table (mean ± std over seeds; metrics named after their feature extractor):");
            System.out.print(ReportTable.render(JSON.treeToValue(report, SweepReport.class)));
            System.out.println();
            System.out.println("Where to look:");
            System.out.println("  open " + rt.api().baseUrl() + "/ui/sweep.html?id=" + s.sweepId()
                    + "   (table, graphs, curves, samples; cancel/resume need the api token)");
            System.out.println("  curl " + base + "/sweeps/" + s.sweepId() + "/report      (and /report.csv)");
            System.out.println("  curl " + base + "/sweeps/" + s.sweepId());
            System.out.println("  curl " + base + "/experiments/" + s.experimentIds().get(0));
            System.out.println("  ./d2c sweep status " + s.sweepId());
            if (exit) {
                return "SUCCEEDED".equals(end.path("status").asText()) ? 0 : 1;
            }
            System.out.println("The stack stays up for browsing. Ctrl-C stops it.");
            LocalCommand.awaitShutdown(rt);
            return 0;
        } finally {
            if (exit) {
                rt.close();
            }
        }
    }

    /**
     * The sweep to run, after getting Fashion-MNIST when the sweep needs it: present, or installed now
     * (root or passwordless sudo), the requested sweep; impossible, the default falls back to 'smoke'
     * on procedural shapes, saying why and the command that fixes it, while a named sweep is an error.
     */
    static String chooseSweep(String requested, Path dataDir, AptInstall apt, PrintStream out)
            throws IOException, InterruptedException {
        String name = requested == null ? "demo" : requested;
        if (!BundledSweeps.read(name).contains("fashion-mnist") || Files.isDirectory(dataDir)) {
            return name;
        }
        AptInstall.Outcome o = apt.ensure(List.of(AptInstall.Need.probe(DATASET_PACKAGE,
                "the demo's real data set", "test", "-d", dataDir.toString())));
        if (o.ok()) {
            return name;
        }
        String why = "Fashion-MNIST is not installed and cannot be installed here: " + o.reason();
        if (requested != null) {
            throw CliError.failure("d2c demo: the '" + name + "' sweep needs Fashion-MNIST. " + why
                    + ". To fix: " + o.fix());
        }
        out.println("d2c demo: " + why + "; running the 'smoke' sweep on procedural shapes instead."
                + " To run the real ablation: " + o.fix() + ", then ./d2c demo");
        return "smoke";
    }
}
