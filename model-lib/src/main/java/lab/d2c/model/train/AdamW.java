package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import lab.d2c.model.runtime.Scalars;
import lab.d2c.model.runtime.Views;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), written here because DJL's
 * {@code Optimizer.adamW()} has no parameter groups and keeps its moments private, so they could
 * not go into a checkpoint (docs/djl-pitfalls.md, pitfall 6). Per parameter, at step t:
 *
 * <pre>
 * w &larr; w (1 - lr wd)            only where the {@link DecayRule} says so
 * m &larr; &beta;1 m + (1 - &beta;1) g
 * v &larr; &beta;2 v + (1 - &beta;2) g&sup2;
 * w &larr; w - lr/(1-&beta;1^t) m / (sqrt(v)/sqrt(1-&beta;2^t) + eps)
 * </pre>
 *
 * The same arithmetic as {@code torch.optim.AdamW}. All math runs on detached views, so nothing
 * is recorded by autograd; temporaries live on the caller's per-step manager. Where the native
 * {@link FusedKernels} are loaded, each parameter's update is two passes over its memory around
 * libtorch's square root instead of 14 ops (15 with clipping's scale), with the same result bit for bit.
 */
public final class AdamW {

    /** Which parameters get weight decay. */
    @FunctionalInterface
    public interface DecayRule {

        boolean decays(String name, Shape shape);

        /**
         * Decay matrices and kernels (rank &gt;= 2), never biases and norm scales/shifts (rank 1):
         * shrinking a LayerNorm gain or a bias toward 0 only fights the normalization.
         */
        static DecayRule matricesOnly() {
            return (name, shape) -> shape.dimension() >= 2;
        }
    }

    private final List<TrainableParameters.Named> parameters;
    private final NDManager stateManager;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean[] decays;
    private final boolean fused;
    private final NDArray[] firstMoments;
    private final NDArray[] secondMoments;
    private long stepCount;

    private AdamW(Builder b) {
        this.parameters = TrainableParameters.trainable(b.block);
        this.stateManager = b.manager;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.weightDecay = b.weightDecay;
        this.fused = b.fused;
        int n = parameters.size();
        this.decays = new boolean[n];
        this.firstMoments = new NDArray[n];
        this.secondMoments = new NDArray[n];
        for (int i = 0; i < n; i++) {
            NDArray w = parameters.get(i).array();
            decays[i] = b.decayRule.decays(parameters.get(i).name(), w.getShape());
            firstMoments[i] = stateManager.zeros(w.getShape(), w.getDataType());
            secondMoments[i] = stateManager.zeros(w.getShape(), w.getDataType());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Steps taken so far (t of the bias correction). */
    public long stepCount() {
        return stepCount;
    }

    /** Names of the parameters that get weight decay, in block order. */
    public List<String> decayedParameters() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            if (decays[i]) {
                out.add(parameters.get(i).name());
            }
        }
        return out;
    }

    /** Applies one update from the current gradients with learning rate {@code lr}. */
    public void step(NDManager step, double lr) {
        step(step, lr, 1);
    }

