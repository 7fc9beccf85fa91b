package lab.d2c.model.runtime;

import ai.djl.Device;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The device is configuration: {@code cpu} or {@code gpu:N}. Nothing else picks one. */
public final class Devices {

    private static final Pattern GPU = Pattern.compile("gpu:(\\d{1,4})");

    private Devices() {
    }

    /**
     * Parses {@code cpu} or {@code gpu:N} (N &gt;= 0), ignoring surrounding blanks and case.
     *
     * @throws IllegalArgumentException naming the value when it is neither
     */
    public static Device parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("device must be 'cpu' or 'gpu:N', got null");
        }
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("cpu")) {
            return Device.cpu();
        }
        Matcher m = GPU.matcher(v);
        if (m.matches()) {
            return Device.gpu(Integer.parseInt(m.group(1)));
        }
        throw new IllegalArgumentException("device must be 'cpu' or 'gpu:N' (N >= 0), got '" + value + "'");
    }

    /** The configuration name of a device, the inverse of {@link #parse}. */
    public static String name(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }
}
