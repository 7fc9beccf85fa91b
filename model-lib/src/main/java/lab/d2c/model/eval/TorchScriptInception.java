package lab.d2c.model.eval;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The standard FID Inception network, from a TorchScript file the user provides (nothing is
 * downloaded): for example pytorch-fid's {@code FIDInceptionV3} or NVIDIA's
 * {@code inception-2015-12-05.pt} exported with {@code torch.jit.script}/{@code trace}.
 *
 * <p>Contract of the file: it takes float32 [B, 3, 299, 299] and returns either the pool features
 * [B, 2048] (Inception Score is then unavailable) or a tuple/list (pool features [B, D], logits
 * [B, K]). Images are brought to it as FID tools do: grey replicated to RGB, bilinear resize to
 * 299 x 299 ({@code align_corners=False}, pytorch-fid's {@code F.interpolate}), then mapped from
 * [-1, 1] to the file's {@link InputRange}.
 */
public final class TorchScriptInception implements FeatureExtractor {

    /** The standard input side. */
    public static final int SIDE = 299;

    /** libtorch's interpolate mode code for bilinear in DJL's JNI (0 nearest, 1 linear, 2 bilinear). */
    private static final int BILINEAR = 2;

    /** What pixel range the TorchScript module expects. */
    public enum InputRange {
        /** [-1, 1], pytorch-fid's {@code normalize_input=False} convention. */
        MINUS_ONE_TO_ONE,
        /** [0, 255] floats, as NVIDIA's and torch-fidelity's Inception take uint8 pixels. */
        ZERO_TO_255;

        public static InputRange parse(String text) {
            return switch (text) {
                case "-1..1" -> MINUS_ONE_TO_ONE;
                case "0..255" -> ZERO_TO_255;
                default -> throw new IllegalArgumentException("input_range: expected -1..1 or 0..255, got '" + text + "'");
            };
        }
    }

    private final ZooModel<NDList, NDList> model;
    private final InputRange range;
    private final int featureDim;
    private final String name;

    private TorchScriptInception(ZooModel<NDList, NDList> model, InputRange range, int featureDim, String name) {
        this.model = model;
        this.range = range;
        this.featureDim = featureDim;
        this.name = name;
    }

    /**
     * Loads the module and runs it once on a blank image to learn its feature dimension.
     *
     * @param file  the TorchScript file
     * @param range the pixel range it expects
     * @param name  the metric-name suffix ({@code inception} for the standard network)
     * @throws IOException naming the file when it is missing or not a TorchScript module
     */
    public static TorchScriptInception load(Path file, InputRange range, String name) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("inception TorchScript file not found: " + file);
        }
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(file.toAbsolutePath()).optEngine("PyTorch").optTranslator(new NoopTranslator())
                .build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IOException("cannot load " + file + " as a TorchScript module: " + e.getMessage(), e);
        }
        TorchScriptInception inception = new TorchScriptInception(model, range, 0, name);
        try (var m = model.getNDManager().newSubManager()) {
            Extracted probe = inception.extract(m.zeros(new Shape(1, 3, SIDE, SIDE)));
            if (probe.features().getShape().dimension() != 2) {
                model.close();
                throw new IOException(file + ": features must be [B, D], got " + probe.features().getShape());
            }
            int d = (int) probe.features().getShape().get(1);
            return new TorchScriptInception(model, range, d, name);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    public Extracted extract(NDArray images) {
        NDArray x = images.toType(DataType.FLOAT32, false);
        if (x.getShape().get(1) == 1) {
            x = x.repeat(1, 3);
        }
        if (x.getShape().get(2) != SIDE || x.getShape().get(3) != SIDE) {
            x = JniUtils.interpolate((PtNDArray) x, new long[] {SIDE, SIDE}, BILINEAR, false);
        }
        if (range == InputRange.ZERO_TO_255) {
            x = lab.d2c.model.runtime.Scalars.mul(images.getManager(),
                    lab.d2c.model.runtime.Scalars.add(images.getManager(), x, 1.0), 127.5);
        }
        Block block = model.getBlock();
        NDList out = block.forward(new ParameterStore(images.getManager(), false), new NDList(x), false);
        NDArray features = out.get(0);
        NDArray logits = out.size() > 1 ? out.get(1) : null;
        return new Extracted(features, logits);
    }

    @Override
    public void close() {
        model.close();
    }
}
