package lab.d2c.model.data;

/**
 * Brings an image set to the configured resolution and channel count: bilinear resampling
 * (area averaging when shrinking, so thin strokes do not alias) and grey-to-RGB by
 * replication.
 */
public final class ImageResize {

    private ImageResize() {
    }

    public static ImageSet to(ImageSet in, int size, int channels) {
        if (in.channels() != channels && !(in.channels() == 1 && channels == 3)) {
            throw new IllegalArgumentException("cannot convert " + in.channels() + " channels to " + channels);
        }
        if (in.height() == size && in.width() == size && in.channels() == channels) {
            return in;
        }
        int plane = size * size;
        byte[] out = new byte[in.count() * channels * plane];
        float[] src = new float[in.height() * in.width()];
        float[] dst = new float[plane];
        for (int i = 0; i < in.count(); i++) {
            for (int c = 0; c < in.channels(); c++) {
                int base = (i * in.channels() + c) * src.length;
                for (int k = 0; k < src.length; k++) {
                    src[k] = in.pixels()[base + k] & 0xff;
                }
                resample(src, in.height(), in.width(), dst, size, size);
                for (int oc = c; oc < channels; oc += in.channels()) {
                    int obase = (i * channels + oc) * plane;
                    for (int k = 0; k < plane; k++) {
                        out[obase + k] = (byte) Math.max(0, Math.min(255, Math.round(dst[k])));
                    }
                }
            }
        }
        return new ImageSet(in.count(), channels, size, size, out, in.labels(), in.classNames());
    }

    /** Separable resampling; each output pixel averages the source over its footprint. */
    static void resample(float[] src, int sh, int sw, float[] dst, int dh, int dw) {
        float[] tmp = new float[sh * dw];
        for (int y = 0; y < sh; y++) {
            resample1d(src, y * sw, 1, sw, tmp, y * dw, 1, dw);
        }
        for (int x = 0; x < dw; x++) {
            resample1d(tmp, x, dw, sh, dst, x, dw, dh);
        }
    }

    private static void resample1d(float[] src, int so, int ss, int sn, float[] dst, int d0, int ds, int dn) {
        double scale = (double) sn / dn;
        for (int j = 0; j < dn; j++) {
            double value;
            if (scale > 1) {
                double lo = j * scale;
                double hi = lo + scale;
                double sum = 0;
                for (int k = (int) Math.floor(lo); k < Math.ceil(hi); k++) {
                    double w = Math.min(hi, k + 1) - Math.max(lo, k);
                    sum += w * src[so + Math.min(k, sn - 1) * ss];
                }
                value = sum / scale;
            } else {
                double pos = Math.max(0, Math.min(sn - 1, (j + 0.5) * scale - 0.5));
                int k0 = (int) Math.floor(pos);
                int k1 = Math.min(k0 + 1, sn - 1);
                double t = pos - k0;
                value = (1 - t) * src[so + k0 * ss] + t * src[so + k1 * ss];
            }
            dst[d0 + j * ds] = (float) value;
        }
    }
}
