package lab.d2c.model.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SafetensorsTest {

    private static byte[] write(List<Safetensors.Tensor> tensors, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, tensors, metadata);
        return out.toByteArray();
    }

    @Test
    void f32AndI64RoundTripWithShapesOffsetsAndMetadata() throws IOException {
        float[] weights = {1.5f, -2.25f, Float.MIN_VALUE, Float.MAX_VALUE, -0.0f, 3e-7f};
        long[] steps = {Long.MIN_VALUE, -1, 0, 7, Long.MAX_VALUE};
        byte[] bytes = write(List.of(Safetensors.Tensor.f32("enc.conv.weight", new long[] {2, 3}, weights),
                Safetensors.Tensor.i64("steps", new long[] {5}, steps),
                Safetensors.Tensor.f32("scalar", new long[] {}, new float[] {42f})), Map.of("kind", "train-vq"));

        SafetensorsFile file = SafetensorsFile.parse(bytes);
        assertThat(file.entries().keySet()).containsExactly("enc.conv.weight", "steps", "scalar");
        SafetensorsFile.Entry w = file.entry("enc.conv.weight");
        assertThat(w.dtype()).isEqualTo(Safetensors.Dtype.F32);
        assertThat(w.shape()).containsExactly(2, 3);
        assertThat(new long[] {w.begin(), w.end()}).containsExactly(0, 24);
        SafetensorsFile.Entry s = file.entry("steps");
        assertThat(s.dtype()).isEqualTo(Safetensors.Dtype.I64);
        assertThat(new long[] {s.begin(), s.end()}).containsExactly(24, 64);
        assertThat(file.entry("scalar").shape()).isEmpty();
        assertThat(new long[] {file.entry("scalar").begin(), file.entry("scalar").end()}).containsExactly(64, 68);
        assertThat(file.floats("enc.conv.weight")).containsExactly(weights);
        assertThat(file.longs("steps")).containsExactly(steps);
        assertThat(file.floats("scalar")).containsExactly(42f);
        assertThat(file.metadata()).containsExactly(Map.entry("kind", "train-vq"));
        assertThat(bytes).hasSize((int) (8 + file.headerLength() + 68));
    }

    @Test
    void headerIsLittleEndianLengthThenSpacePaddedJsonEndingAtAMultipleOf8() throws IOException {
        // names of 1..8 characters move the JSON's length through every remainder mod 8
        for (int len = 1; len <= 8; len++) {
            String name = "x".repeat(len);
            byte[] bytes = write(List.of(Safetensors.Tensor.f32(name, new long[] {1}, new float[] {2f})), Map.of());
            long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertThat((8 + n) % 8).as("data start for name length %d", len).isZero();
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            assertThat(header).startsWith("{");
            assertThat(header.strip()).endsWith("}");
            assertThat(header.substring(header.strip().length())).matches(" {0,7}");
            JsonNode json = new ObjectMapper().readTree(header);
            assertThat(json.get(name).get("dtype").asText()).isEqualTo("F32");
            assertThat(json.get(name).get("data_offsets").toString()).isEqualTo("[0,4]");
            assertThat(json.has(Safetensors.METADATA)).isFalse();
            // the value's raw little-endian bytes follow the header
            assertThat(Arrays.copyOfRange(bytes, (int) (8 + n), bytes.length))
                    .containsExactly(0x00, 0x00, 0x00, 0x40);
        }
    }

    @Test
    void refusesPayloadsThatDoNotFitTheirShapeAndDuplicateNames() {
        assertThatThrownBy(() -> write(List.of(Safetensors.Tensor.f32("a", new long[] {3}, new float[] {1f, 2f})),
                Map.of())).hasMessageContaining("'a' has 8 bytes").hasMessageContaining("needs 12");
        assertThatThrownBy(() -> write(List.of(Safetensors.Tensor.f32("a", new long[] {1}, new float[] {1f}),
                Safetensors.Tensor.f32("a", new long[] {1}, new float[] {1f})), Map.of())).hasMessageContaining("twice");
    }

    @Test
    void readerRefusesGapsAndTruncation() throws IOException {
        byte[] good = write(List.of(Safetensors.Tensor.f32("a", new long[] {2}, new float[] {1f, 2f})), Map.of());
        assertThatThrownBy(() -> SafetensorsFile.parse(Arrays.copyOf(good, good.length - 1)))
                .hasMessageContaining("offsets");
        byte[] longer = Arrays.copyOf(good, good.length + 4);
        assertThatThrownBy(() -> SafetensorsFile.parse(longer)).hasMessageContaining("belong to no tensor");
    }
}
