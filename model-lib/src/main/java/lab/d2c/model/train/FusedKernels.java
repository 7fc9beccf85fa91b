package lab.d2c.model.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * AdamW's and the EMA's elementwise arithmetic as one native pass per parameter ({@code native/fused-optimizer},
 * which {@code ./d2c} builds and names in {@code D2C_FUSED_OPTIMIZER}). DJL's JNI has no fused ops, so
 * {@link AdamW#step} ran 14 elementwise passes with 4 fresh temporaries per parameter and {@link Ema#update} 3
 * with one more; at the b width those passes, not the matrix products, were the gap to PyTorch (BENCHMARKS.md,
 * engine). The kernels do the same float32 operations in the same order as the ops they replace, so the
 * numbers are bit for bit the same (FusedKernelsTest); the square root stays libtorch's. Gradient clipping's scale
 * rides in AdamW's first pass and the weight decay in its second, and {@link TrainingLoop} resets the gradients
 * with {@link #zero}, so neither takes a pass of its own. {@link #sumSquares} is clipping's norm without a temporary
 * ({@link SumOfSquares}).
 *
 * <p>Used only where it is loaded and every array is float32 on the CPU with its own contiguous storage;
 * anything else takes the ops, which stay the reference. {@code D2C_FUSED_OPTIMIZER=0} turns it off.
 */
public final class FusedKernels {

    /** The environment variable holding the library's path ({@code ./d2c} sets it; 0 or unset: off). */
    static final String ENV = "D2C_FUSED_OPTIMIZER";

    /**
     * The native entry points' signatures this class calls; the library's {@code abiVersion()} must match, or it is
     * not used (a library from other sources would be called with other arguments).
     */
    static final int ABI_VERSION = 3;

    private static final String STATUS = load(System.getenv(ENV));

    private FusedKernels() {
    }

    /** Whether the native kernels are loaded in this process. */
    public static boolean loaded() {
        return STATUS.startsWith("loaded");
    }

    /** Words for a benchmark's machine line: loaded from where, or why not. */
    public static String status() {
        return STATUS;
    }

    private static String load(String path) {
        if (path == null || path.isBlank()) {
            return "off (" + ENV + " unset)";
        }
        if ("0".equals(path)) {
            return "off (" + ENV + "=0)";
        }
        if (!Files.isRegularFile(Path.of(path))) {
            return "off (" + ENV + "=" + path + " is not a file)";
        }
        try {
            System.load(Path.of(path).toAbsolutePath().toString());
            String refused = refusal(path, abiVersion());
            if (refused != null) {
                return refused;
            }
            // every entry point once, on nothing: a library built from older sources fails here, not in a step
            ByteBuffer probe = ByteBuffer.allocateDirect(Float.BYTES);
            if (address(probe) == 0) {
                return "off (" + path + " gives no buffer addresses)";
            }
            adamwMoments(0, 0, 0, 0, 1, 1, 0, 1, 0);
            adamwApply(0, 0, 0, 0, false, 1, 1, 0, 0);
            ema(0, 0, 0, 1, 0);
            zero(0, 0);
            sumSquares(0, 0);
            return "loaded from " + path;
        } catch (UnsatisfiedLinkError e) {
            if (String.valueOf(e.getMessage()).contains("abiVersion")) {
                return "off (" + path + " has no entry-point version, so it was built from older sources: rebuild it "
                        + "from this tree, as ./d2c does)";
            }
            return "off (" + path + " did not load: " + e.getMessage() + ")";
        }
    }

    /** Why a library reporting entry points of {@code version} is not used, or null where it matches this class. */
    static String refusal(String path, int version) {
        return version == ABI_VERSION ? null : "off (" + path + " has entry points of version " + version
                + ", this code calls version " + ABI_VERSION + ": rebuild it from this tree, as ./d2c does)";
    }

    /**
     * The address of {@code array}'s own float32 storage, or 0 where the kernels must not write to it: another
     * type or device, or storage that is not contiguous. DJL hands out a direct buffer over a contiguous CPU
     * tensor's memory and a fresh contiguous copy otherwise, so two calls giving the same address show that the
     * buffer is the tensor's own (two copies, both alive, cannot share one).
     */
    static long address(NDArray array) {
        if (array.getDataType() != DataType.FLOAT32 || !Device.cpu().equals(array.getDevice())) {
            return 0;
        }
        ByteBuffer first = array.toByteBuffer(true);
        ByteBuffer second = array.toByteBuffer(true);
        if (!first.isDirect() || !second.isDirect() || first.capacity() != array.size() * Float.BYTES) {
            return 0;
        }
        long a = address(first);
        return a != 0 && a == address(second) ? a : 0;
    }

    /** The addresses of {@code arrays}' storage, or null where one of them has none the kernels may use. */
    static long[] addresses(NDArray... arrays) {
        long[] out = new long[arrays.length];
        for (int i = 0; i < arrays.length; i++) {
            out[i] = address(arrays[i]);
            if (out[i] == 0) {
                return null;
            }
        }
        return out;
    }

    private static native long address(ByteBuffer buffer);

    private static native int abiVersion();

    /**
     * {@code m = m * b1 + (g * gScale) * c1}; {@code v = v * b2 + ((g * gScale) * (g * gScale)) * c2}, where
     * {@code gScale} is gradient clipping's factor (1 within the limit), the value clipping's in-place multiply stored.
     */
    static native void adamwMoments(long g, long m, long v, long n, float gScale, float b1, float c1, float b2,
            float c2);

    /**
     * {@code w = (decay ? w * wScale : w) - (m / (root / rootScale + eps)) * stepSize}, {@code root} = libtorch's
     * sqrt(v): the decoupled weight decay applied in the same pass as the update.
     */
    static native void adamwApply(long w, long m, long root, long n, boolean decay, float wScale, float rootScale,
            float eps, float stepSize);

    /** {@code g = 0}: one store per element, where the ops' {@code g - g} reads it twice. */
    static native void zero(long g, long n);

    /**
     * The sum of {@code g[i]^2} in double precision, in {@link SumOfSquares}'s order of additions (the same bits as its
     * Java loop).
     */
    static native double sumSquares(long g, long n);

    /** {@code shadow = shadow * keep + p * take}. */
    static native void ema(long shadow, long p, long n, float keep, float take);
}
