package lab.d2c.api.report.plot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import lab.d2c.api.report.ReportService;
import lab.d2c.api.report.SweepReport;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.workflows.graph.ArmGenerator;
import lab.d2c.workflows.graph.DecodeStage1Node;
import lab.d2c.workflows.graph.EvaluateNode;
import lab.d2c.workflows.graph.TrainRdpmNode;
import lab.d2c.workflows.graph.TrainStage1Node;
import lab.d2c.workflows.graph.TrainStage2Node;

/**
 * A sweep's plots by name: {@code fid-<extractor>} (FID per arm), {@code <fid metric>-vs-steps} /
 * {@code -vs-guidance} (when the sweep varies them), {@code loss} (training loss per arm) and
 * {@code samples-<n>} (the n-th arm's sample grid, arms numbered from 1 in the report's order). Rendered
 * on request from the report and the stores, so a plot shows what the table shows at that moment; only
 * sample grids are kept (by the sampling node's artifacts and title, which never change once it
 * succeeded), since they cost an S3 read.
 */
public final class PlotService {

    /** What a plot draws. */
    public static final String FID = "fid";
    public static final String FID_CURVE = "fid-curve";
    public static final String LOSS = "loss";
    public static final String SAMPLES = "samples";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CACHED_GRIDS = 64;

    /** A plot the sweep has now. */
    public record Entry(String name, String title, String kind) {
    }

    private record Planned(Entry entry, Supplier<byte[]> png) {
    }

