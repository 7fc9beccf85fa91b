package lab.d2c.workers.eval;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.FileRoots;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workflows.node.NodeTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files the Inception extractor may load. */
class ExtractorsTest {

    @Test
    void anInceptionFileOutsideTheFileRootsIsRefusedBeforeItIsLoaded(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path file = Files.writeString(tmp.resolve("inception.pt"), "any file the worker can read");
        String config = "{\"eval\":{\"extractor\":\"inception\",\"inception_file\":\"" + file + "\","
                + "\"inception_key\":null,\"inception_input_range\":\"-1..1\"}}";
        NodeContext ctx = new NodeContext(new NodeTask("evaluate-roots", "evaluate", 1, config, Map.of()), null, null,
                (fraction, message, details) -> { }, "cpu", new FileRoots(List.of(root)));
        assertThatThrownBy(() -> Extractors.open(ctx, "shapes", null)).isInstanceOf(BadNodeInputException.class)
                .hasMessage("eval.inception_file: " + file + " is outside the allowed file roots [" + root
                        + "] (set D2C_FILE_ROOTS)");
    }
}
