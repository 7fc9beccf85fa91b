package lab.d2c.workers.pretokenize;

import java.util.List;

/**
 * What {@code manifest.json} of a {@code pretokenize} node holds.
 *
 * @param count          training images tokenized
 * @param flips          2: index 0 of each image's tokens is the image, index 1 its mirror
 * @param grid           tokens per side
 * @param codebookSize   VQ codes (ids are in [0, codebookSize))
 * @param latentChannels C of a continuous latent; moments have 2C channels (mean, log-variance)
 * @param latentScale    multiply sampled latents by this (the VAE node's factor)
 * @param classNames     class id to name
 * @param vqNode         key of the VQ tokenizer node
 * @param vaeNode        key of the KL-VAE node
 * @param shards         the shards, in image order
 */
public record TokenManifest(int count, int flips, int grid, int codebookSize, int latentChannels, double latentScale,
        List<String> classNames, String vqNode, String vaeNode, List<Shard> shards) {

    /**
     * Checks that a stage one was trained on tokens like these (same codebook and grid).
     *
     * @throws lab.d2c.workers.node.BadNodeInputException saying what differs
     */
    public void requireStageOne(lab.d2c.config.stage1.DiscreteArConfig stageOne) {
        if (stageOne.vocabSize() != codebookSize || stageOne.grid() != grid) {
            throw new lab.d2c.workers.node.BadNodeInputException("stage one was trained on " + stageOne.vocabSize()
                    + " codes on a " + stageOne.grid() + "x" + stageOne.grid() + " grid; the tokens have "
                    + codebookSize + " codes on a " + grid + "x" + grid + " grid");
        }
    }

    /**
     * Three .npy objects: int32 ids [n, 2, grid, grid], float32 moments [n, 2, 2C, grid, grid],
     * int32 labels [n].
     */
    public record Shard(int count, String idsKey, String idsSha256, String momentsKey, String momentsSha256,
            String labelsKey, String labelsSha256) {
    }
}
