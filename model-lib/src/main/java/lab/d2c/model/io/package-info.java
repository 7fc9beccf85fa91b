/**
 * Weights in formats read outside Java: the safetensors file format (written and read here, no library)
 * and the tensor names a DJL block's parameters get in it.
 */
package lab.d2c.model.io;
