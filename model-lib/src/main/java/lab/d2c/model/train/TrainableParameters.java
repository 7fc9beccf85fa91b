package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A block's parameters in the block's own order with their path names. Parameter ids are random
 * UUIDs, so state is matched by position and checked by name. Arrays are always read through
 * {@link Parameter#getArray()}: loading a checkpoint replaces them.
 */
final class TrainableParameters {

    record Named(String name, Parameter parameter) {
        NDArray array() {
            return parameter.getArray();
        }
    }

    private TrainableParameters() {
    }

    /** Every parameter of the block (trainable or not): what EMA and checkpoints cover. */
    static List<Named> all(Block block) {
        ParameterList list = block.getParameters();
        List<Named> out = new ArrayList<>(list.size());
        for (Pair<String, Parameter> p : list) {
            out.add(new Named(p.getKey(), p.getValue()));
        }
        return Collections.unmodifiableList(out);
    }

    /** The parameters the optimizer and clipping touch. */
    static List<Named> trainable(Block block) {
        List<Named> out = new ArrayList<>();
        for (Named n : all(block)) {
            if (n.parameter().requiresGradient()) {
                out.add(n);
            }
        }
        return Collections.unmodifiableList(out);
    }
}
