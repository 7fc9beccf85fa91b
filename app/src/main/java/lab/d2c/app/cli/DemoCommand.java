package lab.d2c.app.cli;

import lab.d2c.api.report.ReportTable;
import lab.d2c.api.report.SweepReport;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.model.data.FashionMnist;
import lab.d2c.workflows.spec.BundledSweeps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start local mode, launch the bundled quick sweep, follow it, and say where to look.",
                "Uses Fashion-MNIST from Debian's dataset-fashion-mnist package; without it, the procedural shapes set."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--sweep", description = "Bundled sweep to run: demo (Fashion-MNIST, quick: MAR, D2C, discrete-only and RDPM arms), smoke (shapes), tokenizers (the full tiny schedule, over an hour on 2 cores), stage1 (the README stage-one figures, ~15 min after a demo), fusions (the five fusion kinds on stage1's tokens, ~35 min after stage1) full (the paper's Tables 1-3 and the fidelity switches, 33 arms, ~8 h on 2 cores) curves (Figure 4: FID over AR steps and guidance, ~2 h after a demo) rdpm-tokenizer (RDPM's tokenizer test PSNR for T = 2, 5, 10 with and without gamma weighting; 4 tokenizers of 2000 steps) rdpm (RDPM's ablations: T, gamma, schedules, CFG, Gumbel; 12 arms, several hours) or paper (the paper's comparisons with discrete-only, MAR, three D2C fusions, DisCon and RDPM on all of Fashion-MNIST, 7 arms x 3 seeds, 1000 samples each; ~2 h 15 min on 2 cores, estimated).")
    String sweep;

    @Option(names = "--node-slots", defaultValue = "0", description = "Nodes the in-process worker runs at once, the cores split between them;"
            + " 0 (default): 2 on a machine with 2 or more cores, else 1 (BENCHMARKS.md, node slots).")
    int nodeSlots;

    @Option(names = "--exit", description = "Stop the stack and exit when the sweep ends (default: stay up for browsing).")
    boolean exit;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Override
    public Integer call() throws InterruptedException, java.io.IOException {
        String name = sweep;
        if (name == null) {
            name = Files.isDirectory(FashionMnist.DEBIAN_DIR) ? "demo" : "smoke";
            if (name.equals("smoke")) {
                System.out.println("d2c demo: Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist);"
                        + " running the 'smoke' sweep on procedural shapes instead.");
            }
        }
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
}
