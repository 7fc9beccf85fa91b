package lab.d2c.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TorchScript module with the FID Inception's interface (made by
 * src/test/resources/eval/make_inception_fixture.py with Debian's python3-torch) loads, and gets
 * the images as PyTorch preprocessing would give them: its outputs match the ones PyTorch
 * computed for the same pattern image.
 */
class TorchScriptInceptionTest {

    @TempDir
    Path dir;

    @Test
    void matchesPytorchOnTheSamePreprocessedImage() throws Exception {
        Path file = copy("tiny_inception.pt");
        JsonObject expected;
        try (InputStream in = getClass().getResourceAsStream("/eval/tiny_inception_expected.json")) {
            expected = JsonParser.parseString(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .getAsJsonObject();
        }
        try (TorchScriptInception inception = TorchScriptInception.load(file,
                TorchScriptInception.InputRange.ZERO_TO_255, "inception");
                NDManager m = NDManager.newBaseManager()) {
            assertThat(inception.featureDim()).isEqualTo(12);
            FeatureExtractor.Extracted out = inception.extract(pattern(m, 32));
            float[] features = out.features().toFloatArray();
            float[] logits = out.logits().toFloatArray();
            for (int i = 0; i < 12; i++) {
                assertThat((double) features[i]).as("feature %d", i)
                        .isCloseTo(expected.getAsJsonArray("features").get(i).getAsDouble(), within(1e-5));
            }
            for (int i = 0; i < 4; i++) {
                assertThat((double) logits[i]).as("logit %d", i)
                        .isCloseTo(expected.getAsJsonArray("logits").get(i).getAsDouble(), within(1e-4));
            }
        }
    }

    @Test
    void aMissingOrInvalidFileIsAClearError() throws Exception {
        assertThatThrownBy(() -> TorchScriptInception.load(dir.resolve("none.pt"),
                TorchScriptInception.InputRange.MINUS_ONE_TO_ONE, "inception")).hasMessageContaining("not found");
        Path junk = dir.resolve("junk.pt");
        Files.writeString(junk, "not a model");
        assertThatThrownBy(() -> TorchScriptInception.load(junk, TorchScriptInception.InputRange.MINUS_ONE_TO_ONE,
                "inception")).hasMessageContaining("TorchScript");
        assertThatThrownBy(() -> TorchScriptInception.InputRange.parse("0..1")).hasMessageContaining("input_range");
    }

    /** The fixture script's pattern: ((3x + 5y) mod 17) / 8 - 1, grey, [1, 1, size, size]. */
    private static NDArray pattern(NDManager m, int size) {
        float[] v = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                v[y * size + x] = ((x * 3 + y * 5) % 17) / 8f - 1f;
            }
        }
        return m.create(v, new Shape(1, 1, size, size));
    }

    private Path copy(String name) throws Exception {
        Path target = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/eval/" + name)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }
}
