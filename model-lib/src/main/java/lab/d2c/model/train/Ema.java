package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import lab.d2c.model.runtime.Scalars;
import lab.d2c.model.runtime.Views;

/**
 * Exponential moving average of a block's parameters: after each step
 * {@code shadow = decay * shadow + (1 - decay) * parameter}, starting from the parameters it was
 * created with. Covers every parameter, trainable or not, so the shadow is a complete set of
 * weights for evaluation and export ({@link #copyInto}).
 */
public final class Ema {

    private final List<TrainableParameters.Named> parameters;
    private final NDManager manager;
    private final double decay;
    private final NDArray[] shadow;
    private boolean fused = true;

    /**
     * @param block   an initialized block; the shadow starts as a copy of its parameters
     * @param decay   in (0, 1)
     * @param manager where the shadow lives (on the parameters' device)
     */
    public Ema(Block block, double decay, NDManager manager) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in (0, 1), got " + decay);
        }
        if (!block.isInitialized()) {
            throw new IllegalArgumentException("EMA needs an initialized block");
        }
        this.parameters = TrainableParameters.all(block);
        this.manager = manager;
        this.decay = decay;
        this.shadow = new NDArray[parameters.size()];
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < shadow.length; i++) {
                shadow[i] = Views.detached(scratch, parameters.get(i).array()).duplicate();
                shadow[i].attach(manager);
            }
        }
    }

    /**
     * Whether to use the native {@link FusedKernels} where they are loaded (default true); they give the same
     * bits as the ops, so false only serves to compare the two.
     */
    Ema useFusedKernels(boolean use) {
        this.fused = use;
        return this;
    }

    public double decay() {
        return decay;
    }

    /**
     * Moves the shadow toward the current parameters. A frozen parameter keeps its shadow (a copy
     * taken when the EMA started): averaging a constant would only add rounding.
     */
    public void update(NDManager step) {
        NDArray keep = null;
        NDArray take = null;
        for (int i = 0; i < shadow.length; i++) {
            if (!parameters.get(i).parameter().requiresGradient()) {
                continue;
            }
            NDArray s = Views.detached(step, shadow[i]);
            NDArray p = Views.detached(step, parameters.get(i).array());
            long[] at = fused && FusedKernels.loaded() ? FusedKernels.addresses(s, p) : null;
            if (at != null) {
                // the same float32 operations as the ops below, in one pass
                FusedKernels.ema(at[0], at[1], s.size(), (float) decay, (float) (1 - decay));
                continue;
            }
            if (keep == null || keep.getDataType() != s.getDataType()) {
                keep = Scalars.like(step, s, decay);
                take = Scalars.like(step, s, 1 - decay);
            }
            s.muli(keep).addi(p.mul(take));
        }
    }

    /** The shadow values as float arrays, in block order (for tests and inspection). */
    public float[][] toFloatArrays() {
        float[][] out = new float[shadow.length][];
        for (int i = 0; i < shadow.length; i++) {
            out[i] = shadow[i].toFloatArray();
        }
        return out;
    }

    /**
     * Writes the shadow into {@code target}'s parameters (the trained block itself, or a second
     * instance of the same architecture used for evaluation or export).
     */
    public void copyInto(Block target) {
        List<TrainableParameters.Named> targets = TrainableParameters.all(target);
        if (targets.size() != shadow.length) {
            throw new IllegalArgumentException("target block has " + targets.size() + " parameters, EMA has "
                    + shadow.length);
        }
        try (NDManager scratch = manager.newSubManager()) {
            for (int i = 0; i < shadow.length; i++) {
                TrainableParameters.Named t = targets.get(i);
                if (!t.name().equals(parameters.get(i).name()) || !t.array().getShape().equals(shadow[i].getShape())) {
                    throw new IllegalArgumentException("target parameter " + i + " is '" + t.name() + "' "
                            + t.array().getShape() + ", EMA has '" + parameters.get(i).name() + "' "
                            + shadow[i].getShape());
                }
                NDArray into = Views.detached(scratch, t.array());
                NDArray value = Views.detached(scratch, shadow[i]).toDevice(into.getDevice(), false);
                // x*0 + s is exact for finite x; in-place keeps the parameter's identity and gradient flag.
                into.muli(Scalars.like(scratch, into, 0)).addi(value);
            }
        }
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeDouble(decay);
        out.writeInt(shadow.length);
        for (int i = 0; i < shadow.length; i++) {
            out.writeUTF(parameters.get(i).name());
            ArrayIo.write(out, shadow[i]);
        }
    }

    public void load(DataInputStream in) throws IOException {
        double savedDecay = in.readDouble();
        if (Double.compare(savedDecay, decay) != 0) {
            throw new IOException("EMA state has decay " + savedDecay + ", this EMA " + decay);
        }
        int count = in.readInt();
        if (count != shadow.length) {
            throw new IOException("EMA state has " + count + " parameters, the model has " + shadow.length);
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            if (!name.equals(parameters.get(i).name())) {
                throw new IOException("EMA state parameter " + i + " is '" + name + "', the model's is '"
                        + parameters.get(i).name() + "'");
            }
            NDArray value = ArrayIo.read(in, manager);
            if (!value.getShape().equals(shadow[i].getShape())) {
                throw new IOException("EMA state of '" + name + "' has shape " + value.getShape() + ", expected "
                        + shadow[i].getShape());
            }
            shadow[i].close();
            shadow[i] = value;
        }
    }
}
