package lab.d2c.api.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * {@code /api/docs}: Swagger UI from its WebJar, on {@code /api/v1/openapi.json}. The page and its initializer are
 * this server's files, so they work under the pages' Content-Security-Policy (script-src 'self', no inline script).
 * Not part of /api/v1, so not in the OpenAPI document.
 */
final class ApiDocs {

    static final String PAGE = "/api/docs";
    static final String INITIALIZER = "/api/docs/swagger-initializer.js";
    private static final String VERSION_FILE = "/META-INF/maven/org.webjars/swagger-ui/pom.properties";

    private ApiDocs() {
    }

    static void register(RoutesConfig app) {
        // the WebJar's files live under its version: read it from the jar rather than repeat the pom's
        String page = resource("/api/docs/index.html").replace("@SWAGGER_UI_VERSION@", swaggerUiVersion());
        String initializer = resource("/api/docs/swagger-initializer.js");
        app.get(PAGE, ctx -> ctx.contentType("text/html; charset=utf-8").result(page));
        app.get(INITIALIZER, ctx -> ctx.contentType("text/javascript; charset=utf-8").result(initializer));
    }

    static String swaggerUiVersion() {
        try (InputStream in = ApiDocs.class.getResourceAsStream(VERSION_FILE)) {
            if (in == null) {
                throw new IllegalStateException(VERSION_FILE + " is missing: the org.webjars:swagger-ui jar is not on the class path");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ApiDocs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
