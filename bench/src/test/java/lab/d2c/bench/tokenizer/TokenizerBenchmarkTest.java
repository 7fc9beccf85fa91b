package lab.d2c.bench.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import lab.d2c.workflows.spec.Presets;
import org.junit.jupiter.api.Test;

/** The benchmark runs end to end at small sizes and prints its three figures (it asserts no speed). */
class TokenizerBenchmarkTest {

    @Test
    void printsStepTimesAndPretokenizeThroughput() throws Exception {
        ObjectNode cfg = Presets.load("tiny");
        ObjectMapper json = new ObjectMapper();
        ObjectNode data = (ObjectNode) cfg.get("data");
        data.put("image_size", 16);
        ((ObjectNode) cfg.get("vq")).put("base_width", 4);
        ((ObjectNode) cfg.get("vae")).put("base_width", 4);
        ((ObjectNode) cfg.at("/vq/train")).put("batch_size", 4);
        ((ObjectNode) cfg.at("/vae/train")).put("batch_size", 4);
        ((ObjectNode) cfg.get("pretokenize")).put("batch_size", 8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TokenizerBenchmark.Result r = TokenizerBenchmark.run(json.readValue(cfg.toString(), ObjectNode.class), "cpu",
                2, 1, 16, new PrintStream(bytes, true));
        assertThat(r.vqStepMs()).isPositive();
        assertThat(r.vaeStepMs()).isPositive();
        assertThat(r.pretokenizeImagesPerSecond()).isPositive();
        assertThat(bytes.toString()).contains("train-vq:", "train-vae:", "pretokenize:", "images/s");
    }
}
