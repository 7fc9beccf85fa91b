package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.HandlerType;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * /api/v1/openapi.json is a valid OpenAPI 3 document (swagger-parser finds no error), it
 * describes exactly the routes the server registers, and every mutating one says it needs
 * the bearer token.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
class OpenApiDocumentTest {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    @Test
    void documentIsValidAndMatchesTheRegisteredRoutes() throws Exception {
        try (LocalRuntime rt = LocalRuntime.start(LocalStackFixture.freshConfig("openapi"), false, 1, LocalStackFixture.quiet())) {
            Http.Response r = Http.get(rt.api().baseUrl() + "/api/v1/openapi.json");
            assertThat(r.status()).isEqualTo(200);
            String text = new String(r.bytes(), java.nio.charset.StandardCharsets.UTF_8);

            SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text);
            assertThat(parsed.getMessages()).as("swagger-parser messages").isEmpty();
            assertThat(parsed.getOpenAPI().getPaths()).isNotEmpty();

            Set<String> served = new TreeSet<>();
            for (Routes.Route route : rt.api().routes()) {
                served.add(route.method().name().toLowerCase() + " " + route.path().replace("<key>", "{key}"));
            }
            Set<String> documented = new TreeSet<>();
            JsonNode doc = r.json();
            for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
                String path = paths.next();
                for (Iterator<String> ops = doc.get("paths").get(path).fieldNames(); ops.hasNext(); ) {
                    String op = ops.next();
                    if (METHODS.contains(op)) {
                        documented.add(op + " " + path);
                        boolean mutating = !op.equals("get");
                        assertThat(doc.get("paths").get(path).get(op).path("security").toString().contains("bearer"))
                                .as("%s %s documents the bearer token", op, path).isEqualTo(mutating);
                        assertThat(doc.get("paths").get(path).get(op).get("responses").has(mutating ? "401" : "200"))
                                .as("%s %s lists its %s", op, path, mutating ? "401" : "200").isTrue();
                    }
                }
            }
            assertThat(served).as("every route is documented, and nothing else").isEqualTo(documented);
            assertThat(served).contains("get /api/v1/openapi.json", "post /api/v1/sweeps", "get /api/v1/artifacts/{key}");
            assertThat(rt.api().routes()).extracting(Routes.Route::method).contains(HandlerType.POST);
        }
    }
}