    /**
     * Applies one update from the current gradients times {@code gradScale} (gradient clipping's factor,
     * {@link GradientClipping#factor}; 1 leaves them as they are). The gradients are scaled in place first, as
     * {@code clip_grad_norm_} leaves them; the {@link FusedKernels} fold the same multiply into their first pass
     * instead, so there the gradients keep their unscaled values and the update is the same bit for bit.
     */
    public void step(NDManager step, double lr, double gradScale) {
        stepCount++;
        double correction1 = 1 - Math.pow(beta1, stepCount);
        double correction2 = 1 - Math.pow(beta2, stepCount);
        Map<DataType, NDArray[]> constants = new EnumMap<>(DataType.class);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray parameter = parameters.get(i).array();
            NDArray[] c = constants.computeIfAbsent(parameter.getDataType(), type -> new NDArray[] {
                    Scalars.of(step, beta1, type), Scalars.of(step, 1 - beta1, type), Scalars.of(step, beta2, type),
                    Scalars.of(step, 1 - beta2, type), Scalars.of(step, Math.sqrt(correction2), type),
                    Scalars.of(step, eps, type), Scalars.of(step, lr / correction1, type),
                    Scalars.of(step, 1 - lr * weightDecay, type), Scalars.of(step, gradScale, type)});
            NDArray w = Views.detached(step, parameter);
            NDArray g = Views.gradient(step, parameter);
            NDArray m = Views.detached(step, firstMoments[i]);
            NDArray v = Views.detached(step, secondMoments[i]);
            boolean decay = decays[i] && weightDecay > 0;
            long[] at = fused && FusedKernels.loaded() ? FusedKernels.addresses(w, g, m, v) : null;
            if (at != null) {
                // the same float32 operations as the ops below, in one pass each side of libtorch's sqrt
                FusedKernels.adamwMoments(at[1], at[2], at[3], w.size(), (float) gradScale, (float) beta1,
                        (float) (1 - beta1), (float) beta2, (float) (1 - beta2));
                try (NDArray root = v.sqrt()) {
                    long r = FusedKernels.address(root);
                    if (r != 0) {
                        FusedKernels.adamwApply(at[0], at[2], r, w.size(), decay, (float) (1 - lr * weightDecay),
                                (float) Math.sqrt(correction2), (float) eps, (float) (lr / correction1));
                    } else {
                        if (decay) {
                            w.muli(c[7]);
                        }
                        w.subi(m.div(root.divi(c[4]).addi(c[5])).muli(c[6]));
                    }
                }
                continue;
            }
            if (gradScale != 1) {
                g.muli(c[8]);
            }
            if (decay) {
                w.muli(c[7]);
            }
            m.muli(c[0]).addi(g.mul(c[1]));
            v.muli(c[2]).addi(g.square().muli(c[3]));
            NDArray denominator = v.sqrt().divi(c[4]).addi(c[5]);
            w.subi(m.div(denominator).muli(c[6]));
        }
    }

    /** Writes t and both moments of every parameter (by name, in block order). */
    public void save(DataOutputStream out) throws IOException {
        out.writeLong(stepCount);
        out.writeInt(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            out.writeUTF(parameters.get(i).name());
            ArrayIo.write(out, firstMoments[i]);
            ArrayIo.write(out, secondMoments[i]);
        }
    }

    /** Reads what {@link #save} wrote; the parameter list must be the same. */
    public void load(DataInputStream in) throws IOException {
        long t = in.readLong();
        int count = in.readInt();
        if (count != parameters.size()) {
            throw new IOException("optimizer state has " + count + " parameters, the model has " + parameters.size());
        }
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            TrainableParameters.Named p = parameters.get(i);
            if (!name.equals(p.name())) {
                throw new IOException("optimizer state parameter " + i + " is '" + name + "', the model's is '"
                        + p.name() + "'");
            }
            NDArray m = ArrayIo.read(in, stateManager);
            NDArray v = ArrayIo.read(in, stateManager);
            if (!m.getShape().equals(p.array().getShape()) || !v.getShape().equals(p.array().getShape())) {
                throw new IOException("optimizer state of '" + name + "' has shape " + m.getShape()
                        + ", the parameter " + p.array().getShape());
            }
            firstMoments[i].close();
            secondMoments[i].close();
            firstMoments[i] = m;
            secondMoments[i] = v;
        }
        stepCount = t;
    }

    /** setX: required; optX: optional. */
    public static final class Builder {
        private Block block;
        private NDManager manager;
        private double beta1 = 0.9;
        private double beta2 = 0.95;
        private double eps = 1e-8;
        private double weightDecay;
        private DecayRule decayRule = DecayRule.matricesOnly();
        private boolean fused = true;

        private Builder() {
        }

        /** The (initialized) block whose trainable parameters this optimizer updates. */
        public Builder setBlock(Block block) {
            this.block = block;
            return this;
        }

        /** Where the moments live (on the parameters' device). */
        public Builder setManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Builder optEps(double eps) {
            this.eps = eps;
            return this;
        }

        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Default {@link DecayRule#matricesOnly()}. */
        public Builder optDecayRule(DecayRule decayRule) {
            this.decayRule = decayRule;
            return this;
        }

        /**
         * Whether to use the native fused kernels where they are loaded (default true); they give the same bits
         * as the ops, so false only serves to compare the two.
         */
        public Builder optFusedKernels(boolean fused) {
            this.fused = fused;
            return this;
        }

        public AdamW build() {
            if (block == null) {
                throw new IllegalArgumentException("AdamW.block is required (call setBlock)");
            }
            if (manager == null) {
                throw new IllegalArgumentException("AdamW.manager is required (call setManager)");
            }
            if (!block.isInitialized()) {
                throw new IllegalArgumentException("AdamW needs an initialized block");
            }
            return new AdamW(this);
        }
    }
}
