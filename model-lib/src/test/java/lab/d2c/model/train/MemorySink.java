package lab.d2c.model.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keeps every checkpoint's bytes by step. */
final class MemorySink implements CheckpointSink {

    final Map<Long, byte[]> saved = new LinkedHashMap<>();

    @Override
    public void save(long step, CheckpointWriter writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.writeTo(out);
        saved.put(step, out.toByteArray());
    }
}
