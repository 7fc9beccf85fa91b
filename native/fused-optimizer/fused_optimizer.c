/*
 * AdamW's and the EMA's elementwise arithmetic in one pass over each parameter's memory, with gradient clipping's
 * scaling folded into AdamW's first pass, and the gradient reset before backward as a plain store.
 *
 * Called through JNI by lab.d2c.model.train.FusedKernels with the raw addresses of float32 tensors
 * (libtorch's own storage, reached through DJL's direct byte buffers). Written without jni.h and without
 * libc: the arguments are plain integers and floats, which the JNI calling convention passes as the
 * platform's C ABI does, so a bare `cc` builds it (no JDK headers, no libc6-dev).
 *
 * Every statement is the same float32 operation, in the same order, as the libtorch op it replaces in
 * GradientClipping, AdamW.step and Ema.update (multiply, then add; divide, then multiply), so the results are bit for bit
 * the ops' results (FusedKernelsTest). That holds only with IEEE single precision per operation: build
 * without -ffast-math and with -ffp-contract=off, so no multiply and add are fused into one rounding.
 * The square root stays libtorch's (its MKL vector square root is not correctly rounded, so a C sqrtf
 * would change the last bit of some updates).
 *
 * Why: DJL's JNI has no fused ops (addcmul, addcdiv, lerp, foreach), so AdamW ran as 14 elementwise
 * passes with 4 fresh temporaries per parameter and the EMA as 3 with one more; at the b width (254 M
 * parameters, batch 1) those passes and the pages they fault in were the whole gap to PyTorch
 * (BENCHMARKS.md, engine).
 */
typedef long long i64;

/*
 * The entry points' signatures, bumped whenever one changes. FusedKernels refuses a library whose number is not its
 * own: a Java side calling an older or newer library's functions with other arguments would write through wrong
 * addresses (a stale library once crashed a test JVM so), where a refused library only costs speed.
 */
int Java_lab_d2c_model_train_FusedKernels_abiVersion(void *env, void *cls) {
    (void) env;
    (void) cls;
    return 3;
}

/*
 * m <- m * b1 + (g * g_scale) * c1; v <- v * b2 + ((g * g_scale) * (g * g_scale)) * c2.
 * g_scale is gradient clipping's factor (1 when the norm is within its limit: a multiply by 1 is exact), folded in
 * here instead of a pass of its own over every gradient; the product is the one clipping's in-place multiply stored.
 */
void Java_lab_d2c_model_train_FusedKernels_adamwMoments(void *env, void *cls, i64 g_addr, i64 m_addr, i64 v_addr,
        i64 n, float g_scale, float b1, float c1, float b2, float c2) {
    (void) env;
    (void) cls;
    const float *__restrict__ g = (const float *) g_addr;
    float *__restrict__ m = (float *) m_addr;
    float *__restrict__ v = (float *) v_addr;
    for (i64 i = 0; i < n; i++) {
        float gi = g[i] * g_scale;
        float mi = m[i] * b1;
        float gm = gi * c1;
        m[i] = mi + gm;
        float vi = v[i] * b2;
        float gg = gi * gi;
        float gv = gg * c2;
        v[i] = vi + gv;
    }
}

/*
 * w <- (w * w_scale when decay) - (m / (root / root_scale + eps)) * step_size, root = sqrt(v) computed by libtorch.
 * The decoupled weight decay is AdamW.step's first op, but it touches w alone, so applying it in this pass, just
 * before the update, gives the same value with one pass over w instead of two.
 */
