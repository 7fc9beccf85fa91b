package lab.d2c.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import lab.d2c.model.train.BatchSource;

/**
 * An {@link ImageSet} as training batches: images as float32 [B, C, H, W] in [-1, 1]
 * ({@code x / 127.5 - 1}, the normalization of every model here) and labels as int32 [B].
 */
public final class ImageBatches implements BatchSource {

    private final ImageSet set;

    public ImageBatches(ImageSet set) {
        this.set = set;
    }

    public ImageSet set() {
        return set;
    }

    @Override
    public int size() {
        return set.count();
    }

    @Override
    public NDList batch(NDManager manager, int[] indices) {
        int per = set.imageBytes();
        float[] pixels = new float[indices.length * per];
        int[] labels = new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            int i = indices[b];
            normalize(set.pixels(), i * per, pixels, b * per, per);
            labels[b] = set.labels()[i];
        }
        return new NDList(manager.create(pixels, shape(indices.length)), manager.create(labels));
    }

    /** Images {@code [from, to)} as float32 [n, C, H, W] in [-1, 1], on {@code manager}. */
    public NDArray images(NDManager manager, int from, int to) {
        if (from < 0 || to > set.count() || from > to) {
            throw new IllegalArgumentException("image range [" + from + ", " + to + ") outside [0, " + set.count() + ")");
        }
        int per = set.imageBytes();
        float[] pixels = new float[(to - from) * per];
        normalize(set.pixels(), from * per, pixels, 0, pixels.length);
        return manager.create(pixels, shape(to - from)).toType(DataType.FLOAT32, false);
    }

    private Shape shape(int n) {
        return new Shape(n, set.channels(), set.height(), set.width());
    }

    private static void normalize(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        for (int k = 0; k < length; k++) {
            dst[dstOffset + k] = (src[srcOffset + k] & 0xFF) / 127.5f - 1f;
        }
    }
}
