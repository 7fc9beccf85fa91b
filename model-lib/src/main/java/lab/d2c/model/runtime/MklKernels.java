package lab.d2c.model.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of MKL's code paths the matrix products of this process's libtorch take. MKL (linked into
 * libtorch's CPU build) dispatches on CPU features only on Intel processors; on any other vendor it
 * runs generic kernels, which made the tiny stage-two training step 1.5x slower here (BENCHMARKS.md, engine).
 * {@code ./d2c} preloads {@code native/mkl-intel-path} on AMD, which makes MKL dispatch as on Intel.
 *
 * <p>The two paths round differently in the last bits, so bit-for-bit tests keep a digest per path
 * ({@link #roundsLikeGeneric}), and benchmarks print the path with their machine line.
 */
public final class MklKernels {

    /** The file name {@code ./d2c} builds {@code native/mkl-intel-path} into. */
    public static final String PRELOAD_LIBRARY = "libd2c-mkl-intel-path.so";

    /** The code path, from the CPU vendor and whether the preload library is mapped into the process. */
    public enum Kind {
        /** An Intel CPU: MKL dispatches by CPU features by itself. */
        INTEL("by CPU features (Intel CPU)"),
        /** An AMD CPU with native/mkl-intel-path preloaded: dispatched by CPU features as on Intel. */
        AMD_PRELOADED("by CPU features (AMD, native/mkl-intel-path preloaded)"),
        /** An AMD CPU without the preload: MKL's generic kernels. */
        AMD_GENERIC("generic (AMD without native/mkl-intel-path)"),
        /** Not an x86 vendor this class knows: libtorch's BLAS there is not MKL. */
        OTHER("not MKL (not an Intel or AMD x86 CPU)");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** Words for a benchmark's machine line. */
        public String description() {
            return description;
        }
    }

    private MklKernels() {
    }

    /** This process's path: /proc/cpuinfo's vendor and /proc/self/maps; {@link Kind#OTHER} where unreadable. */
    public static Kind current() {
        try {
            return of(Files.readString(Path.of("/proc/cpuinfo")), Files.readString(Path.of("/proc/self/maps")));
        } catch (IOException | UncheckedIOException e) {
            return Kind.OTHER;
        }
    }

    /**
     * The path for a CPU described by {@code cpuinfo} in a process whose mappings are {@code maps}.
     *
     * @param cpuinfo the text of /proc/cpuinfo (its first vendor_id line is read)
     * @param maps    the text of /proc/self/maps
     */
    public static Kind of(String cpuinfo, String maps) {
        Matcher vendor = Pattern.compile("(?m)^vendor_id\\s*:\\s*(\\S+)").matcher(cpuinfo);
        if (!vendor.find()) {
            return Kind.OTHER;
        }
        return switch (vendor.group(1)) {
            case "GenuineIntel" -> Kind.INTEL;
            case "AuthenticAMD" -> maps.contains("/" + PRELOAD_LIBRARY) ? Kind.AMD_PRELOADED : Kind.AMD_GENERIC;
            default -> Kind.OTHER;
        };
    }

    /**
     * Whether this process's products round as MKL's generic kernels do: the digest set a bit-for-bit test
     * should expect. The digests of the other set were recorded on AMD with the preload.
     */
    public static boolean roundsLikeGeneric() {
        return current() == Kind.AMD_GENERIC;
    }
}
