package lab.d2c.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import lab.d2c.model.classifier.ClassifierConfig;
import lab.d2c.model.classifier.ImageClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors export read outside Java: the tiny dataset classifier's weights, written as the
 * {@code train-classifier} node writes them, loaded by PyTorch (Debian's python3-torch) in
 * {@code io/classifier_forward.py}, which parses the format itself and runs its own forward pass on the
 * same images; features and logits must equal DJL's within 1e-4.
 */
class ClassifierTorchForwardTest {

    @TempDir
    Path dir;

    @Test
    void pytorchForwardOfTheExportedWeightsMatchesDjl() throws Exception {
        String python = pythonWithTorch();
        boolean torch = python != null;
        // ./d2c test installs python3-torch and sets this: there the check must run, not skip
        if ("1".equals(System.getenv("D2C_REQUIRE_TORCH"))) {
            assertThat(torch).as("D2C_REQUIRE_TORCH=1 but neither python3 on the PATH nor /usr/bin/python3 can "
                    + "import torch (sudo apt-get install -y python3-torch)").isTrue();
        }
        assumeTrue(torch, "python3 with torch is not installed (Debian: apt-get install python3-torch; "
                + "./d2c test installs it), so the PyTorch forward pass cannot run");

        ClassifierConfig config = ClassifierConfig.tiny(10);
        ImageClassifier model = new ImageClassifier(config);
        Random random = new Random(27);
        int batch = 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, model.initShapes());
            // every tensor away from its initial value (GroupNorm's gamma 1 and beta 0, zero biases), so a
            // swapped or misnamed tensor changes the PyTorch side's outputs
            for (BlockTensors.Named n : BlockTensors.names(model)) {
                n.parameter().getArray().set(values(n, random));
            }
            float[] pixels = new float[batch * config.imageChannels() * config.imageSize() * config.imageSize()];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = random.nextFloat() * 2 - 1;
            }
            long[] imageShape = {batch, config.imageChannels(), config.imageSize(), config.imageSize()};
            NDList out = model.predict(manager.create(pixels, new Shape(imageShape)));
            float[] features = out.get(0).toFloatArray();
            float[] logits = out.get(1).toFloatArray();

            Path weights = dir.resolve("weights.safetensors");
            try (OutputStream o = Files.newOutputStream(weights)) {
                Safetensors.write(o, BlockTensors.tensors(model), Map.of("format", "pt"));
            }
            Path io = dir.resolve("io.safetensors");
            try (OutputStream o = Files.newOutputStream(io)) {
                Safetensors.write(o, List.of(Safetensors.Tensor.f32("images", imageShape, pixels),
                        Safetensors.Tensor.f32("features", new long[] {batch, config.featureDim()}, features),
                        Safetensors.Tensor.f32("logits", new long[] {batch, config.numClasses()}, logits)), Map.of());
            }
            Path script = dir.resolve("classifier_forward.py");
            try (InputStream in = getClass().getResourceAsStream("/io/classifier_forward.py")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Process p = new ProcessBuilder(python, script.toString(), weights.toString(), io.toString())
                    .redirectErrorStream(true).start();
            String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(printed).isTrue();
            assertThat(p.exitValue()).as(printed).isZero();
            // the script compared real outputs, not empty ones
            assertThat(printed).contains("features: shape [4, 128]").contains("logits: shape [4, 10]");
        }
    }

    /** Weights ~ N(0, 1 / fan-in); gamma ~ 1 + N(0, 0.2^2); biases and beta ~ N(0, 0.1^2). */
    private static float[] values(BlockTensors.Named n, Random random) {
        long[] shape = n.shape();
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        double scale = shape.length >= 2 ? 1 / Math.sqrt((double) size / shape[0]) : 0.1;
        double offset = n.name().endsWith("gamma") ? 1 : 0;
        scale = n.name().endsWith("gamma") ? 0.2 : scale;
        float[] v = new float[Math.toIntExact(size)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (offset + scale * random.nextGaussian());
        }
        return v;
    }

    /**
     * The first of python3 on the PATH and Debian's /usr/bin/python3 that imports torch, or null: Debian's
     * python3-torch installs for the system Python, which a pyenv or venv python3 earlier on the PATH hides.
     */
    static String pythonWithTorch() {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // this one is absent; try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
