package lab.d2c.store.artifact;

import java.io.InputStream;
import java.util.SplittableRandom;

/** {@code length} deterministic pseudo-random bytes, generated on the fly (never held in memory). */
final class PseudoRandomStream extends InputStream {

    private final SplittableRandom random;
    private long remaining;

    PseudoRandomStream(long seed, long length) {
        this.random = new SplittableRandom(seed);
        this.remaining = length;
    }

    @Override
    public int read() {
        if (remaining <= 0) {
            return -1;
        }
        remaining--;
        return random.nextInt(256);
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (remaining <= 0) {
            return -1;
        }
        int n = (int) Math.min(len, Math.min(remaining, 7919)); // odd chunk sizes, like a network stream
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) random.nextInt(256);
        }
        remaining -= n;
        return n;
    }
}
