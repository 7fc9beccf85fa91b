package lab.d2c.workers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker reads a file a spec names only when its real path lies inside a file root. */
class FileRootsTest {

    @TempDir
    Path tmp;

    private Path root;
    private Path outside;
    private FileRoots roots;

    @BeforeEach
    void folders() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "not for specs");
        roots = new FileRoots(List.of(root));
    }

    @Test
    void aPathInsideARootIsReadAtItsRealPath() throws IOException {
        Path data = Files.createDirectories(root.resolve("fashion-mnist"));
        assertThat(roots.resolve("data.path", data.toString())).isEqualTo(data.toRealPath());
        assertThat(roots.resolve("data.path", root + "/")).isEqualTo(root.toRealPath());
        // A missing path is checked through its deepest folder; its reader then says it is missing.
        assertThat(roots.resolve("data.path", root + "/missing/x")).isEqualTo(root.toRealPath().resolve("missing/x"));
    }

    @Test
    void aPathOutsideEveryRootIsRefusedNamingTheKey() {
        assertRefused("data.path", outside.toString(), "data.path: " + outside + " is outside the allowed file roots ["
                + root + "] (set D2C_FILE_ROOTS)");
        assertRefused("eval.inception_file", outside.resolve("secret").toString(), "eval.inception_file: "
                + outside.resolve("secret") + " is outside the allowed file roots");
        // a folder whose name starts like the root's is not inside it
        assertRefused("data.path", root + "2", "is outside the allowed file roots");
        assertRefused("data.path", root + "/../outside", "is outside the allowed file roots");
        assertRefused("data.path", "/nonexistent/fmnist", "is outside the allowed file roots");
        assertRefused("data.path", "fashion-mnist", "data.path: must be an absolute path, got fashion-mnist");
        assertRefused("data.path", "/srv/x\0", "data.path: not a usable path");
        assertThatThrownBy(() -> new FileRoots(List.of()).resolve("data.path", root.toString()))
                .hasMessageContaining("outside the allowed file roots []");
    }

    @Test
    void aSymlinkInsideARootThatLeadsOutIsRefused() throws IOException {
        Path link = Files.createSymbolicLink(root.resolve("link"), outside);
        Path fileLink = Files.createSymbolicLink(root.resolve("inception.pt"), outside.resolve("secret"));
        String reason = "is outside the allowed file roots [" + root + "] once symlinks are followed (set D2C_FILE_ROOTS)";
        assertRefused("data.path", link.toString(), "data.path: " + link + " " + reason);
        assertRefused("eval.inception_file", fileLink.toString(), reason);
        assertRefused("data.path", link + "/missing", reason);
    }

    @Test
    void aRootThatIsASymlinkHoldsWhatItsTargetHolds() throws IOException {
        Path data = Files.createDirectories(outside.resolve("fashion-mnist"));
        Path linkRoot = Files.createSymbolicLink(tmp.resolve("datasets"), outside);
        FileRoots linked = new FileRoots(List.of(linkRoot));
        assertThat(linked.resolve("data.path", linkRoot + "/fashion-mnist")).isEqualTo(data.toRealPath());
        assertThat(linked.resolve("data.path", data.toString())).isEqualTo(data.toRealPath());
    }

    @Test
    void rootsAreAbsolute() {
        assertThatThrownBy(() -> new FileRoots(List.of(Path.of("datasets"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
    }

    private void assertRefused(String key, String value, String messagePart) {
        assertThatThrownBy(() -> roots.resolve(key, value)).isInstanceOf(BadNodeInputException.class)
                .hasMessageContaining(messagePart);
    }
}
