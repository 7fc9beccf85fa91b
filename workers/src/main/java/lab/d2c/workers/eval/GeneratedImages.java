package lab.d2c.workers.eval;

import java.io.IOException;
import java.util.Map;
import lab.d2c.model.data.ImageGrid;
import lab.d2c.model.data.Npy;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.node.NodeContext;

/**
 * The images a sampling node ({@code sample}, {@code decode-stage1}, {@code sample-rdpm}) hands to {@code evaluate}
 * and to the report's plots, written in one place so every generator family writes the same contract: roles
 * {@code samples} ({@code samples.npy}, uint8 [n, C, H, W]), {@code labels} ({@code labels.npy}, int32 [n]) and
 * {@code grid} ({@code samples.png}, a contact sheet with one class per column). {@link EvaluateExecutor} reads the
 * first two.
 */
public final class GeneratedImages {

    private GeneratedImages() {
    }

    /** Labels 0, 1, ..., classes - 1, 0, 1, ...: every class equally often, the order the contact sheet shows. */
    public static int[] cyclingLabels(int count, int classes) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes;
        }
        return labels;
    }

    /**
     * Writes the three artifacts under the node's prefix and adds their roles to {@code artifacts}.
     *
     * @param pixels uint8 [count, channels, size, size] in C order
     */
    public static void write(NodeContext ctx, Map<String, String> artifacts, byte[] pixels, int[] labels,
            int channels, int size, int classes) throws IOException {
        int count = labels.length;
        String prefix = ctx.prefix();
        ctx.write(prefix + "samples.npy", ArtifactStore.OCTET_STREAM,
                out -> Npy.writeUint8(out, pixels, count, channels, size, size));
        ctx.write(prefix + "labels.npy", ArtifactStore.OCTET_STREAM, out -> Npy.writeInt32(out, labels, count));
        ctx.write(prefix + "samples.png", "image/png",
                out -> out.write(ImageGrid.png(pixels, count, channels, size, classes)));
        artifacts.put("samples", prefix + "samples.npy");
        artifacts.put("labels", prefix + "labels.npy");
        artifacts.put("grid", prefix + "samples.png");
    }
}
