/**
 * Datasets as uint8 image sets: the procedural {@code shapes} set, Fashion-MNIST from its
 * IDX files, resizing to the configured resolution, and the .npy format shards are written in.
 */
package lab.d2c.model.data;
