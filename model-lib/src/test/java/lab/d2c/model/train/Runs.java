package lab.d2c.model.train;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Helpers that run the tiny MLP through the loop and read its weights. */
final class Runs {

    static final SyntheticRegression DATA = new SyntheticRegression(256, 42);

    private Runs() {
    }

    static TrainConfig config(long steps, long seed) {
        return config(steps, seed, 0);
    }

    static TrainConfig config(long steps, long seed, long checkpointEvery) {
        return TrainConfig.builder().setSteps(steps).setBatchSize(32).setLr(3e-3).setSeed(seed)
                .optWarmupSteps(50).optWeightDecay(0.1).optClipNorm(1.0).optEmaDecay(0.99)
                .optCheckpointEvery(checkpointEvery).build();
    }

    record Outcome(TrainingResult result, List<float[]> weights, float[][] ema, MemorySink sink) {
    }

    static Outcome run(TrainConfig config, byte[] resumeFrom, Consumer<TrainingLoop.Builder> extra) throws IOException {
        TinyMlp model = new TinyMlp();
        MemorySink sink = new MemorySink();
        TrainingLoop.Builder builder = TrainingLoop.builder().setModel(model).setData(DATA).setConfig(config)
                .optCheckpointSink(sink);
        if (resumeFrom != null) {
            builder.optResumeFrom(new ByteArrayInputStream(resumeFrom));
        }
        extra.accept(builder);
        try (TrainingLoop loop = builder.build()) {
            TrainingResult result = loop.run();
            return new Outcome(result, weights(model), loop.ema() == null ? null : loop.ema().toFloatArrays(), sink);
        }
    }

    static Outcome run(TrainConfig config) throws IOException {
        return run(config, null, b -> { });
    }

    static List<float[]> weights(TrainableModel model) {
        List<float[]> out = new ArrayList<>();
        for (TrainableParameters.Named p : TrainableParameters.all(model.block())) {
            out.add(p.array().toFloatArray());
        }
        return out;
    }
}
