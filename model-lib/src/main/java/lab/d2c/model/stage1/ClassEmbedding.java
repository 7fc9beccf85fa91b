package lab.d2c.model.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.SplittableRandom;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.train.StepRandom;

/**
 * The class prefix (LlamaGen's {@code LabelEmbedder}): one row of classTokens x width per class plus
 * a learned null class (row numClasses) for classifier-free guidance. While training, each label
 * becomes the null class with probability classDropout (paper section 5.1), drawn from the step.
 */
public final class ClassEmbedding extends AbstractBlock {

    /** StepRandom purpose of the class-dropout draws. */
    public static final String DROP_PURPOSE = "stage1/class-dropout";

    private final DiscreteArConfig config;
    private final Parameter table;

    public ClassEmbedding(DiscreteArConfig config) {
        this.config = config;
        this.table = addParameter(Parameter.builder().setName("embedding_table").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.numClasses() + 1, (long) config.classTokens() * config.width()))
                .optInitializer(new NormalInitializer(DiscreteArConfig.INIT_STD)).build());
    }

    /** Labels with each replaced by the null class with probability classDropout. */
    public int[] dropLabels(int[] labels, StepRandom rng) {
        int[] out = labels.clone();
        if (config.classDropout() <= 0) {
            return out;
        }
        SplittableRandom r = rng.generator(DROP_PURPOSE);
        for (int i = 0; i < out.length; i++) {
            if (r.nextDouble() < config.classDropout()) {
                out[i] = config.nullClass();
            }
        }
        return out;
    }

    /** The prefix [B, classTokens, width] of labels [B] (ids in 0..numClasses, numClasses = null). */
    NDArray embed(ParameterStore store, NDArray labels, boolean training) {
        NDArray w = store.getValue(table, labels.getDevice(), training);
        NDArray rows = Embedding.embedding(labels.toType(DataType.INT64, false), w, SparseFormat.DENSE).singletonOrThrow();
        return rows.reshape(labels.getShape().get(0), config.classTokens(), config.width());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(embed(store, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.classTokens(), config.width())};
    }
}
