package lab.d2c.store.embedded;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.MutableContentMetadata;
import org.jclouds.io.Payload;
import org.jclouds.io.Payloads;

/**
 * Makes a GET of an object that is being overwritten return one whole version, as S3 and MinIO do.
 *
 * <p>jclouds' filesystem store reads an object's length when it builds the blob and opens the file only
 * when the body is streamed. A PUT that replaces the file in between (a node moving its
 * {@code checkpoints/latest.json} while someone reads it) made the embedded server send the new
 * version's bytes cut at the old version's length: a truncated JSON with a matching Content-Length,
 * which no client can detect. Here the file is opened at once, which pins that version, and the blob is
 * read again until the opened file's size is the length the headers will carry.
 */
final class ConsistentReadBlobStore extends ForwardingBlobStore {

    private static final int ATTEMPTS = 20;

    ConsistentReadBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public Blob getBlob(String container, String name) {
        return getBlob(container, name, GetOptions.NONE);
    }

    @Override
    public Blob getBlob(String container, String name, GetOptions options) {
        for (int attempt = 1; ; attempt++) {
            Blob blob = delegate().getBlob(container, name, options);
            if (blob == null || !options.getRanges().isEmpty()) {
                return blob;
            }
            Payload payload = blob.getPayload();
            MutableContentMetadata metadata = payload.getContentMetadata();
            InputStream in;
            try {
                // a one-shot payload hands out the stream it already holds; a repeatable one opens the file now
                in = payload.openStream();
            } catch (IOException e) {
                // deleted or replaced between the stat and the open: look again
                if (attempt < ATTEMPTS) {
                    continue;
                }
                throw new IllegalStateException("object " + container + "/" + name + " changed under " + ATTEMPTS
                        + " reads in a row", e);
            }
            Long length = metadata.getContentLength();
            if (in instanceof FileInputStream file && length != null) {
                long size;
                try {
                    size = file.getChannel().size();
                } catch (IOException e) {
                    closeQuietly(in);
                    throw new IllegalStateException("cannot read the size of " + container + "/" + name, e);
                }
                if (size != length && attempt < ATTEMPTS) {
                    closeQuietly(in);
                    continue;
                }
            }
            if (payload.isRepeatable()) {
                // serve the stream just opened, not a later open of whatever the key names then
                Payload pinned = Payloads.newInputStreamPayload(in);
                pinned.setContentMetadata(metadata);
                blob.setPayload(pinned);
            }
            return blob;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // a read-only file handle: nothing was written that a failed close could lose
        }
    }
}
