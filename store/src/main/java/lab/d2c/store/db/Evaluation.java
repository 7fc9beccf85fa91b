package lab.d2c.store.db;

/**
 * One row of the {@code evaluations} table: a metric of an {@code evaluate} node.
 *
 * @param nodeKey      the evaluate node (shared by every arm that planned it)
 * @param metric       e.g. {@code fid-fmnist-cls}, {@code is-fmnist-cls}, {@code precision-fmnist-cls}
 * @param value        the number
 * @param settingsJson the sampling settings it was measured under (AR steps, guidance, count), JSON
 */
public record Evaluation(String nodeKey, String metric, double value, String settingsJson) {
}
