package lab.d2c.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The OpenAPI document of /api/v1: written as YAML in the resources, served as JSON. */
final class OpenApi {

    static final String RESOURCE = "/api/openapi.yaml";

    private static volatile String json;

    private OpenApi() {
    }

    static JsonNode document() {
        try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String json() {
        String j = json;
        if (j == null) {
            try {
                j = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(document());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json = j;
        }
        return j;
    }
}
