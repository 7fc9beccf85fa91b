package lab.d2c.app.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a download to a file only once it is whole: a stopped or failed transfer leaves no half file behind. */
final class Download {

    private Download() {
    }

    /** @return the bytes written to {@code target} */
    static long toFile(ApiClient client, String path, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            throw CliError.usage("--output: " + target + " is a folder; name a file");
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path part = parent.resolve(target.getFileName() + ".part");
        try {
            long bytes;
            try (OutputStream out = Files.newOutputStream(part)) {
                bytes = client.download(path, out);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return bytes;
        } finally {
            Files.deleteIfExists(part);
        }
    }
}