void Java_lab_d2c_model_train_FusedKernels_adamwApply(void *env, void *cls, i64 w_addr, i64 m_addr,
        i64 root_addr, i64 n, unsigned char decay, float w_scale, float root_scale, float eps, float step_size) {
    (void) env;
    (void) cls;
    float *__restrict__ w = (float *) w_addr;
    const float *__restrict__ m = (const float *) m_addr;
    const float *__restrict__ root = (const float *) root_addr;
    if (decay) {
        for (i64 i = 0; i < n; i++) {
            float decayed = w[i] * w_scale;
            float scaled = root[i] / root_scale;
            float denominator = scaled + eps;
            float ratio = m[i] / denominator;
            float update = ratio * step_size;
            w[i] = decayed - update;
        }
    } else {
        for (i64 i = 0; i < n; i++) {
            float scaled = root[i] / root_scale;
            float denominator = scaled + eps;
            float ratio = m[i] / denominator;
            float update = ratio * step_size;
            w[i] = w[i] - update;
        }
    }
}

/*
 * g <- 0: the training loop's gradient reset before backward, one store per element where the ops' g - g reads
 * the gradient twice. Equal for every finite gradient (x - x is +0); a non-finite one would have stopped the run
 * at its loss check. The attribute keeps gcc from turning the loop into a call to memset, which this library,
 * built without libc, does not link.
 */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
void Java_lab_d2c_model_train_FusedKernels_zero(void *env, void *cls, i64 g_addr, i64 n) {
    (void) env;
    (void) cls;
    float *__restrict__ g = (float *) g_addr;
    for (i64 i = 0; i < n; i++) {
        g[i] = 0.0f;
    }
}

/*
 * The sum of g[i]^2 in double precision, for gradient clipping's global norm. Each float converted to double squares
 * exactly (24-bit significands), so only the additions round, and they run in a fixed order: eight running sums over
 * the elements i = j mod 8 of each full block of eight, the tail into the first, then ((s0 + s1) + (s2 + s3)) +
 * ((s4 + s5) + (s6 + s7)). SumOfSquares.java adds in exactly this order, so the two agree bit for bit (FusedKernelsTest)
 * and a run without this library computes the same norm. Why not libtorch's ops: square().sum() writes a fresh square
 * of every gradient (1 GiB a step at the b width) before summing it, and its norm op accumulates in float32 (0.1% off
 * over 20 M elements); PyTorch's clip_grad_norm_ reduces without a temporary.
 */
double Java_lab_d2c_model_train_FusedKernels_sumSquares(void *env, void *cls, i64 g_addr, i64 n) {
    (void) env;
    (void) cls;
    const float *__restrict__ g = (const float *) g_addr;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    i64 i = 0;
    for (; i + 8 <= n; i += 8) {
        double x0 = g[i], x1 = g[i + 1], x2 = g[i + 2], x3 = g[i + 3];
        double x4 = g[i + 4], x5 = g[i + 5], x6 = g[i + 6], x7 = g[i + 7];
        s0 += x0 * x0;
        s1 += x1 * x1;
        s2 += x2 * x2;
        s3 += x3 * x3;
        s4 += x4 * x4;
        s5 += x5 * x5;
        s6 += x6 * x6;
        s7 += x7 * x7;
    }
    for (; i < n; i++) {
        double x = g[i];
        s0 += x * x;
    }
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
}

/* shadow <- shadow * keep + p * take */
void Java_lab_d2c_model_train_FusedKernels_ema(void *env, void *cls, i64 shadow_addr, i64 p_addr, i64 n,
        float keep, float take) {
    (void) env;
    (void) cls;
    float *__restrict__ s = (float *) shadow_addr;
    const float *__restrict__ p = (const float *) p_addr;
    for (i64 i = 0; i < n; i++) {
        float kept = s[i] * keep;
        float taken = p[i] * take;
        s[i] = kept + taken;
    }
}

/*
 * The address of a direct java.nio.ByteBuffer: JNI's GetDirectBufferAddress, which the JNI specification
 * fixes at index 230 of the JNIEnv function table (so no jni.h is needed to call it).
 */
typedef void *(*get_direct_buffer_address)(void *env, void *buffer);

i64 Java_lab_d2c_model_train_FusedKernels_address(void **env, void *cls, void *buffer) {
    (void) cls;
    void *const *table = *(void *const *const *) env;
    return (i64) ((get_direct_buffer_address) table[230])(env, buffer);
}
