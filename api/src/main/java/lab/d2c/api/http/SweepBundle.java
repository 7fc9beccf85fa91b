package lab.d2c.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import lab.d2c.api.report.ReportCsv;
import lab.d2c.api.report.SweepReport;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.SweepRecord;

/**
 * A sweep exported as one zip, written entry by entry to the response (sample images are copied from S3
 * as streams, never held whole). Everything sits under {@code <sweep>-bundle/}:
 * <pre>
 * README.txt                            this layout
 * sweep.json, spec.yaml                 the sweep (status, tags, note, parsed spec) and the file as submitted
 * report.json, report.csv               the ablation report, as GET /sweeps/{id}/report and report.csv
 * comparisons.csv                       the pairwise FID differences (report.csv?table=comparisons)
 * experiments/&lt;id&gt;/config.json          each arm's resolved config
 * experiments/&lt;id&gt;/lineage.json         each arm and every node it asked for (config, inputs, artifacts, result)
 * metrics/&lt;node&gt;.csv                    each node's metric series (metric,step,value), once per node
 * samples/&lt;node&gt;/&lt;role&gt;.png             each PNG a node stored (sample sheets), once per node
 * </pre>
 * Nodes are shared between arms, so a node's files are written once and the lineage files name them.
 * The queries are one per arm list, one for every arm's nodes, one per node with metrics.
 */
final class SweepBundle {

    static final String README = """
            A D2C Lab sweep bundle (GET /api/v1/sweeps/{id}/bundle.zip, ./d2c sweep bundle ID).
            sweep.json                   the sweep: status, tags, note, parsed spec
            spec.yaml                    the sweep file as submitted
            report.json, report.csv      the ablation table (rows = arms, metrics over seeds)
            comparisons.csv              pairwise FID differences with bootstrap intervals
            experiments/ID/config.json   an arm's resolved config
            experiments/ID/lineage.json  an arm and every node it asked for (config, inputs, artifacts, result)
            metrics/NODE.csv             a node's metric series: metric,step,value
            samples/NODE/ROLE.png        the images a node stored
            """;

    private final ExperimentRepository experiments;
    private final NodeRepository nodes;
    private final MetricsRepository metrics;
    private final ArtifactStore artifacts;

    SweepBundle(ExperimentRepository experiments, NodeRepository nodes, MetricsRepository metrics,
            ArtifactStore artifacts) {
        this.experiments = experiments;
        this.nodes = nodes;
        this.metrics = metrics;
        this.artifacts = artifacts;
    }

    /** Writes the zip of {@code sweep}, whose report was computed before the response started. */
    void write(SweepRecord sweep, SweepReport report, OutputStream out) throws IOException {
        String root = sweep.id() + "-bundle/";
        List<ExperimentRecord> arms = experiments.listBySweep(sweep.id());
        Map<String, List<LinkedNode>> linked = nodes.listBySweep(sweep.id());
        ZipOutputStream zip = new ZipOutputStream(out);
        text(zip, root + "README.txt", README);
        com.fasterxml.jackson.databind.node.ObjectNode summary = Views.sweepSummary(sweep);
        summary.set("spec", Views.parse(sweep.specJson()));
        json(zip, root + "sweep.json", summary);
        text(zip, root + "spec.yaml", sweep.specText());
        json(zip, root + "report.json", report);
        text(zip, root + "report.csv", ReportCsv.render(report));
        text(zip, root + "comparisons.csv", ReportCsv.renderComparisons(report));
        Map<String, NodeRecord> distinct = new LinkedHashMap<>();
        for (ExperimentRecord e : arms) {
            List<LinkedNode> ofArm = linked.getOrDefault(e.id(), List.of());
            String dir = root + "experiments/" + e.id() + "/";
            json(zip, dir + "config.json", Views.parse(e.configJson()));
            json(zip, dir + "lineage.json", Views.lineage(e, ofArm));
            ofArm.forEach(n -> distinct.putIfAbsent(n.node().key(), n.node()));
        }
        for (NodeRecord n : distinct.values()) {
            Map<String, List<MetricPoint>> series = metrics.series(n.key());
            if (!series.isEmpty()) {
                text(zip, root + "metrics/" + n.key() + ".csv", MetricsCsv.render(series));
            }
        }
        for (NodeRecord n : distinct.values()) {
            if (n.artifactKeys() == null) {
                continue;
            }
            for (Map.Entry<String, String> a : n.artifactKeys().entrySet()) {
                if (a.getValue().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                    copy(zip, root + "samples/" + n.key() + "/" + safe(a.getKey()) + ".png", a.getValue());
                }
            }
        }
        zip.finish();
        zip.flush();
    }

    /** A role name as a file name: what the artifact map says, with anything odd replaced. */
    private static String safe(String role) {
        return role.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void text(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static void json(ZipOutputStream zip, String name, Object value) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        // the zip stays open: the generator must not close the stream it writes to
        ApiServer.JSON.writerWithDefaultPrettyPrinter().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(zip, value);
        zip.closeEntry();
    }

    /** Streams an object into the zip; one a node names but the store lost is left out, not a failed export. */
    private void copy(ZipOutputStream zip, String name, String key) throws IOException {
        Optional<ArtifactStore.OpenedArtifact> opened = artifacts.open(key);
        if (opened.isEmpty()) {
            return;
        }
        try (ArtifactStore.OpenedArtifact a = opened.get(); InputStream in = a.content()) {
            zip.putNextEntry(new ZipEntry(name));
            in.transferTo(zip);
            zip.closeEntry();
        }
    }
}