    private final ReportService reports;
    private final NodeRepository nodes;
    private final MetricsRepository metrics;
    private final ArtifactStore artifacts;
    private final Map<String, byte[]> grids = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > CACHED_GRIDS;
        }
    });

    public PlotService(DataSource dataSource, ArtifactStore artifacts, ReportService reports) {
        this.reports = reports;
        this.artifacts = artifacts;
        this.nodes = new NodeRepository(dataSource);
        this.metrics = new MetricsRepository(dataSource);
    }

    public List<Entry> list(String sweepId) {
        return plan(sweepId).values().stream().map(Planned::entry).toList();
    }

    /** The plot's PNG; empty when the sweep has no plot of that name (yet). */
    public Optional<byte[]> render(String sweepId, String name) {
        Planned p = plan(sweepId).get(name);
        return p == null ? Optional.empty() : Optional.of(p.png().get());
    }

    /** Every plot as {@code <sweep>-plots/<name>.png} in a zip. */
    public void zip(String sweepId, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Planned p : plan(sweepId).values()) {
                zip.putNextEntry(new ZipEntry(sweepId + "-plots/" + p.entry().name() + ".png"));
                zip.write(p.png().get());
                zip.closeEntry();
            }
        }
    }

    private Map<String, Planned> plan(String sweepId) {
        SweepReport report = reports.report(sweepId);
        Map<String, List<ExperimentRecord>> arms = reports.experimentsByArm(sweepId);
        Map<String, List<LinkedNode>> linked = nodes.listBySweep(sweepId);
        Map<String, Planned> plan = new LinkedHashMap<>();
        for (String metric : FidPerArmPlot.metrics(report)) {
            put(plan, metric, metric + " per arm with its 95% interval", FID, () -> FidPerArmPlot.render(report, metric));
        }
        for (SweepReport.Curve c : report.curves()) {
            put(plan, FidCurvePlot.name(c), c.metric() + " against " + c.x(), FID_CURVE,
                    () -> FidCurvePlot.render(sweepId, c));
        }
        Map<String, List<NodeRecord>> trainers = new LinkedHashMap<>();
        for (SweepReport.Row row : report.rows()) {
            List<NodeRecord> own = new ArrayList<>();
            for (ExperimentRecord e : arms.getOrDefault(row.arm(), List.of())) {
                String kind = trainerKind(config(e));
                linked.getOrDefault(e.id(), List.of()).stream().map(LinkedNode::node)
                        .filter(n -> n.kind().equals(kind)).findFirst().ifPresent(own::add);
            }
            if (!own.isEmpty()) {
                trainers.put(row.arm(), own);
            }
        }
        if (!trainers.isEmpty()) {
            put(plan, LOSS, "Training loss (" + LossCurvePlot.METRIC + ") per arm", LOSS, () -> loss(sweepId, trainers));
        }
        for (int i = 0; i < report.rows().size(); i++) {
            SweepReport.Row row = report.rows().get(i);
            String arm = row.arm();
            for (ExperimentRecord e : arms.getOrDefault(arm, List.of())) {
                String kind = EvaluateNode.imagesKind(config(e));
                Optional<NodeRecord> images = linked.getOrDefault(e.id(), List.of()).stream().map(LinkedNode::node)
                        .filter(n -> n.kind().equals(kind) && n.status() == Status.SUCCEEDED && n.artifactKeys() != null
                                && n.artifactKeys().containsKey("samples") && n.artifactKeys().containsKey("labels"))
                        .findFirst();
                if (images.isPresent()) {
                    NodeRecord n = images.get();
                    put(plan, SAMPLES + "-" + (i + 1), "Samples of " + arm + " (seed " + e.seed() + ") by class", SAMPLES,
                            () -> grid(arm, e.seed(), n));
                    break;
                }
            }
        }
        return plan;
    }

    private static void put(Map<String, Planned> plan, String name, String title, String kind, Supplier<byte[]> png) {
        plan.put(name, new Planned(new Entry(name, title, kind), png));
    }

    /**
     * The generator's trainer, whose loss says how far the arm's model was trained: RDPM's predictor, stage
     * one for the discrete-only baseline (it scores stage one's decoded tokens), else stage two.
     */
    static String trainerKind(ObjectNode config) {
        if (ArmGenerator.rdpm(config)) {
            return TrainRdpmNode.KIND;
        }
        return EvaluateNode.imagesKind(config).equals(DecodeStage1Node.KIND) ? TrainStage1Node.KIND : TrainStage2Node.KIND;
    }

    private byte[] loss(String sweepId, Map<String, List<NodeRecord>> trainers) {
        Map<String, Map<Long, Double>> curves = new LinkedHashMap<>();
        Set<String> kinds = new LinkedHashSet<>();
        int most = 0;
        for (Map.Entry<String, List<NodeRecord>> arm : trainers.entrySet()) {
            List<Map<Long, Double>> seeds = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            for (NodeRecord n : arm.getValue()) {
                if (!seen.add(n.key())) {
                    continue; // seeds sharing one trainer (a cache hit) count once
                }
                kinds.add(n.kind());
                Map<Long, Double> s = new TreeMap<>();
                for (MetricPoint p : metrics.series(n.key(), LossCurvePlot.METRIC)) {
                    s.put(p.step(), p.value());
                }
                if (!s.isEmpty()) {
                    seeds.add(s);
                }
            }
            most = Math.max(most, seeds.size());
            curves.put(arm.getKey(), LossCurvePlot.meanOverSeeds(seeds));
        }
        return LossCurvePlot.render(sweepId, curves, List.copyOf(kinds),
                most > 1 ? "mean over seeds at common steps" : "one seed");
    }

    private byte[] grid(String arm, long seed, NodeRecord node) {
        String samples = node.artifactKeys().get("samples");
        String labels = node.artifactKeys().get("labels");
        String cacheKey = samples + "|" + labels + "|" + arm + "|" + seed;
        byte[] cached = grids.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        try {
            int[] l;
            try (InputStream in = artifacts.get(labels)) {
                l = NpyArrays.readLabels(in);
            }
            int classes = Math.min(SampleGridPlot.CLASSES, java.util.Arrays.stream(l).max().orElse(-1) + 1);
            SampleGridPlot.Grid g;
            try (InputStream in = artifacts.get(samples)) {
                g = NpyArrays.select(in, l, Math.max(classes, 1), SampleGridPlot.PER_CLASS);
            }
            byte[] png = SampleGridPlot.render(g, arm + " (seed " + seed + ")", subtitle(g, node.kind(), l.length),
                    shortfall(g));
            grids.put(cacheKey, png);
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the samples of " + node.key(), e);
        }
    }

    /** What the grid holds. */
    static String subtitle(SampleGridPlot.Grid g, String kind, int total) {
        return g.byClass().size() + " classes x " + SampleGridPlot.PER_CLASS + " samples from the " + kind + " node ("
                + total + " written)";
    }

    /** What the grid lacks, admitted in its title: fewer than 10 classes, or fewer than 10 of some class. */
    static String shortfall(SampleGridPlot.Grid g) {
        List<String> lacks = new ArrayList<>();
        if (g.byClass().size() < SampleGridPlot.CLASSES) {
            lacks.add("only " + g.byClass().size() + (g.byClass().size() == 1 ? " class" : " classes"));
        }
        if (g.fewest() < SampleGridPlot.PER_CLASS) {
            lacks.add("as few as " + g.fewest() + " per class");
        }
        return lacks.isEmpty() ? "" : "The sampler wrote " + String.join(", ", lacks) + " (grey: no sample)";
    }

    private static ObjectNode config(ExperimentRecord e) {
        try {
            return (ObjectNode) JSON.readTree(e.configJson());
        } catch (JsonProcessingException | ClassCastException ex) {
            throw new IllegalStateException("experiment " + e.id() + " has an unreadable config", ex);
        }
    }
}
