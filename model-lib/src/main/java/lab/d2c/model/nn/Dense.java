package lab.d2c.model.nn;

import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;

/** Linear layers with the initializations the MAR / DiT code uses (biases start at zero). */
public final class Dense {

    private Dense() {
    }

    /** Weights from torch's {@code xavier_uniform_}: U(-b, b), b = sqrt(6 / (fan_in + fan_out)). */
    public static Linear xavier(int units) {
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
        linear.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        return linear;
    }

    /** Weights from N(0, std^2). */
    public static Linear normal(int units, float std) {
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(new NormalInitializer(std), Parameter.Type.WEIGHT);
        linear.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        return linear;
    }

    /** Weights and bias zero: the AdaLN-Zero modulations and the head's output (DiT). */
    public static Linear zero(int units) {
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        linear.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        return linear;
    }
}
