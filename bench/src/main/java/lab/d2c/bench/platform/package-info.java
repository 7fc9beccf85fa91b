/**
 * Benchmarks of the platform around the models, run on a fresh embedded stack: orchestration overhead and
 * submission latency ({@link lab.d2c.bench.platform.PlatformBenchmark}), the sweep-cache law, checkpoint
 * throughput to the S3 store, and a worker process's memory during training ({@link
 * lab.d2c.bench.platform.WorkerMemoryBenchmark}). They print figures and assert nothing; BENCHMARKS.md holds the
 * figures with the commands and machine.
 */
package lab.d2c.bench.platform;
