package lab.d2c.store.artifact;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import lab.d2c.store.StoreTimings;

/** An S3 object's stream that adds the time its reads take to {@link StoreTimings}. */
final class TimedInputStream extends FilterInputStream {

    TimedInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        long start = System.nanoTime();
        try {
            return super.read();
        } finally {
            StoreTimings.s3ReadSince(start);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        long start = System.nanoTime();
        try {
            return in.read(b, off, len);
        } finally {
            StoreTimings.s3ReadSince(start);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        long start = System.nanoTime();
        try {
            return super.skip(n);
        } finally {
            StoreTimings.s3ReadSince(start);
        }
    }
}
