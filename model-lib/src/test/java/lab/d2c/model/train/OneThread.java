package lab.d2c.model.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class with one libtorch intra-op thread. The tiny MLP's ops are far too small to
 * gain from two, and on a loaded 2-core machine the second thread made steps 4-8x slower
 * (measured: 2.4 ms/step vs 10-40 ms/step). The previous count is restored afterwards.
 */
final class OneThread implements BeforeAllCallback, AfterAllCallback {

    private int previous;

    @Override
    public void beforeAll(ExtensionContext context) {
        Engine.getInstance();
        previous = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        JniUtils.setNumThreads(previous);
    }
}
