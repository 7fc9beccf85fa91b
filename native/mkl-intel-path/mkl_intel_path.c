/*
 * Lets Intel MKL run its CPUID-dispatched kernels on AMD processors.
 *
 * libtorch's CPU build links MKL statically and exports its symbols. MKL picks a code path by first
 * asking mkl_serv_intel_cpu_true() whether the processor is Intel's; on any other vendor it uses a
 * generic path that ignores AVX2 and AVX-512, even where the CPU has them. Preloaded (LD_PRELOAD),
 * these two definitions win over MKL's own, so MKL goes on to choose its kernels by the CPU's
 * feature flags, as it does on Intel. Measured on a 2-core AMD EPYC with AVX-512 (BENCHMARKS.md,
 * engine): the tiny diffusion head 1.6x faster, the whole stage-two training step 1.5x.
 *
 * No libc: built with -nostdlib, so a bare gcc (no libc6-dev) is enough.
 */
int mkl_serv_intel_cpu_true(void) { return 1; }

int mkl_serv_intel_cpu(void) { return 1; }
