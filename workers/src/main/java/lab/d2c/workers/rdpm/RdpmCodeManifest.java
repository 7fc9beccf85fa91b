package lab.d2c.workers.rdpm;

import java.util.List;
import lab.d2c.model.rdpm.RdpmTokenizer;
import lab.d2c.workers.node.BadNodeInputException;

/**
 * What {@code manifest.json} of a {@code pretokenize-rdpm} node holds.
 *
 * @param count         training images quantized
 * @param flips         2: index 0 of each image's code maps is the image, index 1 its mirror
 * @param steps         T, code maps per item (arXiv:2412.18390 Algorithm 1)
 * @param grid          positions per side
 * @param codebookSize  K (codes are in [0, codebookSize))
 * @param codeDim       d, a code vector's dimension
 * @param noiseSeed     {@code rdpm.pretokenize.noise_seed}: the items' eps_1..eps_T are
 *                      {@code QuantizationNoise(noiseSeed, steps, codeDim, grid)}'s
 * @param classNames    class id to name
 * @param tokenizerNode key of the {@code train-rdpm-tokenizer} node
 * @param shards        the shards, in image order
 */
public record RdpmCodeManifest(int count, int flips, int steps, int grid, int codebookSize, int codeDim,
        long noiseSeed, List<String> classNames, String tokenizerNode, List<Shard> shards) {

    /**
     * Checks that the codes were made by a tokenizer of this shape (the predictor's z'_{t-1} sums its code vectors).
     *
     * @throws BadNodeInputException saying what differs
     */
    public void requireTokenizer(String key, RdpmTokenizer tokenizer) {
        var c = tokenizer.config();
        if (!key.equals(tokenizerNode) || c.codebookSize() != codebookSize || c.codeDim() != codeDim
                || c.steps() != steps || c.tokenGrid() != grid) {
            throw new BadNodeInputException("the code maps were made by " + tokenizerNode + " (" + codebookSize
                    + " codes x " + codeDim + ", T = " + steps + ", " + grid + "x" + grid + "); the tokenizer input is "
                    + key + " (" + c.codebookSize() + " codes x " + c.codeDim() + ", T = " + c.steps() + ", "
                    + c.tokenGrid() + "x" + c.tokenGrid() + ")");
        }
    }

    /** Two .npy objects: int32 codes [n, 2, T, grid, grid] and int32 labels [n]. */
    public record Shard(int count, String codesKey, String codesSha256, String labelsKey, String labelsSha256) {
    }
}
