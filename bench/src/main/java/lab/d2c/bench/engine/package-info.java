/**
 * Benchmarks of the engine itself: model-lib's blocks under DJL against the same modules in
 * PyTorch eager ({@code bench/torch_engine.py}), same shapes and thread count, in one run.
 * Benchmarks print and write figures; they assert nothing.
 */
package lab.d2c.bench.engine;
