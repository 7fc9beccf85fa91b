package lab.d2c.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3-compatible server in the JVM: s3proxy with its {@code filesystem-nio2} store, one folder per bucket
 * under a given directory (objects as files, their metadata in extended attributes), on 127.0.0.1 unless told otherwise. Requests must be signed (AWS V2
 * or V4) with the given identity and credential; presigned V4 URLs work. Local mode passes keys created at
 * random on its first start (never fixed ones another user could know).
 */
public final class EmbeddedS3Server implements AutoCloseable {

    private final S3Proxy proxy;
    private final BlobStore store;
    private final Path directory;
    private final String host;

    private EmbeddedS3Server(S3Proxy proxy, BlobStore store, Path directory, String host) {
        this.proxy = proxy;
        this.store = store;
        this.directory = directory;
        this.host = host;
    }

    /** As {@link #start(Path, String, int, String, String)} on 127.0.0.1. */
    public static EmbeddedS3Server start(Path directory, int port, String identity, String credential) {
        return start(directory, "127.0.0.1", port, identity, credential);
    }

    /**
     * Starts a server keeping objects under {@code directory}.
     *
     * @param host       the address it binds (127.0.0.1: this machine only)
     * @param port       TCP port; 0 picks a free one
     * @param identity   the access key clients sign with
     * @param credential the secret key clients sign with
     */
    public static EmbeddedS3Server start(Path directory, String host, int port, String identity, String credential) {
        Objects.requireNonNull(directory, "directory");
        requireText("identity", identity);
        requireText("credential", credential);
        requireText("host", host);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: must be 0..65535, got " + port);
        }
        QuietLogs.warnOnly("org.gaul", "org.gaul.shaded.org.eclipse.jetty");
        Path dir = directory.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the S3 directory " + dir, e);
        }
        // s3proxy 4 has its own store API (no jclouds): this one opens the object's file before it reads its
        // length, so a GET that races a PUT of the same key sends one whole version (ArtifactStoreTest checks it)
        BlobStore store = new FilesystemNio2BlobStore(dir.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + hostInUri(host) + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, identity, credential)
                .build();
        try {
            proxy.start();
            waitStarted(proxy);
        } catch (Exception e) {
            store.close();
            throw new IllegalStateException("cannot start the embedded S3 server on " + host + ":" + port + " over "
                    + dir + ": " + e.getMessage(), e);
        }
        return new EmbeddedS3Server(proxy, store, dir, host);
    }

    private static void waitStarted(S3Proxy proxy) throws InterruptedException {
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("s3proxy state " + proxy.getState() + " after 2 s");
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + ": required (non-empty)");
        }
    }

    /** {@code http://HOST:PORT}; 127.0.0.1 when it binds every interface. */
    public String endpoint() {
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : hostInUri(host)) + ":" + port();
    }

    private static String hostInUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    public int port() {
        return proxy.getPort();
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded S3 server on " + endpoint(), e);
        } finally {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedS3Server[" + endpoint() + ", objects=" + directory + "]";
    }
}
