package lab.d2c.workers.node;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The folders a worker may read the files a spec names from ({@code data.path},
 * {@code eval.inception_file}): {@code D2C_FILE_ROOTS}. Whoever may submit a sweep writes these
 * paths; without roots a spec could make a worker read any file the worker can.
 */
public final class FileRoots {

    /** The roots of a worker given none: where Debian's dataset packages install. */
    public static final FileRoots DEFAULT = new FileRoots(List.of(Path.of("/usr/share/datasets")));

    private final List<Path> roots;

    /** @param roots absolute folders; none at all means no spec may name a file */
    public FileRoots(List<Path> roots) {
        for (Path root : roots) {
            if (!root.isAbsolute()) {
                throw new IllegalArgumentException("file roots must be absolute, got " + root);
            }
        }
        this.roots = roots.stream().map(Path::normalize).toList();
    }

    /** The roots as configured. */
    public List<Path> roots() {
        return roots;
    }

    /**
     * The real path of what config key {@code key} names, to be read instead of {@code value}: symlinks
     * are followed before the check, so a link inside a root cannot lead out of it. A path that does
     * not exist (yet) is checked through its deepest existing folder and left for its reader to report.
     *
     * @throws BadNodeInputException naming the key when the path is not absolute or not inside a root
     */
    public Path resolve(String key, String value) {
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw new BadNodeInputException(key + ": not a usable path (" + e.getReason() + ")");
        }
        if (!path.isAbsolute()) {
            throw new BadNodeInputException(key + ": must be an absolute path, got " + value);
        }
        Path real = real(path.normalize());
        for (Path root : roots) {
            if (real.startsWith(real(root))) {
                return real;
            }
        }
        throw new BadNodeInputException(key + ": " + value + " is outside the allowed file roots " + roots
                + (roots.stream().anyMatch(path.normalize()::startsWith) ? " once symlinks are followed" : "")
                + " (set D2C_FILE_ROOTS)");
    }

    /** The real path of the deepest existing part of an absolute path, followed by the rest as written. */
    private static Path real(Path absolute) {
        for (Path existing = absolute; existing != null; existing = existing.getParent()) {
            try {
                return existing.toRealPath().resolve(existing.relativize(absolute));
            } catch (IOException missingOrUnreadable) {
                // try its folder: the part below is checked as written
            }
        }
        return absolute;
    }

    @Override
    public String toString() {
        return roots.toString();
    }
}
