package lab.d2c.model.tokenizer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * How the codebook is used, over a sliding window of the most recent code assignments (LlamaGen's
 * {@code codebook_show_usage} keeps the last 65536 ids): per-code counts in the window, the fraction
 * of codes in use, the perplexity exp(H) of the usage distribution (K for uniform use of K codes, 1
 * when one code takes everything), and the dead codes (used fewer than a minimum number of times in
 * a full window), which {@link VqTokenizer} re-initializes from encoder outputs. Part of the training
 * state: {@link #save} / {@link #load} carry it across a resume.
 */
public final class CodeUsage {

    private final int codebookSize;
    private final int[] window;
    private final long[] counts;
    private int filled;
    private int next;

    public CodeUsage(int codebookSize, int windowSize) {
        if (codebookSize < 1 || windowSize < 1) {
            throw new IllegalArgumentException("CodeUsage: codebookSize and windowSize must be >= 1, got "
                    + codebookSize + ", " + windowSize);
        }
        this.codebookSize = codebookSize;
        this.window = new int[windowSize];
        this.counts = new long[codebookSize];
    }

    /** Adds assignments, dropping the oldest ones once the window is full. */
    public void record(long[] ids) {
        for (long id : ids) {
            if (id < 0 || id >= codebookSize) {
                throw new IllegalArgumentException("code id " + id + " outside [0, " + codebookSize + ")");
            }
            if (filled == window.length) {
                counts[window[next]]--;
            } else {
                filled++;
            }
            window[next] = (int) id;
            counts[(int) id]++;
            next = (next + 1) % window.length;
        }
    }

    public boolean windowFull() {
        return filled == window.length;
    }

    /** Assignments of each code in the window (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** Fraction of the codebook used at least once in the window. */
    public double usage() {
        long used = 0;
        for (long c : counts) {
            used += c > 0 ? 1 : 0;
        }
        return used / (double) codebookSize;
    }

    /** exp(entropy) of the window's usage distribution. */
    public double perplexity() {
        return perplexity(counts);
    }

    /** exp(-sum p log p) with p = counts / sum(counts); 0 for no counts. */
    public static double perplexity(long[] counts) {
        double total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        double entropy = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = c / total;
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }

    /** Counts of each code among {@code ids}. */
    public static long[] histogram(long[] ids, int codebookSize) {
        long[] h = new long[codebookSize];
        for (long id : ids) {
            h[(int) id]++;
        }
        return h;
    }

    /** Codes used fewer than {@code minCount} times in the window; none until the window is full. */
    public int[] deadCodes(int minCount) {
        if (!windowFull()) {
            return new int[0];
        }
        int dead = 0;
        for (long c : counts) {
            dead += c < minCount ? 1 : 0;
        }
        int[] out = new int[dead];
        int k = 0;
        for (int code = 0; code < codebookSize; code++) {
            if (counts[code] < minCount) {
                out[k++] = code;
            }
        }
        return out;
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeInt(codebookSize);
        out.writeInt(window.length);
        out.writeInt(filled);
        out.writeInt(next);
        for (int id : window) {
            out.writeInt(id);
        }
    }

    /** Reads what {@link #save} wrote; the codebook and window sizes must match. */
    public void load(DataInputStream in) throws IOException {
        int k = in.readInt();
        int w = in.readInt();
        if (k != codebookSize || w != window.length) {
            throw new IOException("CodeUsage state for K=" + k + ", window=" + w + " does not fit K="
                    + codebookSize + ", window=" + window.length);
        }
        filled = in.readInt();
        next = in.readInt();
        java.util.Arrays.fill(counts, 0);
        for (int i = 0; i < w; i++) {
            window[i] = in.readInt();
            if (i < filled) {
                counts[window[i]]++;
            }
        }
    }
}
