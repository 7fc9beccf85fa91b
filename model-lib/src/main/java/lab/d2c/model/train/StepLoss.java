package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * @param loss    the scalar to minimize
 * @param metrics named scalars to log with the loss (detached values are fine)
 */
public record StepLoss(NDArray loss, Map<String, NDArray> metrics) {
}
